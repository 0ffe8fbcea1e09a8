package io.reelbox.chain;

import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import io.reelbox.job.CreditGate;

/**
 * The NemoVideo API as Camel endpoints, one per step of the job route: {@code nemo:token}, {@code nemo:session},
 * {@code nemo:upload}, {@code nemo:prompt}, {@code nemo:verify}, {@code nemo:export}, {@code nemo:render-status} and
 * {@code nemo:download}. Each producer acts on the job the exchange carries (property {@code ReelboxJob}) and
 * throws the API's failures as typed exceptions, so that the route configuration decides how each is retried.
 */
public final class NemoComponent extends DefaultComponent {

    private final Map<String, Step> steps = new TreeMap<>();
    private final Chain chain;

    public NemoComponent(Chain chain, CreditGate credits) {
        this.chain = chain;
        Prompts prompts = new Prompts(chain);
        Uploads uploads = new Uploads(chain);
        Sessions sessions = new Sessions(chain, uploads, prompts);
        add("token", new TokenStep(chain, credits));
        add("session", new SessionStep(chain, sessions));
        add("upload", new UploadStep(uploads, sessions));
        add("prompt", new PromptStep(chain, prompts, sessions));
        add("verify", new VerifyStep(prompts, sessions));
        ExportStep export = new ExportStep(chain, sessions);
        RenderStatusStep renderStatus = new RenderStatusStep(chain, sessions);
        add("export", export);
        add("render-status", renderStatus);
        add("download", new DownloadStep(chain, sessions, new RenderAgain(chain, export, renderStatus)));
    }

    private void add(String operation, Step step) {
        steps.put(operation, step);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Step step = steps.get(remaining);
        if (step == null) {
            throw new IllegalArgumentException("Unknown operation nemo:" + remaining + "; known: " + steps.keySet());
        }
        NemoEndpoint endpoint = new NemoEndpoint(uri, this, step, chain);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
