package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.Job;

/** {@code nemo:token}: makes sure a token is at hand (a configured one, or an anonymous one, cached) and notes the credits. */
final class TokenStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(TokenStep.class);

    private final Chain chain;

    TokenStep(Chain chain) {
        this.chain = chain;
    }

    @Override
    public String stage() {
        return "token";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        chain.tokens().current();
        try {
            job.creditsBefore = chain.client().credits(chain.tokens().current());
        } catch (RuntimeException e) {
            // The balance is for the report; a job does not fail for want of it.
            LOG.debug("Job {}: credit balance unavailable: {}", job.id(), e.getMessage());
        }
    }
}
