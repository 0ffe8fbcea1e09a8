package io.reelbox.job;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.nemo.Credits;
import io.reelbox.nemo.NemoClient;

/**
 * Remembers that the account ran out of credits (2001). The route configuration suspends the intake route when
 * that happens, so waiting jobs stay in the inbox untouched instead of failing one after another; the credit-check
 * route asks {@link #creditsReturned} and resumes intake.
 */
public final class CreditGate {

    private static final Logger LOG = LoggerFactory.getLogger(CreditGate.class);

    private final AtomicBoolean paused = new AtomicBoolean();
    private final NemoClient client;
    private final TokenStore tokens;

    public CreditGate(NemoClient client, TokenStore tokens) {
        this.client = client;
        this.tokens = tokens;
    }

    /** The balance, for the report; null when the API cannot say (a job does not fail for want of it). */
    public Credits balance() {
        try {
            return client.credits(tokens.current());
        } catch (RuntimeException e) {
            LOG.debug("Credit balance unavailable: {}", e.getMessage());
            return null;
        }
    }

    /** Intake is paused until credits return. */
    public boolean paused() {
        return paused.get();
    }

    public void pause() {
        if (paused.compareAndSet(false, true)) {
            LOG.warn("Out of credits: intake paused; jobs wait in the inbox until the balance is positive again");
        }
    }

    /** True once, when intake was paused for credits and the balance is positive again; a failed check changes nothing. */
    public boolean creditsReturned() {
        if (!paused.get()) {
            return false;
        }
        try {
            Credits c = client.credits(tokens.current());
            if (c.available() > 0 && paused.compareAndSet(true, false)) {
                LOG.info("Credits available again ({}): intake resumed", c.available());
                return true;
            }
            LOG.info("Still out of credits; intake stays paused");
        } catch (RuntimeException e) {
            LOG.warn("Credit check failed: {}", e.getMessage());
        }
        return false;
    }
}
