package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** 1002: the session is gone. A new session, with the media uploaded again, cures it. */
public final class SessionLost extends ApiException {

    SessionLost(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.SESSION_NOT_FOUND, httpStatus, apiCode, message, null, extraHint, cause);
    }
}
