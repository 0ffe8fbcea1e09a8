package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** 2001: the account is out of credits. Final for the job; intake pauses until credits return. */
public final class OutOfCredits extends ApiException {

    OutOfCredits(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.OUT_OF_CREDITS, httpStatus, apiCode, message, null, extraHint, cause);
    }
}
