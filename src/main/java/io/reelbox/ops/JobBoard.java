package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.Job;
import io.reelbox.job.Outcomes;
import io.reelbox.job.JobRegistry;
import io.reelbox.refine.FinishedJobs;

/**
 * What the job API and the dashboard show, read from where the truth already is: the jobs in flight from the
 * registry, the waiting ones from the inbox, the finished ones from the outbox's reports and the failed ones from
 * the {@code error.json} files in {@code inbox/.failed/}. Nothing is kept of its own, so the history survives a
 * restart as the files do. Parsed files are cached by modification time.
 */
public final class JobBoard {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Finished and failed jobs listed, newest first. */
    static final int RECENT = 50;

    /** A finished job: its reports (one per video) and the videos in the outbox. */
    public record Done(String id, String name, Instant finishedAt, List<JsonNode> reports, List<Path> videos) {
    }

    /** A failed job: its folder in {@code .failed/} and its newest {@code error.json}. */
    public record Failed(String id, String name, Path folder, JsonNode error, Instant failedAt) {
    }

    private record Parsed(FileTime mtime, JsonNode json) {
    }

    private final JobRegistry registry;
    private final InboxScanner scanner;
    private final Path outbox;
    private final Supplier<ObjectNode> daemonState;
    private final Supplier<Collection<Job>> parked;
    /** Parsed reports of the outbox, kept to the ones listed; parsed error files of .failed/. */
    private final Map<Path, Parsed> reportCache = new ConcurrentHashMap<>();
    private final Map<Path, Parsed> errorCache = new ConcurrentHashMap<>();
    /** The outbox's reports grouped by job, and the failed jobs' folders; each newest first, read again when changed. */
    private final FolderListing<Done> finished;
    private final FolderListing<Failed> failures;

    /**
     * {@code daemonState}: the state of intake and the main settings, shown above the jobs; {@code parked}: the jobs
     * whose finished videos wait for room in the outbox (listed as running, in state {@code waiting-for-room}).
     */
    public JobBoard(JobRegistry registry, InboxScanner scanner, Path outbox, Supplier<ObjectNode> daemonState,
                    Supplier<Collection<Job>> parked) {
        this.registry = registry;
        this.scanner = scanner;
        this.outbox = outbox;
        this.daemonState = daemonState;
        this.parked = parked;
        this.finished = new FolderListing<>(outbox, this::readDone);
        this.failures = new FolderListing<>(scanner.layout().failed(), () -> readFailed(scanner.layout().failed()));
    }

