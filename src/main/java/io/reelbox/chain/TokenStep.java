package io.reelbox.chain;

import org.apache.camel.Exchange;

import io.reelbox.job.CreditGate;
import io.reelbox.job.Job;

/** {@code nemo:token}: makes sure a token is at hand (a configured one, or an anonymous one, cached) and notes the credits. */
final class TokenStep implements Step {

    private final Chain chain;
    private final CreditGate credits;

    TokenStep(Chain chain, CreditGate credits) {
        this.chain = chain;
        this.credits = credits;
    }

    @Override
    public String stage() {
        return "token";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        chain.pool().node(job).tokens().current();
        job.creditsBefore = credits.balance();
    }
}
