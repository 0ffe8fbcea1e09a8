package io.reelbox.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.inbox.ClaimedJob;
import io.reelbox.inbox.JobSpec;
import io.reelbox.inbox.SidecarParser;

/** A job's journal entry: the JSON both journals keep, and the job rebuilt from it. */
public final class JournalEntries {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One render's progress. */
    public record RenderEntry(String output, String prompt, boolean promptSent, String renderId, List<String> failedRenderIds,
                              String published, List<String> replies, String summary, boolean streamDropped, String draftBefore) {
    }

    /** A job's progress, enough to rebuild it after a crash, on this node or another. */
    public record Entry(String id, String name, boolean folderJob, String workDir, String sidecar, List<String> files,
                        List<String> media, String sessionId, String taskId, int sessions, boolean uploaded,
                        boolean basePromptSent, List<RenderEntry> renders, String stage, String startedAt,
                        List<Job.Holder> holders, List<Job.BackendUse> backends, int preludesSent, Job.Refine refine) {
    }

    private JournalEntries() {
    }

    public static byte[] json(Job job) {
        List<RenderEntry> renders = new ArrayList<>();
        for (Job.Render r : job.renders) {
            renders.add(new RenderEntry(r.output, r.prompt, r.promptSent, r.renderId, List.copyOf(r.failedRenderIds),
                    r.published == null ? null : r.published.toString(), r.replies, r.summary, r.streamDropped, r.draftBefore));
        }
        ClaimedJob c = job.claimed();
        Entry e = new Entry(c.id(), c.name(), c.folderJob(), c.workDir().toString(),
                c.sidecar() == null ? null : c.workDir().relativize(c.sidecar()).toString(),
                c.files().stream().map(Path::toString).toList(), c.media().stream().map(Path::toString).toList(),
                job.sessionId, job.taskId, job.sessions, job.mediaUploaded, job.preludesSent > 0, renders, job.stage,
                job.startedAt().toString(), List.copyOf(job.holders), List.copyOf(job.backends), job.preludesSent, job.refine);
        try {
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot write a journal entry", ex);
        }
    }

    public static Entry read(byte[] json) throws IOException {
        return JSON.readValue(json, Entry.class);
    }

    /** The job an entry describes, marked as resumed. The sidecar is parsed again from the job's folder. */
    public static Job rebuild(Entry e, int maxPromptLength) {
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
            problem = new JobFailure(Failure.BAD_SIDECAR, "bad-sidecar", "the job's sidecar is gone");
        }
        ClaimedJob claimed = new ClaimedJob(e.id(), e.name(), e.folderJob(), work, sidecar,
                e.files().stream().map(Path::of).toList(), e.media().stream().map(Path::of).toList(), spec, problem);
        Job job = new Job(claimed);
        job.resumed = true;
        job.sessionId = e.sessionId();
        job.taskId = e.taskId();
        job.sessions = e.sessions();
        job.mediaUploaded = e.uploaded();
        // Entries written before refines counted only the base prompt, as a flag.
        job.preludesSent = Math.max(e.preludesSent(), e.basePromptSent() ? 1 : 0);
        job.refine = e.refine();
        job.stage = e.stage();
        if (e.holders() != null) {
            job.holders.addAll(e.holders());
        }
        if (e.backends() != null) {
            job.backends.addAll(e.backends());
        }
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
            r.draftBefore = re.draftBefore();
        }
        return job;
    }
}
