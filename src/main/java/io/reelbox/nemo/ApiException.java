package io.reelbox.nemo;

import java.time.Duration;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/**
 * A failed API call, classified. {@code retryAfter} is set only when the server said how long to wait. The kinds
 * that a route can cure have classes of their own ({@link TokenExpired}, {@link SessionLost}, {@link RateLimited},
 * {@link ApiUnavailable}, {@link OutOfCredits}), so that {@code onException} blocks in the route configuration can
 * name them; everything else the API refuses is final and stays a plain {@code ApiException}.
 */
public class ApiException extends JobFailure {

    private final int httpStatus;
    private final Integer apiCode;
    private final Duration retryAfter;

    protected ApiException(Failure failure, int httpStatus, Integer apiCode, String message, Duration retryAfter,
                           String extraHint, Throwable cause) {
        super(failure, failure == Failure.WORK_DIR_FULL ? "work-dir-full" : apiCode != null ? String.valueOf(apiCode)
                : httpStatus > 0 ? "HTTP " + httpStatus : failure.name().toLowerCase().replace('_', '-'),
                message, extraHint, cause);
        this.httpStatus = httpStatus;
        this.apiCode = apiCode;
        this.retryAfter = retryAfter;
    }

    /** The exception of the class that matches {@code kind}. */
    public static ApiException of(Failure kind, int httpStatus, Integer apiCode, String message, Duration retryAfter, Throwable cause) {
        return of(kind, httpStatus, apiCode, message, retryAfter, null, cause);
    }

    private static ApiException of(Failure kind, int status, Integer code, String message, Duration retryAfter, String hint, Throwable cause) {
        return switch (kind) {
            case TOKEN_INVALID -> new TokenExpired(status, code, message, hint, cause);
            case SESSION_NOT_FOUND -> new SessionLost(status, code, message, hint, cause);
            case RATE_LIMITED -> new RateLimited(status, code, message, retryAfter, hint, cause);
            case UNAVAILABLE -> new ApiUnavailable(status, code, message, hint, cause);
            case OUT_OF_CREDITS -> new OutOfCredits(status, code, message, hint, cause);
            default -> new ApiException(kind, status, code, message, retryAfter, hint, cause);
        };
    }

    /** The same failure, with advice added to its hint (the registration link on 2001, say). */
    public ApiException withHint(String extraHint) {
        return of(failure(), httpStatus, apiCode, getMessage(), retryAfter, extraHint, this);
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
