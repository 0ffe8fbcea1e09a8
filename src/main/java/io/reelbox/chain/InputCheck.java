package io.reelbox.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.camel.Exchange;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.inbox.MediaKind;
import io.reelbox.job.Job;

/**
 * The job route's first step: refuses what intake refused, then checks every local file (type by name and content,
 * size) before anything is sent anywhere, and fingerprints the inputs for the report.
 */
public final class InputCheck {

    private final Settings settings;

    public InputCheck(Settings settings) {
        this.settings = settings;
    }

    public void check(Exchange exchange) throws IOException {
        Job job = Job.of(exchange);
        if (job.claimed().intakeFailure() != null) {
            throw job.claimed().intakeFailure();
        }
        job.stage = "check";
        long t0 = System.nanoTime();
        try {
            checkFiles(job);
        } finally {
            job.timings.merge("check", (System.nanoTime() - t0) / 1_000_000, Long::sum);
        }
    }

    private void checkFiles(Job job) throws IOException {
        long max = settings.bytes("reelbox.upload.max-size");
        job.inputs.clear();
        for (Path rel : job.claimed().files()) {
            Path f = job.claimed().workDir().resolve(rel);
            job.inputs.add(new Job.Input(rel.toString(), Files.size(f), sha256(f)));
        }
        for (Path rel : job.claimed().media()) {
            checkMedia(job.claimed().workDir().resolve(rel), rel.toString(), max);
        }
    }

    private static void checkMedia(Path f, String name, long max) throws IOException {
        if (Files.isSymbolicLink(f) || !Files.isRegularFile(f)) {
            throw new JobFailure(Failure.BAD_MEDIA, "not-a-file", name + " is not a regular file");
        }
        MediaKind kind = MediaKind.byName(name).orElseThrow(() -> new JobFailure(Failure.UNSUPPORTED_FILE, "unsupported-type",
                name + " has an unsupported type; accepted: " + MediaKind.ACCEPTED));
        long size = Files.size(f);
        if (size == 0) {
            throw new JobFailure(Failure.BAD_MEDIA, "empty-file", name + " is empty (0 bytes)");
        }
        if (size > max) {
            throw new JobFailure(Failure.FILE_TOO_LARGE, "too-large", name + " is " + size / 1_000_000 + " MB; the limit is "
                    + max / 1_000_000 + " MB");
        }
        if (!kind.matches(f)) {
            throw new JobFailure(Failure.BAD_MEDIA, "content-mismatch", name + " is named ." + kind.name().toLowerCase()
                    + " but its content is not " + kind.name() + " (renamed or damaged file?)");
        }
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
