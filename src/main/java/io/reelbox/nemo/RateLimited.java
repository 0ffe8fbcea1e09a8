package io.reelbox.nemo;

import java.time.Duration;

import io.reelbox.failure.Failure;

/** HTTP 429: too many requests. Waiting cures it: {@link #retryAfter()} when the server said how long. */
public final class RateLimited extends ApiException {

    RateLimited(int httpStatus, Integer apiCode, String message, Duration retryAfter, String extraHint, Throwable cause) {
        super(Failure.RATE_LIMITED, httpStatus, apiCode, message, retryAfter, extraHint, cause);
    }
}
