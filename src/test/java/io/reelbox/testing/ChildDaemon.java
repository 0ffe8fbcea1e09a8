package io.reelbox.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The daemon as a separate JVM, so a test can kill it with SIGKILL exactly as a crash or a power cut would. */
public final class ChildDaemon implements AutoCloseable {

    private final Process process;
    public final Path log;

    private ChildDaemon(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildDaemon start(Path root, Map<String, String> props, String logName) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        TestSettings.daemonIn(root, props).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.reelbox.Reelbox");
        Path log = root.resolve(logName);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildDaemon child = new ChildDaemon(p, log);
        await().atMost(Duration.ofSeconds(60)).until(() -> child.logContains("Reelbox running"));
        return child;
    }

    public boolean logContains(String text) throws IOException {
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    /** SIGKILL: no shutdown hook, no cleanup, no last write. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process freezes as a whole (a long GC pause, a suspended VM); its sockets stay open. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: it runs on from where it froze, unaware of the time that passed. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IOException("kill -" + name + " failed: " + rc);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM: the daemon's graceful stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
