package io.reelbox.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.reelbox.failure.Failure;
import io.reelbox.testing.TestSettings;

class RetrierTest {

    private final Retrier retrier = new Retrier(TestSettings.with(Map.of("reelbox.retry.attempts", "4")));

    private static ApiException err(Failure f, Duration retryAfter) {
        return new ApiException(f, 0, null, "x", retryAfter, null);
    }

    @Test
    void transientErrorsAreRetriedUpToTheLimit() {
        AtomicInteger calls = new AtomicInteger();
        Retrier.Attempts attempts = new Retrier.Attempts();
        String result = retrier.call("step", attempts, () -> {
            if (calls.incrementAndGet() < 3) {
                throw err(Failure.UNAVAILABLE, null);
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3, attempts.count());

        AtomicInteger always = new AtomicInteger();
        assertThrows(ApiException.class, () -> retrier.call("step", new Retrier.Attempts(), () -> {
            always.incrementAndGet();
            throw err(Failure.UNAVAILABLE, null);
        }));
        assertEquals(4, always.get());
    }

    @Test
    void finalErrorsAndDroppedStreamsAreNotRetried() {
        for (ApiException e : new ApiException[] {err(Failure.TOKEN_INVALID, null), err(Failure.UNSUPPORTED_FILE, null),
                err(Failure.EXPORT_BLOCKED, null), new StreamDroppedException("cut", null)}) {
            AtomicInteger calls = new AtomicInteger();
            ApiException thrown = assertThrows(ApiException.class, () -> retrier.call("s", new Retrier.Attempts(), () -> {
                calls.incrementAndGet();
                throw e;
            }));
            assertSame(e, thrown);
            assertEquals(1, calls.get(), e.failure().name());
        }
    }

    @Test
    void rateLimitHonoursRetryAfterElseBacksOffFromTheBase() {
        assertEquals(Duration.ofSeconds(7), retrier.delay(err(Failure.RATE_LIMITED, Duration.ofSeconds(7)), 1));
        Retrier real = new Retrier(TestSettings.with(Map.of("reelbox.retry.rate-limit-backoff", "30s", "reelbox.retry.max-backoff", "60s",
                "reelbox.retry.initial-backoff", "1s")));
        for (int attempt = 1; attempt <= 5; attempt++) {
            long ms = real.delay(err(Failure.RATE_LIMITED, null), attempt).toMillis();
            assertTrue(ms >= 30_000 && ms <= 60_000, "429 waits 30–60 s, got " + ms);
            long backoff = real.delay(err(Failure.UNAVAILABLE, null), attempt).toMillis();
            long cap = Math.min(60_000, 1000L << (attempt - 1));
            assertTrue(backoff >= cap / 2 && backoff <= cap, "jittered exponential, got " + backoff + " for " + attempt);
        }
    }
}
