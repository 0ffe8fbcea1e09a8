package io.reelbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders one draft at a time by default (two cores: a second ffmpeg would only slow both), the rest wait as
 * {@code pending}. Progress comes from ffmpeg's {@code -progress} output; an output is published under its final
 * name only after ffmpeg succeeded and the file is non-empty.
 */
public final class RenderQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenderQueue.class);

    /** A render as the status endpoint reports it. */
    public static final class Render {
        public final String id;
        public volatile String status = "pending";
        public volatile int progress;
        public volatile String error;
        public volatile Path output;
        public volatile double duration;
        public volatile long size;
        public final long createdAt = System.currentTimeMillis();
        volatile Process process;
        volatile boolean cancelled;

        Render(String id) {
            this.id = id;
        }
    }

    private final Ffmpeg ffmpeg;
    private final Path font;
    private final Path dir;
    private final ExecutorService workers;
    private final Map<String, Render> renders = new ConcurrentHashMap<>();

    public RenderQueue(Ffmpeg ffmpeg, Path font, Path dir, int concurrency) {
        this.ffmpeg = ffmpeg;
        this.font = font;
        this.dir = dir;
        this.workers = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "local-render");
            t.setDaemon(true);
            return t;
        });
    }

    public Render get(String id) {
        return renders.get(id);
    }

    public Map<String, Render> all() {
        return renders;
    }

    /** Queues a render; false when the id is taken (ids must be unique). */
    public boolean submit(String id, JsonNode draft, Map<String, Path> media) {
        Render r = new Render(id);
        if (renders.putIfAbsent(id, r) != null) {
            return false;
        }
        workers.submit(() -> run(r, draft, media));
        return true;
    }

    public void cancel(String id) {
        Render r = renders.get(id);
        if (r == null) {
            return;
        }
        r.cancelled = true;
        Process p = r.process;
        if (p != null) {
            p.destroyForcibly();
        }
        if (!"completed".equals(r.status)) {
            r.status = "failed";
            r.error = "cancelled";
        }
    }

    private void run(Render r, JsonNode draft, Map<String, Path> media) {
        if (r.cancelled) {
            return;
        }
        Path scratch = null;
        try {
            Files.createDirectories(dir);
            scratch = Files.createTempDirectory(dir, ".work-" + r.id);
            Path part = scratch.resolve("out.mp4");
            RenderCommand.Command cmd = RenderCommand.build(draft, media, font, scratch, part);
            r.status = "processing";
            long t0 = System.nanoTime();
            Process p = ffmpeg.start(cmd.args(), scratch.resolve("ffmpeg.log"));
            r.process = p;
            double totalUs = cmd.totalFrames() * 1_000_000.0 / Planner.FPS;
            Ffmpeg.readProgress(p, us -> r.progress = (int) Math.min(99, Math.max(0, Math.round(us * 100 / totalUs))));
            int rc = p.waitFor();
            if (r.cancelled) {
                return;
            }
            String log = tail(scratch.resolve("ffmpeg.log"));
            boolean writeFailed = log.toLowerCase(java.util.Locale.ROOT).contains("no space left") || log.contains("Error writing trailer");
            if (rc != 0 || writeFailed || !Files.exists(part) || Files.size(part) == 0) {
                if (writeFailed || diskFull()) {
                    // Its own log may not have fit either: say what happened in words a client can act on.
                    throw new IOException(NO_SPACE + " (" + dir + "): the render could not be written");
                }
                throw new IOException("ffmpeg exited with " + rc + ": " + log);
            }
            verify(part, cmd.totalFrames() / (double) Planner.FPS);
            Path out = dir.resolve(r.id + ".mp4");
            Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
            r.output = out;
            r.size = Files.size(out);
            r.duration = cmd.totalFrames() / (double) Planner.FPS;
            r.progress = 100;
            r.status = "completed";
            LOG.info("Local render {} done: {} s of video in {} ms", r.id, r.duration, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            r.status = "failed";
            r.error = e.getMessage();
            LOG.warn("Local render {} failed: {}", r.id, e.getMessage());
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * A render is complete only when its file plays for the planned length: ffmpeg can exit 0 with a file cut short
     * (a full disk while it rewrote the file for +faststart left 8 kB and no index).
     */
    private void verify(Path video, double planned) throws IOException {
        double duration;
        try {
            duration = MediaInfo.probe(ffmpeg, "render", video, io.reelbox.inbox.MediaKind.MP4).duration();
        } catch (IOException unreadable) {
            throw new IOException((diskFull() ? NO_SPACE + " (" + dir + ")" : "the render is not a playable video")
                    + ": " + unreadable.getMessage());
        }
        if (duration < planned - 1.0 / Planner.FPS - 0.05) {
            throw new IOException((diskFull() ? NO_SPACE + " (" + dir + "): " : "") + "the render was cut short: " + duration
                    + " s of the planned " + planned + " s");
        }
    }

    /** How a render that died of a full disk is reported (clients look for these words). */
    public static final String NO_SPACE = "no space left on the embedded backend's disk";

    /** The render folder's disk has less than a megabyte free: a render that failed now most likely ran out of it. */
    private boolean diskFull() {
        try {
            return Files.getFileStore(dir).getUsableSpace() < 1_000_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // cleanup is best effort; the age sweep tries again
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    @Override
    public void close() {
        renders.values().forEach(r -> {
            Process p = r.process;
            if (p != null) {
                p.destroyForcibly();
            }
        });
        workers.shutdownNow();
    }
}
