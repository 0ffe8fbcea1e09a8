package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.inbox.JobSpec;
import io.reelbox.job.Job;

/**
 * {@code nemo:prompt}: sends the prompt of the render the route's loop is at (its index), with the sidecar's hints.
 * Before it, the session gets its preludes once each: a sidecar's shared base prompt, or a refine's history when its
 * session was rebuilt. A prompt sent before a restart is never sent again.
 */
final class PromptStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(PromptStep.class);

    private final Chain chain;
    private final Prompts prompts;
    private final Sessions sessions;

    PromptStep(Chain chain, Prompts prompts, Sessions sessions) {
        this.chain = chain;
        this.prompts = prompts;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "prompt";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        job.current = exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class);
        Job.Render r = job.current();
        sessions.ensure(job, false);
        JobSpec spec = job.claimed().spec();
        prompts.sendPreludes(job);
        if (r.promptSent) {
            // Sent before a restart: the contract forbids sending it again; the state will show what it did.
            LOG.info("Job {}: render {} was prompted before the restart; not sending it again", job.id(), job.current + 1);
            if (r.renderId == null) {
                r.streamDropped = true;
            }
            return;
        }
        prompts.send(job, r, spec.promptFor(job.current));
    }
}
