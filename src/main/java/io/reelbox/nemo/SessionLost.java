package io.reelbox.nemo;

import io.reelbox.failure.Failure;

/** 1002: the session is gone. A new session, with the media uploaded again, cures it. */
public final class SessionLost extends ApiException {

    /**
     * The render node that held the session is gone (its process died): the session went with it. The same cure as
     * a 1002: a new session, on another node, with the media uploaded again and the prompt sent there once.
     */
    public static SessionLost nodeGone(String message, Throwable cause) {
        return new SessionLost(0, null, message, "The job moved to another render node.", cause);
    }

    /**
     * A prompt that a node which then died had journaled as sent never reached its session: after the state reads,
     * the session has no edit at all. The job's new node gives up that session and prompts once in a new one.
     */
    public static SessionLost promptNeverArrived(String message) {
        return new SessionLost(0, null, message, "The prompt went once to a new session.", null);
    }

    SessionLost(int httpStatus, Integer apiCode, String message, String extraHint, Throwable cause) {
        super(Failure.SESSION_NOT_FOUND, httpStatus, apiCode, message, null, extraHint, cause);
    }
}
