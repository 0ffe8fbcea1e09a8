package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.reelbox.nemo.RateLimited;

/**
 * {@code onExceptionOccurredRef} of the 429 rule: when the server said how long to wait ({@code Retry-After}), the
 * redelivery waits exactly that ({@link Exchange#REDELIVERY_DELAY}); otherwise the rule's back-off applies.
 */
public final class HonourRetryAfter implements Processor {

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getException();
        if (e instanceof RateLimited limited && limited.retryAfter() != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, limited.retryAfter().toMillis());
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }
}
