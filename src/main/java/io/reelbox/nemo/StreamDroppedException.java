package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/**
 * The prompt reached the server but its stream ended abnormally (reset, read timeout, keep-alives only). The
 * generation may still be running, so the prompt must not be sent again: the caller reads the session state instead.
 */
public final class StreamDroppedException extends ApiException {

    public StreamDroppedException(String message, Throwable cause) {
        super(Failure.UNAVAILABLE, 0, null, message, null, null, cause);
    }
}
