package io.reelbox.failure;

/**
 * The outbox's disk is full. Not the end of the job: the route configuration parks it, its finished render waiting
 * in {@code .processing/}, until there is room.
 */
public final class OutboxFull extends JobFailure {

    public OutboxFull(String message, Throwable cause) {
        super(Failure.OUTBOX_FULL, "outbox-full", message, null, cause);
    }
}
