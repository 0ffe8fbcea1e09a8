package io.reelbox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.Probe;

/**
 * The jar as a user runs it, after {@code package}: {@code java -jar target/reelbox.jar --once} in a folder of its own
 * (so the packaged routes and settings, and only the runtime classpath of target/lib/), with the example job in its
 * inbox. The unit and end-to-end tests run on the test classpath, which has more on it than the jar ships.
 */
class PackagedJarIT {

    @TempDir
    Path dir;

    @Test
    void theReadmesFirstCommandRendersTheExampleJob() throws Exception {
        Path jar = Path.of("target", "reelbox.jar").toAbsolutePath();
        Path job = Files.createDirectories(dir.resolve("inbox/lakeside"));
        try (Stream<Path> files = Files.list(Path.of("inbox-example", "lakeside"))) {
            for (Path f : files.toList()) {
                Files.copy(f, job.resolve(f.getFileName()));
            }
        }
        Path log = dir.resolve("reelbox.log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar", jar.toString(), "--once")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(4, TimeUnit.MINUTES), "--once ends by itself");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("using the packaged routes"), "no routes/ here: the jar's own");
        assertTrue(output.contains("Dashboard and job API on http://127.0.0.1:8780/"), "the operations server runs from the jar");
        Path video = dir.resolve("outbox/lakeside.mp4");
        assertTrue(Files.exists(dir.resolve("outbox/lakeside.json")), output);
        assertEquals(60.0, Probe.info(video).duration(), 1 / 30.0);
        try (Stream<Path> done = Files.list(dir.resolve("inbox/.done/lakeside"))) {
            assertEquals(7, done.count());
        }
        try (Stream<Path> inbox = Files.list(dir.resolve("inbox"))) {
            assertEquals(List.of(".done", ".processing"), inbox.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theStatusCommandSaysWhenNoDaemonAnswers() throws Exception {
        Path log = dir.resolve("status.log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target", "reelbox.jar").toAbsolutePath().toString(), "status", "--port", "1")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(log).startsWith("Cannot reach Reelbox at http://127.0.0.1:1"), Files.readString(log));
    }

    @Test
    void aDaemonThatCannotStartSaysWhyAndExits() throws Exception {
        Path log = dir.resolve("reelbox.log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Dreelbox.concurrency=lots",
                "-jar", Path.of("target", "reelbox.jar").toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "exits instead of hanging");
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(log).contains("Reelbox could not start: Setting 'reelbox.concurrency' must be a whole number"),
                Files.readString(log));
    }
}
