package io.reelbox.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system (tmpfs) mounted on a test's folder, so that a full disk is really full: ENOSPC from the
 * kernel, not a fake. Mounting needs root (CI and these machines run as root); elsewhere the test is skipped and says
 * why.
 */
public final class Tmpfs implements AutoCloseable {

    public final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax: 1m, 512k) on {@code dir}, or skips the test. */
    public static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        assumeTrue(why == null, () -> "skipped: cannot mount a small file system here to fill it (" + why
                + "); the full-disk tests need root, as in CI");
        return new Tmpfs(dir);
    }

    /** Fills the disk until only {@code leave} bytes are free; returns the filler, whose deletion frees the space. */
    public Path fill(long leave) throws IOException {
        Path filler = dir.resolve(".filler");
        long free = Files.getFileStore(dir).getUsableSpace();
        try (var out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            for (long n = Math.max(0, free - leave); n > 0; n -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, n));
            }
        }
        return filler;
    }

    public long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
    }
}
