package io.reelbox.failure;

/**
 * A job-ending problem with what the user needs to fix it. {@code code} is the API's error code or HTTP status
 * ("1001", "HTTP 402") or a local code ("bad-sidecar"). Messages never carry tokens: callers pass text that is safe
 * to show.
 */
public class JobFailure extends RuntimeException {

    private final Failure failure;
    private final String code;
    private final String hint;

    public JobFailure(Failure failure, String code, String message) {
        this(failure, code, message, null, null);
    }

    public JobFailure(Failure failure, String code, String message, String extraHint, Throwable cause) {
        // Another job failure is kept as suppressed, not as the cause: Camel picks an onException rule by the
        // innermost cause first, and a final failure must not be retried under the rule of the failure it replaced.
        super(message, cause instanceof JobFailure ? null : cause);
        if (cause instanceof JobFailure) {
            addSuppressed(cause);
        }
        this.failure = failure;
        this.code = code;
        this.hint = extraHint == null ? failure.hint() : failure.hint() + " " + extraHint;
    }

    public Failure failure() {
        return failure;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }
}
