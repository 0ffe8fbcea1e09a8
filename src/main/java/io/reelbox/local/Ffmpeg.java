package io.reelbox.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The ffmpeg binary the local backend renders with: the static ffmpeg 4.4 shipped in
 * {@code ws.schild:jave-nativebin-linux64}, copied out of its jar once into the work dir, or any binary named by
 * {@code reelbox.local.ffmpeg}. There is no ffprobe in that package: probing reads {@code ffmpeg -i} output.
 */
public final class Ffmpeg {

    private static final String BUNDLED = "ws/schild/jave/nativebin/ffmpeg-amd64";

    private final Path binary;

    public Ffmpeg(Path binary) {
        this.binary = binary;
    }

    public Path binary() {
        return binary;
    }

    /** The configured binary, or the bundled one extracted into {@code binDir} (once; reused while its size matches). */
    public static Ffmpeg locate(String configured, Path binDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new IOException("reelbox.local.ffmpeg points at " + p + ", which is not an executable file");
            }
            return new Ffmpeg(p);
        }
        var url = Ffmpeg.class.getClassLoader().getResource(BUNDLED);
        if (url == null) {
            throw new IOException("the bundled ffmpeg (ws.schild:jave-nativebin-linux64) is not on the classpath; set reelbox.local.ffmpeg");
        }
        long size = url.openConnection().getContentLengthLong();
        Path target = binDir.resolve("ffmpeg-4.4-amd64");
        if (Files.isExecutable(target) && Files.size(target) == size) {
            return new Ffmpeg(target);
        }
        Files.createDirectories(binDir);
        Path tmp = Files.createTempFile(binDir, ".ffmpeg", ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Ffmpeg(target);
    }

    /** Runs ffmpeg to completion; returns its stderr. Exit code 1 is normal for {@code -i} without an output. */
    public String run(List<String> args, long timeoutSeconds) throws IOException {
        Process p = start(args, null);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        awaitExit(p, timeoutSeconds, "finish");
        return err;
    }

    /**
     * Waits for {@code p} to exit and returns its exit code; kills it and throws when it takes over
     * {@code timeoutSeconds} (saying it did not {@code what}) or the wait is interrupted.
     */
    public static int awaitExit(Process p, long timeoutSeconds, String what) throws IOException {
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("ffmpeg did not " + what + " within " + timeoutSeconds + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Starts ffmpeg with {@code -progress pipe:1}; {@code onProgress} receives each {@code out_time_us} in
     * microseconds. Stderr goes to {@code log} (so a full pipe never blocks the process).
     */
    public Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("-hide_banner");
        cmd.add("-nostdin");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (log != null) {
            pb.redirectError(log.toFile());
        }
        return pb.start();
    }

    public static void readProgress(Process p, Consumer<Long> onOutTimeUs) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("out_time_us=") || line.startsWith("out_time_ms=")) {
                    try {
                        onOutTimeUs.accept(Long.parseLong(line.substring(line.indexOf('=') + 1).trim()));
                    } catch (NumberFormatException ignored) {
                        // "N/A" before the first frame
                    }
                }
            }
        }
    }
}