    /** {@code GET /api/jobs}: waiting, running, recent done and failed, and the state of intake. */
    public ObjectNode all() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.setAll(daemonState.get());
        ArrayNode waiting = root.putArray("waiting");
        for (InboxScanner.Waiting w : scanner.waiting()) {
            waiting.addObject().put("name", w.name()).put("since", w.since().toString()).put("state", "waiting");
        }
        ArrayNode running = root.putArray("running");
        registry.running().stream().sorted(Comparator.comparing(Job::startedAt)).forEach(j -> running.add(running(j)));
        parked.get().forEach(j -> running.add(running(j).put("state", "waiting-for-room")));
        ArrayNode done = root.putArray("done");
        finished.get().stream().limit(RECENT).forEach(d -> done.add(done(d)));
        ArrayNode failed = root.putArray("failed");
        failures.get().stream().limit(RECENT).forEach(f -> failed.add(failed(f)));
        return root;
    }

    /** {@code GET /api/jobs/{id}}: the job, wherever it is; empty when no job has that id. */
    public Optional<ObjectNode> one(String id) throws IOException {
        Optional<Job> run = registry.find(id);
        if (run.isPresent()) {
            return Optional.of(running(run.get()));
        }
        Optional<Job> waiting = parked.get().stream().filter(j -> j.id().equals(id)).findFirst();
        if (waiting.isPresent()) {
            return Optional.of(running(waiting.get()).put("state", "waiting-for-room"));
        }
        Optional<Done> d = findDone(id);
        if (d.isPresent()) {
            ObjectNode n = done(d.get());
            n.set("reports", JSON.valueToTree(d.get().reports()));
            return Optional.of(n);
        }
        return findFailed(id).map(this::failed);
    }

    public Optional<Done> findDone(String id) throws IOException {
        return finished.get().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    public Optional<Failed> findFailed(String id) throws IOException {
        return failures.get().stream().filter(f -> f.id().equals(id)).findFirst();
    }

    static ObjectNode running(Job j) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", j.id()).put("name", j.claimed().name()).put("state", j.cancelled ? "cancelling" : "running")
                .put("stage", j.stage()).put("started_at", j.startedAt().toString())
                .put("elapsed_s", (System.currentTimeMillis() - j.startedAt().toEpochMilli()) / 1000.0);
        if (j.pooled) {
            n.put("render_node", j.backend());
        }
        if (!j.holders.isEmpty()) {
            n.put("node", j.holders.get(j.holders.size() - 1).node());
        }
        Outcomes.nodes(n, j);
        if (!j.renders.isEmpty()) {
            Job.Render r = j.current();
            n.put("render", j.current + 1).put("renders", j.renders.size()).put("output", r.output);
            if (r.exportedAt > 0 && r.isRunning()) {
                n.put("progress", r.progress);
                if (r.progress > 0 && r.progress < 100) {
                    long elapsed = System.currentTimeMillis() - r.exportedAt;
                    n.put("eta_s", Math.round(elapsed * (100.0 - r.progress) / r.progress / 100.0) / 10.0);
                }
            }
        }
        return n;
    }

    private static ObjectNode done(Done d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", d.id()).put("name", d.name()).put("state", "done").put("finished_at", d.finishedAt().toString());
        JsonNode first = d.reports().get(0);
        if (first.hasNonNull("started_at")) {
            n.put("started_at", first.get("started_at").asText());
        }
        ArrayNode videos = n.putArray("videos");
        d.videos().forEach(v -> videos.add(v.getFileName().toString()));
        double seconds = 0;
        for (JsonNode r : first.path("renders")) {
            seconds += r.path("duration_seconds").asDouble();
        }
        n.put("duration_s", seconds);
        // Its place in a chain of refines: the first video's name, this version, and what it refined.
        n.put("root", FinishedJobs.root(first)).put("version", FinishedJobs.version(first));
        if (first.has("refines")) {
            n.put("refines", first.path("refines").asText());
        }
        if (first.has("history")) {
            n.set("history", first.get("history"));
        }
        if (first.has("nodes")) {
            n.set("nodes", first.get("nodes"));
            n.put("node", first.get("nodes").get(first.get("nodes").size() - 1).path("node").asText());
        }
        return n;
    }

    private ObjectNode failed(Failed f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", f.id()).put("name", f.name()).put("state", "failed").put("failed_at", f.failedAt().toString())
                .put("folder", f.folder().getFileName().toString());
        if (f.error().has("nodes")) {
            n.set("nodes", f.error().get("nodes"));
        }
        for (String k : List.of("stage", "code", "error", "message", "hint")) {
            if (f.error().hasNonNull(k)) {
                n.put(k, f.error().get(k).asText());
            }
        }
        return n;
    }

    /** The outbox's reports grouped by job, newest first. */
    private List<Done> readDone() throws IOException {
        Map<String, List<JsonNode>> byJob = new LinkedHashMap<>();
        Map<String, Instant> when = new LinkedHashMap<>();
        // One listing, and one look at each report's time: an outbox of months holds thousands of files.
        Set<String> names = new HashSet<>();
        List<Path> reports = new ArrayList<>();
        if (Files.isDirectory(outbox)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(outbox, "[!.]*")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    names.add(name);
                    if (name.endsWith(".json")) {
                        reports.add(f);
                    }
                }
            }
        }
        for (Path f : reports) {
            Parsed p = parse(f, reportCache);
            JsonNode r = p == null ? null : p.json();
            if (r == null || !r.hasNonNull("job_id") || !"completed".equals(r.path("status").asText())) {
                continue;
            }
            String id = r.get("job_id").asText();
            byJob.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
            Instant at = instant(r.path("finished_at").asText(), p.mtime().toInstant());
            when.merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
        }
        reportCache.keySet().retainAll(new HashSet<>(reports));
        List<Done> out = new ArrayList<>();
        byJob.forEach((id, rs) -> {
            rs.sort(Comparator.comparing(r -> r.path("video").asText()));
            List<Path> videos = rs.stream().map(r -> Path.of(r.path("video").asText()).getFileName().toString())
                    .filter(names::contains).map(outbox::resolve).toList();
            out.add(new Done(id, rs.get(0).path("job").asText(), when.get(id), rs, videos));
        });
        out.sort(Comparator.comparing(Done::finishedAt).reversed());
        return out;
    }

    /** The folders in {@code inbox/.failed/} with an error file, newest first. */
    private List<Failed> readFailed(Path dir) throws IOException {
        List<Failed> out = new ArrayList<>();
        Set<Path> errors = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            errorCache.clear();
            return out;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dir, "[!.]*")) {
            for (Path folder : folders) {
                Path error = newestError(folder);
                if (error != null) {
                    errors.add(error);
                }
                Parsed p = error == null ? null : parse(error, errorCache);
                JsonNode e = p == null ? null : p.json();
                if (e == null || !e.hasNonNull("job_id")) {
                    continue;
                }
                Instant at = instant(e.path("failed_at").asText(), p.mtime().toInstant());
                out.add(new Failed(e.get("job_id").asText(), e.path("job").asText(folder.getFileName().toString()), folder, e, at));
            }
        }
        errorCache.keySet().retainAll(errors);
        out.sort(Comparator.comparing(Failed::failedAt).reversed());
        return out;
    }

    /** {@code error.json}, or the newest {@code error-N.json} of a job that failed more than once. */
    static Path newestError(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        Path newest = null;
        FileTime best = null;
        try (DirectoryStream<Path> errors = Files.newDirectoryStream(folder, "error{,-[0-9]*}.json")) {
            for (Path e : errors) {
                FileTime t = Files.getLastModifiedTime(e);
                if (best == null || t.compareTo(best) > 0) {
                    newest = e;
                    best = t;
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // Retried while we looked (the folder went back to the inbox, its error files to retried/): not failed now.
            return null;
        }
        return newest;
    }

    /** The file's JSON and time, parsed again only when its time changed; null when it is not JSON. */
    private static Parsed parse(Path file, Map<Path, Parsed> cache) {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            Parsed p = cache.get(file);
            if (p == null || !p.mtime().equals(t)) {
                p = new Parsed(t, JSON.readTree(file.toFile()));
                cache.put(file, p);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            return null; // not a report, or half written by someone else: not a job
        }
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
