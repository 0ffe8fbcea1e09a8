package io.reelbox.job;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.nemo.Credits;
import io.reelbox.nemo.NemoClient;

/**
 * Closes intake when the API says the account is out of credits (2001), so waiting jobs stay in the inbox
 * untouched instead of failing one after another; the credit-check route reopens it when the balance is positive.
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

    public boolean isOpen() {
        return !paused.get();
    }

    public void pause() {
        if (paused.compareAndSet(false, true)) {
            LOG.warn("Out of credits: intake paused; jobs wait in the inbox until the balance is positive again");
        }
    }

    /** Called periodically by the credit-check route; a failed check keeps the gate as it is. */
    public void recheck() {
        if (!paused.get()) {
            return;
        }
        try {
            Credits c = client.credits(tokens.current());
            if (c.available() > 0) {
                paused.set(false);
                LOG.info("Credits available again ({}): intake resumed", c.available());
            } else {
                LOG.info("Still out of credits; intake stays paused");
            }
        } catch (RuntimeException e) {
            LOG.warn("Credit check failed: {}", e.getMessage());
        }
    }
}
