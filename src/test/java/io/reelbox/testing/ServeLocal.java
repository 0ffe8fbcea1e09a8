package io.reelbox.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code reelbox serve-local} in its own JVM: a render node a test can kill with SIGKILL. */
public final class ServeLocal implements AutoCloseable {

    private final Process process;
    public final String url;
    public final Path log;

    private ServeLocal(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    public static ServeLocal start(Path root, String name) throws IOException {
        Path log = root.resolve(name + ".log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "-Dreelbox.work-dir=" + root.resolve(name),
                "-Dreelbox.local.ffmpeg=" + Probe.ffmpeg().binary(), "io.reelbox.Reelbox", "serve-local", "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String marker = "serve-local: the NemoVideo API on";
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains(marker));
        String url = Files.readString(log).replaceAll("(?s).*" + marker + " (http://127\\.0\\.0\\.1:\\d+).*", "$1");
        return new ServeLocal(p, url, log);
    }

    /** SIGKILL: the node's process dies mid-whatever, as a crashed render machine would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
