package io.reelbox.chain;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One API step as an endpoint; it only produces (the API calls nobody back). */
public final class NemoEndpoint extends DefaultEndpoint {

    private final Step step;
    private final Chain chain;

    NemoEndpoint(String uri, NemoComponent component, Step step, Chain chain) {
        super(uri, component);
        this.step = step;
        this.chain = chain;
    }

    /** The stage its step reports ({@code error.json}'s {@code stage}, the metrics' {@code stage} label). */
    public String stage() {
        return step.stage();
    }

    @Override
    public Producer createProducer() {
        return new NemoProducer(this, step, chain);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("nemo: endpoints can only be sent to (" + getEndpointUri() + ")");
    }
}
