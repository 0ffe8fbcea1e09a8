package io.reelbox.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.failure.LocalIo;
import io.reelbox.inbox.FreeName;

/**
 * Writes into the outbox without ever showing or replacing a partial file: content goes to a hidden temp name
 * first, then a hard link gives it its final name (link creation fails if the name is taken, so nothing is ever
 * overwritten), then the temp name goes away.
 */
public final class Outbox {

    /** Another daemon's temp untouched this long belonged to a daemon that died: a live download keeps writing. */
    static final Duration ABANDONED = Duration.ofHours(1);
    /** {@code .name.<owner>.<random>.part}; before owner tags, {@code .name.<random>.part} (then: nobody's). */
    private static final Pattern TEMP = Pattern.compile("\\..+?(?:\\.([0-9a-f]{8}))?\\.[0-9a-f]{8}\\.part");

    private final Path dir;
    private final String owner;

    /** {@code owner}: this daemon's tag (8 hex digits), the same after a restart, different beside other daemons. */
    public Outbox(Path dir, String owner) {
        if (!owner.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("owner must be 8 hex digits: " + owner);
        }
        this.dir = dir;
        this.owner = owner;
    }

    public Path dir() {
        return dir;
    }

    /**
     * At start, before any download: deletes the hidden {@code .part} files this daemon left when it was killed, and
     * those of other daemons on the same outbox untouched for {@link #ABANDONED}. Another daemon's fresh temps are
     * its downloads in progress (nodes of a cluster, or two daemons on one inbox, start at different times).
     * Only names of the form {@link #tempFor} makes are touched: a user's own files never match.
     */
    public int removeStaleTemps() throws IOException {
        return removeTemps(true);
    }

    /** While running beside other daemons: deletes their temps untouched for {@link #ABANDONED} (their daemon died). */
    public int removeAbandonedTemps() throws IOException {
        return removeTemps(false);
    }

    private int removeTemps(boolean ownToo) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        FileTime abandoned = FileTime.from(Instant.now().minus(ABANDONED));
        int n = 0;
        try (var files = Files.list(dir)) {
            // An outbox of months holds thousands of videos and reports: only hidden .part names are looked at.
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(".") && f.toString().endsWith(".part")).toList()) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    boolean mine = owner.equals(m.group(1));
                    if ((ownToo && mine) || (!mine && Files.getLastModifiedTime(p).compareTo(abandoned) < 0)) {
                        n += Files.deleteIfExists(p) ? 1 : 0;
                    }
                } catch (java.nio.file.NoSuchFileException published) {
                    // its daemon published or deleted it meanwhile
                }
            }
        }
        return n;
    }

    /** A fresh hidden temp path in the outbox for {@code name}, tagged with this daemon's owner tag. */
    public Path tempFor(String name) throws IOException {
        Files.createDirectories(dir);
        return dir.resolve("." + name + "." + owner + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    }

    /**
     * Publishes a verified MP4 as {@code base.mp4}, or {@code base-2.mp4}… when taken; the matching report name
     * ({@code .json}) must be free too, so a video and its report always share a name.
     */
    public Path publishVideo(Path temp, String base) throws IOException {
        return publish(temp, base, "-", 1);
    }

    /** Publishes a new version of the video {@code root}: {@code root-v2.mp4}, or the next version free. */
    public Path publishVersion(Path temp, String root) throws IOException {
        return publish(temp, root, "-v", 2);
    }

    private Path publish(Path temp, String base, String separator, int first) throws IOException {
        try {
            return FreeName.place(dir, base, separator, first, ".mp4", target -> {
                if (Files.exists(sibling(target, ".json"))) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.createLink(target, temp);
            });
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the report next to its video. */
    public Path publishReport(Path video, byte[] json) throws IOException {
        Path temp = tempFor(video.getFileName().toString() + ".json");
        try {
            Files.write(temp, json, java.nio.file.StandardOpenOption.CREATE_NEW);
            String base = video.getFileName().toString().replaceFirst("\\.mp4$", "");
            return FreeName.place(dir, base, ".json", target -> Files.createLink(target, temp));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Path sibling(Path mp4, String ext) {
        return mp4.resolveSibling(mp4.getFileName().toString().replaceFirst("\\.mp4$", ext));
    }

    /**
     * Checks a downloaded file is an MP4 of the announced size: non-empty, an {@code ftyp} box first, and exactly
     * {@code announced} bytes when the API said how many.
     */
    public static void verifyMp4(Path file, long announced) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw bad("the download was empty");
            }
            if (announced > 0 && size != announced) {
                throw bad("the download has " + size + " bytes but the API announced " + announced + " (cut short?)");
            }
            byte[] head = new byte[12];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (n < 12 || head[4] != 'f' || head[5] != 't' || head[6] != 'y' || head[7] != 'p') {
                String looks = n > 0 && (head[0] == '<' || new String(head, 0, n).trim().startsWith("<")) ? " (it looks like an HTML page)" : "";
                throw bad("the download is not an MP4: no 'ftyp' box at its start" + looks);
            }
        } catch (IOException e) {
            throw LocalIo.failure(LocalIo.Place.OUTBOX, file, e);
        }
    }

    /** Writing {@code path} in the outbox failed: full ({@code outbox-full}), or read-only, missing… ({@code local-io}). */
    public JobFailure failure(Path path, IOException e) {
        return LocalIo.failure(LocalIo.Place.OUTBOX, path == null ? dir : path, e);
    }

    private static JobFailure bad(String message) {
        return new JobFailure(Failure.BAD_OUTPUT, "bad-output", message);
    }
}
