package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.reelbox.job.Job;

/** {@code onExceptionOccurredRef} of the 1002 rule: the next step that needs the session opens a new one first. */
public final class MarkSessionLost implements Processor {

    @Override
    public void process(Exchange exchange) {
        Job.of(exchange).sessionLost = true;
    }
}
