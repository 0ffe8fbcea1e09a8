package io.reelbox.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.Settings;

/**
 * Full disks are a local condition, not a failure of the job. Before a job is taken, the outbox's and the work dir's
 * disks must each keep {@code reelbox.disk.min-free} (or {@code reelbox.disk.min-free-percent} of the disk, whichever
 * is smaller) free, and, with the embedded backend, room for the job's inputs: otherwise jobs wait in the inbox,
 * untouched. A finished render that cannot be written because the outbox's disk is full is parked: it waits,
 * journaled, in {@code .processing/}, intake takes nothing new, and the disk-check route hands it back to the job
 * route when there is room (it then resumes at the download: no new render, no new prompt).
 */
public final class DiskGate {

    private static final Logger LOG = LoggerFactory.getLogger(DiskGate.class);

    private final Settings settings;
    private final Journal journal;
    private final JobRegistry registry;
    private final Path outbox;
    private final Path workDir;
    private final boolean uploadsInWorkDir;
    /** Parked jobs by id, with the free space they need: room for their videos, or more than when the disk filled. */
    /** A parked job, and the free space it waits for (see {@link #needed}). */
    private record Parked(Job job, long need) {
    }

    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    /** What is short of space, as last logged; null when nothing is. */
    private volatile String shortOf;

    /** {@code uploadsInWorkDir}: the embedded backend stores each job's inputs in the work dir. */
    public DiskGate(Settings settings, Journal journal, JobRegistry registry, Path outbox, Path workDir, boolean uploadsInWorkDir) {
        this.settings = settings;
        this.journal = journal;
        this.registry = registry;
        this.outbox = outbox;
        this.workDir = workDir;
        this.uploadsInWorkDir = uploadsInWorkDir;
    }

    /** For intake: whether a job of {@code inputBytes} can be taken now. Says why not in the log, once. */
    public boolean roomFor(long inputBytes) {
        String reason;
        if (!parked.isEmpty()) {
            reason = "a finished video waits for room in the outbox (" + outbox + ")";
        } else {
            reason = shortage(outbox, "the outbox", 0);
            if (reason == null) {
                reason = shortage(workDir, "the work dir", uploadsInWorkDir ? inputBytes : 0);
            }
        }
        if (reason == null) {
            if (shortOf != null) {
                LOG.info("Disk space is back: intake resumes");
                shortOf = null;
            }
            return true;
        }
        if (!reason.equals(shortOf)) {
            LOG.warn("Intake paused: {}; jobs wait in the inbox untouched until there is room", reason);
            shortOf = reason;
        }
        return false;
    }

    /** What the disk of {@code dir} lacks to keep its floor after {@code need} more bytes; null when it has room. */
    private String shortage(Path dir, String name, long need) {
        try {
            FileStore store = Files.getFileStore(dir);
            long free = store.getUsableSpace();
            long floor = Math.min(settings.bytes("reelbox.disk.min-free"),
                    store.getTotalSpace() / 100 * settings.integer("reelbox.disk.min-free-percent"));
            if (free - need >= floor) {
                return null;
            }
            return "the disk of " + name + " (" + dir + ") has " + mb(free) + " free; it must keep " + mb(floor)
                    + (need > 0 ? " after this job's " + mb(need) : "");
        } catch (IOException e) {
            return "cannot read the free space of " + name + " (" + dir + "): " + e.getMessage();
        }
    }

    private static String mb(long bytes) {
        return bytes >= 10_000_000 ? bytes / 1_000_000 + " MB" : bytes / 1000 + " kB";
    }

    /**
     * The rule for a full outbox (routes/errors.yaml): the job waits, journaled, in {@code .processing/}, and its slot
     * is freed. It is not a failure: there is no error.json and no event.
     */
    public void park(Exchange exchange) {
        Job job = Job.of(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        journal.save(job);
        parked.put(job.id(), new Parked(job, needed(job)));
        job.ended = true;
        registry.finished(job);
        LOG.warn("Job {}: {} — the finished render waits in {} and is written as soon as there is room", job.id(),
                cause == null ? "the outbox is full" : cause.getMessage(), job.claimed().workDir());
    }

    /**
     * The free space a parked job waits for: its videos' announced sizes on top of the floor; when the API did not
     * announce them, more than the disk has now (after the partial file was removed), so it does not retry at once.
     */
    private long needed(Job job) {
        long announced = 0;
        for (Job.Render r : job.renders) {
            if (r.published == null) {
                long size = r.completed == null ? -1 : r.completed.size();
                if (size <= 0) {
                    return -(free(outbox) + 1);
                }
                announced += size;
            }
        }
        return announced;
    }

    private static long free(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** For the disk-check route: the parked jobs, rebuilt from the journal, once the outbox has room for them. */
    public List<Job> unpark() {
        Set<String> ids = new java.util.HashSet<>();
        parked.forEach((id, p) -> {
            long need = p.need();
            boolean room = need >= 0 ? shortage(outbox, "the outbox", need) == null : free(outbox) >= -need;
            if (room) {
                ids.add(id);
            }
        });
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Job> jobs = journal.load(settings.integer("reelbox.prompt.max-length")).stream()
                .filter(j -> ids.contains(j.id())).toList();
        jobs.forEach(registry::claimed);
        // Released once they hold their slots again, so intake does not take a new job in their place.
        ids.forEach(parked::remove);
        LOG.info("The outbox has room again: {} waiting job(s) resume", jobs.size());
        return jobs;
    }

    /** The jobs whose finished videos wait for room in the outbox (for the job view). */
    public java.util.Collection<Job> parkedJobs() {
        return parked.values().stream().map(Parked::job).toList();
    }

    /** What the disks of the outbox and the work dir lack now, read afresh (for health checks); null when nothing. */
    public String shortageNow() {
        String outboxLacks = shortage(outbox, "the outbox", 0);
        return outboxLacks != null ? outboxLacks : shortage(workDir, "the work dir", 0);
    }

    /** Why intake last paused for disk space; null when it is not paused for that. */
    public String shortOf() {
        return shortOf;
    }
}
