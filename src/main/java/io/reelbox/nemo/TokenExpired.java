package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** 1001 (or HTTP 401): the token expired or is not valid. A new anonymous token cures it; a configured one that is rejected is final. */
public final class TokenExpired extends ApiException {

    private boolean servedBefore;

    TokenExpired(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.TOKEN_INVALID, httpStatus, apiCode, message, null, extraHint, cause);
    }

    /**
     * The rejected token had served calls before: it expired, which the next token cures, rather than a token that
     * never worked (the kind of rejection the 1001 budget counts).
     */
    public TokenExpired servedBefore() {
        servedBefore = true;
        return this;
    }

    public boolean wasServedBefore() {
        return servedBefore;
    }
}
