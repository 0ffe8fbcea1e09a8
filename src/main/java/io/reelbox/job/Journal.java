package io.reelbox.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.failure.JobFailure;
import io.reelbox.failure.LocalIo;
import io.reelbox.inbox.ClaimedJob;
import io.reelbox.inbox.JobSpec;
import io.reelbox.inbox.SidecarParser;

/**
 * The durable record of every unfinished job: one small JSON file per job in {@code <work-dir>/journal/}, replaced
 * atomically (write, fsync, rename) at every safe point. Plain files rather than an embedded database: a job has a
 * handful of facts, one writer (its own thread) and must survive kill -9 — a rename gives exactly that, needs no
 * library, and an operator can read it with {@code cat}. Owner-only (0700 folder, 0600 files).
 */
public final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One render's progress. */
    public record RenderEntry(String output, String prompt, boolean promptSent, String renderId, List<String> failedRenderIds,
                              String published, List<String> replies, String summary, boolean streamDropped) {
    }

    /** A job's progress, enough to rebuild it after a crash. */
    public record Entry(String id, String name, boolean folderJob, String workDir, String sidecar, List<String> files,
                        List<String> media, String sessionId, String taskId, int sessions, boolean uploaded,
                        boolean basePromptSent, List<RenderEntry> renders, String stage, String startedAt) {
    }

    private final Path dir;

    public Journal(Path workDir) throws IOException {
        this.dir = workDir.resolve("journal");
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    public Path dir() {
        return dir;
    }

    /** Records the job's progress; a failure to record is a failure of the job (nothing may run unrecorded). */
    public void save(Job job) {
        List<RenderEntry> renders = new ArrayList<>();
        for (Job.Render r : job.renders) {
            renders.add(new RenderEntry(r.output, r.prompt, r.promptSent, r.renderId, List.copyOf(r.failedRenderIds),
                    r.published == null ? null : r.published.toString(), r.replies, r.summary, r.streamDropped));
        }
        ClaimedJob c = job.claimed();
        Entry e = new Entry(c.id(), c.name(), c.folderJob(), c.workDir().toString(), c.sidecar() == null ? null : c.workDir().relativize(c.sidecar()).toString(),
                c.files().stream().map(Path::toString).toList(), c.media().stream().map(Path::toString).toList(),
                job.sessionId, job.taskId, job.sessions, job.mediaUploaded, job.basePromptSent, renders, job.stage, job.startedAt().toString());
        try {
            AtomicFiles.writePrivate(dir.resolve(c.id() + ".json"), JSON.writeValueAsBytes(e));
        } catch (IOException ex) {
            // Nothing may run unrecorded: a full or broken work dir ends the job (work-dir-full or local-io).
            throw LocalIo.failure(LocalIo.Place.WORK_DIR, dir, ex);
        }
    }

    public void remove(Job job) {
        try {
            Files.deleteIfExists(dir.resolve(job.id() + ".json"));
        } catch (IOException e) {
            LOG.warn("Job {}: could not remove its journal entry: {}", job.id(), e.getMessage());
        }
    }

    /** Every recorded job, rebuilt. The sidecar is parsed again from the job's folder. */
    public List<Job> load(int maxPromptLength) {
        List<Job> jobs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                try {
                    jobs.add(rebuild(JSON.readValue(f.toFile(), Entry.class), maxPromptLength));
                } catch (IOException | RuntimeException e) {
                    LOG.error("Unreadable journal entry {} ({}); left in place for a person to look at", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot read the journal in {}: {}", dir, e.getMessage());
        }
        return jobs;
    }

    private static Job rebuild(Entry e, int maxPromptLength) {
        Path work = Path.of(e.workDir());
        Path sidecar = e.sidecar() == null ? null : work.resolve(e.sidecar());
        JobSpec spec = null;
        JobFailure problem = null;
        if (sidecar != null && Files.exists(sidecar)) {
            try {
                spec = new SidecarParser(maxPromptLength).parse(sidecar, e.name());
            } catch (JobFailure bad) {
                problem = bad;
            }
        } else if (Files.exists(work)) {
            problem = new JobFailure(io.reelbox.failure.Failure.BAD_SIDECAR, "bad-sidecar", "the job's sidecar is gone");
        }
        ClaimedJob claimed = new ClaimedJob(e.id(), e.name(), e.folderJob(), work, sidecar,
                e.files().stream().map(Path::of).toList(), e.media().stream().map(Path::of).toList(), spec, problem);
        Job job = new Job(claimed);
        job.resumed = true;
        job.sessionId = e.sessionId();
        job.taskId = e.taskId();
        job.sessions = e.sessions();
        job.mediaUploaded = e.uploaded();
        job.basePromptSent = e.basePromptSent();
        job.stage = e.stage();
        for (int i = 0; i < Math.min(job.renders.size(), e.renders().size()); i++) {
            RenderEntry re = e.renders().get(i);
            Job.Render r = job.renders.get(i);
            r.prompt = re.prompt();
            r.promptSent = re.promptSent();
            r.renderId = re.renderId();
            r.failedRenderIds.addAll(re.failedRenderIds() == null ? List.of() : re.failedRenderIds());
            r.published = re.published() == null ? null : Path.of(re.published());
            r.replies = re.replies() == null ? List.of() : re.replies();
            r.summary = re.summary();
            r.streamDropped = re.streamDropped();
        }
        return job;
    }
}
