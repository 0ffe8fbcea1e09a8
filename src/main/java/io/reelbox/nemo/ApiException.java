package io.reelbox.nemo;

import java.time.Duration;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/** A failed API call, classified. {@code retryAfter} is set only when the server said how long to wait. */
public class ApiException extends JobFailure {

    private final int httpStatus;
    private final Integer apiCode;
    private final Duration retryAfter;

    public ApiException(Failure failure, int httpStatus, Integer apiCode, String message, Duration retryAfter, Throwable cause) {
        super(failure, apiCode != null ? String.valueOf(apiCode)
                : httpStatus > 0 ? "HTTP " + httpStatus : failure.name().toLowerCase().replace('_', '-'),
                message, null, cause);
        this.httpStatus = httpStatus;
        this.apiCode = apiCode;
        this.retryAfter = retryAfter;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Integer apiCode() {
        return apiCode;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean is(Failure kind) {
        return failure() == kind;
    }
}
