package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** The API did not answer properly: a network error, a timeout, a 5xx or an unreadable answer. Time cures it. */
public final class ApiUnavailable extends ApiException {

    /**
     * The server is not there: the connection was refused, or dropped with no answer (its process died). A timeout
     * or a 5xx is a slow or troubled server, not a gone one.
     */
    public boolean serverGone() {
        for (Throwable t = getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof org.apache.hc.core5.http.NoHttpResponseException
                    || (t instanceof java.net.SocketException && String.valueOf(t.getMessage()).contains("reset"))) {
                return true;
            }
        }
        return false;
    }

    ApiUnavailable(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.UNAVAILABLE, httpStatus, apiCode, message, null, extraHint, cause);
    }
}
