package io.reelbox.local.render;

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

import io.reelbox.local.Ffmpeg;
import io.reelbox.local.Timeline;
import io.reelbox.local.delivery.Delivery;
import io.reelbox.local.delivery.DeliveryCheck;
import io.reelbox.local.delivery.Target;

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
        /** What the finished video measured against its target (null until it is checked). */
        public volatile Delivery delivery;
        public final long createdAt = System.currentTimeMillis();
        final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean cancelled;
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        Render(String id) {
            this.id = id;
        }

        /** Sets the final status ({@code completed} or {@code failed}) and wakes whoever waits for it. */
        void end(String finalStatus) {
            status = finalStatus;
            ended.countDown();
        }

        /** Waits up to {@code max} for the render to end; true when it has. */
        public boolean awaitEnd(java.time.Duration max) throws InterruptedException {
            return ended.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private final Ffmpeg ffmpeg;
    private final Path font;
    private final Path dir;
    private final int parts;
    private final double loudness;
    private final ExecutorService workers;
    private final Map<String, Render> renders = new ConcurrentHashMap<>();

    /**
     * {@code parts}: 1 renders each video in one ffmpeg run; 2 renders long ones as two halves side by side.
     * {@code loudness}: the integrated loudness every video's sound is brought to (LUFS).
     */
    public RenderQueue(Ffmpeg ffmpeg, Path font, Path dir, int concurrency, int parts, double loudness) {
        this.ffmpeg = ffmpeg;
        this.font = font;
        this.dir = dir;
        this.parts = parts;
        this.loudness = loudness;
        this.workers = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "local-render");
            t.setDaemon(true);
            return t;
        });
    }

    public Render get(String id) {
        return renders.get(id);
    }

    /** How many renders have this status now ({@code pending}: queued; {@code processing}: rendering). */
    public int count(String status) {
        return (int) renders.values().stream().filter(r -> status.equals(r.status)).count();
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
        // Status changes of one render happen under its lock: a cancel that lands while the worker plans the render
        // must not be overwritten by the worker's "processing" (the render would then show processing for ever).
        synchronized (r) {
            r.cancelled = true;
            if (!"completed".equals(r.status)) {
                r.error = "cancelled";
                r.end("failed");
            }
        }
        r.processes.forEach(Process::destroyForcibly);
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
            synchronized (r) {
                if (r.cancelled) {
                    return;
                }
                r.status = "processing";
            }
            long t0 = System.nanoTime();
            // One run needs the loudness before it starts; a split render measures it beside the picture's halves.
            Loudness loud = RenderPlan.splits(draft, parts) ? null : measureLoudness(r, draft, media, scratch);
            RenderPlan plan = RenderPlan.of(draft, media, font, scratch, part, parts, loud);
            runParts(r, plan, draft, media, scratch);
            if (!plan.join().isEmpty()) {
                start(r, plan.join(), scratch.resolve("ffmpeg-join.log"), us -> { }).finish(r);
            }
            if (r.cancelled) {
                return;
            }
            if (!Files.exists(part) || Files.size(part) == 0) {
                throw new IOException(diskFull(dir) ? NO_SPACE + " (" + dir + "): the render could not be written" : "ffmpeg wrote no video");
            }
            r.delivery = deliver(part, draft, plan.totalFrames() / (double) Timeline.FPS);
            Path out = dir.resolve(r.id + ".mp4");
            Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
            r.output = out;
            r.size = Files.size(out);
            r.duration = plan.totalFrames() / (double) Timeline.FPS;
            synchronized (r) {
                if (r.cancelled) {
                    Files.deleteIfExists(out);
                    return;
                }
                r.progress = 100;
                r.end("completed");
            }
            LOG.info("Local render {} done: {} s of video in {} ms", r.id, r.duration, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            synchronized (r) {
                if (r.cancelled) {
                    return;
                }
                // A full disk can strike any pass, the loudness pass's log included: say so, and where.
                boolean full = diskFull(dir) && (e.getMessage() == null || !e.getMessage().startsWith(NO_SPACE));
                r.error = full ? NO_SPACE + " (" + dir + "): " + e.getMessage() : e.getMessage();
                r.end("failed");
                r.processes.forEach(Process::destroyForcibly);
            }
            LOG.warn("Local render {} failed: {}", r.id, e.getMessage());
        } finally {
            deleteTree(scratch);
        }
    }

    /** The picture's runs side by side, and the sound's (its loudness measured meanwhile when it is apart); waits for all. */
    private void runParts(Render r, RenderPlan plan, JsonNode draft, Map<String, Path> media, Path scratch)
            throws IOException, InterruptedException {
        long[] done = new long[plan.video().size()];
        double totalUs = plan.totalFrames() * 1_000_000.0 / Timeline.FPS;
        List<Run> runs = new java.util.ArrayList<>();
        for (int k = 0; k < plan.video().size(); k++) {
            int slot = k;
            runs.add(start(r, plan.video().get(k).args(), scratch.resolve("ffmpeg-" + k + ".log"), us -> {
                done[slot] = us;
                r.progress = (int) Math.min(99, Math.max(0, Math.round(java.util.Arrays.stream(done).sum() * 100 / totalUs)));
            }));
        }
        if (plan.separateSound()) {
            // The picture's halves are under way: the loudness pass runs beside them, then the sound it sets.
            runs.add(start(r, RenderPlan.sound(draft, media, font, scratch, measureLoudness(r, draft, media, scratch)).args(),
                    scratch.resolve("ffmpeg-sound.log"), us -> { }));
        }
        for (Run run : runs) {
            run.finish(r);
        }
    }

    /** The first of the two loudness passes: the sound alone, mixed as the render will mix it, measured. */
    private Loudness measureLoudness(Render r, JsonNode draft, Map<String, Path> media, Path scratch) throws IOException, InterruptedException {
        Path log = scratch.resolve("ffmpeg-loudness.log");
        RenderCommand.Command measure = RenderCommand.build(draft, media, font, scratch, scratch.resolve("none"), RenderCommand.Streams.MEASURE,
                new Loudness(loudness, null));
        start(r, measure.args(), log, us -> { }).finish(r);
        return Loudness.read(loudness, Files.readString(log));
    }

    /** One ffmpeg process of a render, its progress read on a thread of its own so that parts run side by side. */
    private record Run(Process process, Thread reader, Path log) {

        void finish(Render r) throws IOException, InterruptedException {
            int rc = process.waitFor();
            reader.join();
            if (r.cancelled) {
                return;
            }
            String tail = tail(log);
            boolean writeFailed = tail.toLowerCase(java.util.Locale.ROOT).contains("no space left") || tail.contains("Error writing trailer");
            if (rc != 0 || writeFailed) {
                r.processes.forEach(Process::destroyForcibly);
                if (writeFailed || diskFull(log.getParent())) {
                    // Its own log may not have fit either: say what happened in words a client can act on.
                    throw new IOException(NO_SPACE + " (" + log.getParent().getParent() + "): the render could not be written");
                }
                throw new IOException("ffmpeg exited with " + rc + ": " + tail);
            }
        }
    }

    private Run start(Render r, List<String> args, Path log, java.util.function.Consumer<Long> progress) throws IOException {
        Process p = ffmpeg.start(args, log);
        r.processes.add(p);
        if (r.cancelled) {
            p.destroyForcibly();
        }
        Thread reader = new Thread(() -> {
            try {
                Ffmpeg.readProgress(p, progress);
            } catch (IOException ignored) {
                // the process died; finish() reports its exit code and log
            }
        }, "local-render-progress");
        reader.setDaemon(true);
        reader.start();
        return new Run(p, reader, log);
    }

    /**
     * A render is complete only when its file meets its target (see {@link DeliveryCheck}), which includes playing for
     * the planned length: ffmpeg can exit 0 with a file cut short (a full disk while it rewrote the file for
     * +faststart left 8 kB and no index). A video that misses is not published: the render fails, saying why.
     */
    private Delivery deliver(Path video, JsonNode draft, double planned) throws IOException {
        JsonNode m = draft.path("m");
        Target target = new Target(Filters.even(m.path("width").asInt(1920)), Filters.even(m.path("height").asInt(1080)),
                m.path("fps").asInt(Timeline.FPS), planned, loudness);
        Delivery delivery;
        try {
            delivery = new DeliveryCheck(ffmpeg).check(video, target);
        } catch (IOException unreadable) {
            throw new IOException((diskFull(dir) ? NO_SPACE + " (" + dir + ")" : "the render is not a playable video")
                    + ": " + unreadable.getMessage());
        }
        if (!delivery.passed()) {
            throw new IOException((diskFull(dir) ? NO_SPACE + " (" + dir + "): " : "") + "the video missed its delivery target: "
                    + String.join("; ", delivery.problems()));
        }
        return delivery;
    }

    /** How a render that died of a full disk is reported (clients look for these words). */
    public static final String NO_SPACE = "no space left on the embedded backend's disk";

    /** The folder's disk has less than a megabyte free: a render that failed now most likely ran out of it. */
    private static boolean diskFull(Path dir) {
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

    public static void deleteTree(Path p) {
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
        renders.values().forEach(r -> r.processes.forEach(Process::destroyForcibly));
        workers.shutdownNow();
    }
}
