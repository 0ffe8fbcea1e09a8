package io.reelbox.failure;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A failed read or write on one of Reelbox's own folders, classified by its cause and its place. These are never
 * API failures: they are not retried as network faults, and their codes say where to act: {@code outbox-full},
 * {@code work-dir-full}, or {@code local-io} with the folder and the system's message. Java reports the cause only
 * as the system's message ({@code strerror}), so that is what is read.
 */
public final class LocalIo {

    /** Reelbox's own folders. */
    public enum Place {
        OUTBOX("the outbox"), WORK_DIR("the work dir"), INBOX("the inbox");

        private final String words;

        Place(String words) {
            this.words = words;
        }
    }

    private LocalIo() {
    }

    /** The job failure for {@code e}, met while reading or writing {@code path} in {@code place}. */
    public static JobFailure failure(Place place, Path path, IOException e) {
        String system = systemMessage(e);
        String where = place.words + " (" + path + ")";
        if (isFull(e)) {
            return switch (place) {
                case OUTBOX -> new OutboxFull("no space left on the disk of " + where + ": " + system, e);
                case WORK_DIR -> new JobFailure(Failure.WORK_DIR_FULL, "work-dir-full", "no space left on the disk of " + where + ": " + system, null, e);
                case INBOX -> new JobFailure(Failure.LOCAL_IO, "local-io", "no space left on the disk of " + where + ": " + system, null, e);
            };
        }
        return new JobFailure(Failure.LOCAL_IO, "local-io", "cannot write to " + where + ": " + system, null, e);
    }

    /** ENOSPC, and EDQUOT (a quota is a full disk to whoever hits it). */
    public static boolean isFull(IOException e) {
        String m = systemMessage(e).toLowerCase(Locale.ROOT);
        return m.contains("no space left on device") || m.contains("disk quota exceeded");
    }

    private static String systemMessage(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
