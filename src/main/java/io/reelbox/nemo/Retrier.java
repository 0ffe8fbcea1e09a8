package io.reelbox.nemo;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/**
 * Retries one API step on the failures that time cures: network errors, timeouts and 5xx with bounded, jittered
 * exponential backoff; 429 after {@code Retry-After}, or a jittered back-off starting at the rate-limit delay. Every
 * other failure is passed up at once: token and session errors need the caller's help, the rest are final.
 */
public final class Retrier {

    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** How to wait between attempts; the daemon's waits end early when it stops. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d);
    }

    private final Settings settings;
    private final Sleeper sleeper;

    public Retrier(Settings settings) {
        this(settings, Retrier::sleep);
    }

    public Retrier(Settings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /** An attempt counter the caller can read for the report. */
    public static final class Attempts {
        private int count;

        public int count() {
            return count;
        }

        void add() {
            count++;
        }
    }

    public <T> T call(String step, Attempts attempts, Supplier<T> call) {
        int max = Math.max(1, settings.integer("reelbox.retry.attempts"));
        for (int attempt = 1; ; attempt++) {
            attempts.add();
            try {
                return call.get();
            } catch (ApiException e) {
                boolean retryable = e.is(Failure.UNAVAILABLE) || e.is(Failure.RATE_LIMITED);
                if (!retryable || e instanceof StreamDroppedException || attempt >= max) {
                    throw e;
                }
                Duration wait = delay(e, attempt);
                LOG.warn("{} failed ({}), retry {}/{} in {} ms", step, e.getMessage(), attempt, max - 1, wait.toMillis());
                sleeper.sleep(wait);
            }
        }
    }

    Duration delay(ApiException e, int attempt) {
        if (e.is(Failure.RATE_LIMITED) && e.retryAfter() != null) {
            return e.retryAfter();
        }
        Duration base = e.is(Failure.RATE_LIMITED)
                ? settings.duration("reelbox.retry.rate-limit-backoff")
                : settings.duration("reelbox.retry.initial-backoff");
        long cap = settings.duration("reelbox.retry.max-backoff").toMillis();
        long exp = Math.min(cap, base.toMillis() << Math.min(attempt - 1, 20));
        // Full jitter in the upper half: spreads concurrent jobs without ever retrying immediately.
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        return Duration.ofMillis(Math.max(e.is(Failure.RATE_LIMITED) ? Math.min(base.toMillis(), cap) : 0, jittered));
    }

    /** Sleeps, turning an interrupt (the daemon stopping) into a job-ending failure that keeps the interrupt flag. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping", null, e);
        }
    }
}
