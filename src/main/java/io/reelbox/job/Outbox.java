package io.reelbox.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

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

    private final Path dir;

    public Outbox(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Deletes the hidden {@code .part} files a killed daemon left behind. Only names of the form {@link #tempFor}
     * makes are touched: a user's own files never match.
     */
    public int removeStaleTemps() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("\\..+\\.[0-9a-f]{8}\\.part")).toList()) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        return n;
    }

    /** A fresh hidden temp path in the outbox for {@code name}. */
    public Path tempFor(String name) throws IOException {
        Files.createDirectories(dir);
        return dir.resolve("." + name + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    }

    /**
     * Publishes a verified MP4 as {@code base.mp4}, or {@code base-2.mp4}… when taken; the matching report name
     * ({@code .json}) must be free too, so a video and its report always share a name.
     */
    public Path publishVideo(Path temp, String base) throws IOException {
        try {
            return FreeName.place(dir, base, ".mp4", target -> {
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
