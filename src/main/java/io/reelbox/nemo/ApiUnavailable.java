package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** The API did not answer properly: a network error, a timeout, a 5xx or an unreadable answer. Time cures it. */
public final class ApiUnavailable extends ApiException {

    ApiUnavailable(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.UNAVAILABLE, httpStatus, apiCode, message, null, extraHint, cause);
    }
}
