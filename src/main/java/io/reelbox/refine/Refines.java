package io.reelbox.refine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.job.Journal;

/**
 * The job route's {@code refines} bean: a job whose sidecar says {@code refine: NAME} is given the earlier video it
 * refines (its output name: the latest version of that chain; or a version's own name; or a job id), the prompts that
 * made it, the media it was made from (read in place in {@code .done/}), and its session, to be continued if it is
 * still alive (SessionStep checks) or rebuilt from those media and prompts if not.
 */
public final class Refines {

    private static final Logger LOG = LoggerFactory.getLogger(Refines.class);

    private final FinishedJobs finished;
    private final Path inbox;
    private final Journal journal;

    public Refines(Settings settings, Journal journal) {
        this.inbox = settings.path("reelbox.inbox");
        this.finished = new FinishedJobs(settings.path("reelbox.outbox"), inbox);
        this.journal = journal;
    }

    /** Route step, before the token: resolves a refine job's target once (a resumed job keeps what it found). */
    public void prepare(Exchange exchange) {
        Job job = Job.of(exchange);
        String name = job.claimed().spec() == null ? null : job.claimed().spec().refine();
        if (name == null || job.refine != null) {
            return;
        }
        List<FinishedJobs.Finished> all = finished.all();
        FinishedJobs.Finished target = resolve(name, all);
        List<Job.Refine.Medium> media = mediaOf(target, all);
        job.refine = new Job.Refine(target.video(), target.root(), target.history(), media,
                target.json().path("draft_sha256").asText(null), null);
        job.sessionId = target.json().path("session_id").asText(null);
        job.taskId = target.json().path("task_id").asText(null);
        // The session, if alive, holds the earlier media and every earlier prompt; only new media are uploaded.
        job.preludesSent = job.refine.history().size();
        job.uploadsDone = media.size();
        job.mediaUploaded = job.uploads().size() == media.size();
        journal.save(job);
        LOG.info("Job {}: refines {} (version {} of {}, {} earlier prompt(s)) in session {}", job.id(), target.video(),
                target.version(), target.root(), job.refine.history().size(), job.sessionId);
    }

    /** The finished video {@code name} means, or a failure that lists what there is. */
    public FinishedJobs.Finished resolve(String name) {
        return resolve(name, finished.all());
    }

    private FinishedJobs.Finished resolve(String name, List<FinishedJobs.Finished> all) {
        Optional<FinishedJobs.Finished> byId = all.stream().filter(f -> f.jobId().equals(name)).findFirst();
        if (byId.isPresent()) {
            return byId.get();
        }
        // A chain's first name means its latest version; a version's own name means that version.
        Optional<FinishedJobs.Finished> latest = all.stream().filter(f -> f.root().equals(name))
                .max(Comparator.comparingInt(FinishedJobs.Finished::version));
        Optional<FinishedJobs.Finished> exact = all.stream().filter(f -> f.video().equals(name)).findFirst();
        if (latest.isPresent() && (exact.isEmpty() || exact.get().root().equals(name))) {
            return latest.get();
        }
        if (exact.isPresent()) {
            return exact.get();
        }
        if (finished.failedNames().stream().anyMatch(f -> f.equals(name) || f.startsWith(name + "-"))) {
            throw new JobFailure(Failure.REFINE_TARGET_MISSING, "refine-target-missing", "'" + name + "' failed and made no video "
                    + "to refine: retry it instead (the dashboard's Retry, or java -jar reelbox.jar retry JOB-ID), then refine the video it makes");
        }
        List<String> names = all.stream().map(FinishedJobs.Finished::video).distinct().sorted().toList();
        List<String> similar = names.stream().filter(n -> similar(n, name)).toList();
        throw new JobFailure(Failure.REFINE_TARGET_MISSING, "refine-target-missing", "no finished video or job is called '" + name + "'"
                + (similar.isEmpty() ? (names.isEmpty() ? "; the outbox has no finished videos yet" : "; finished videos: "
                + String.join(", ", names.subList(0, Math.min(20, names.size())))) : "; did you mean " + String.join(", ", similar) + "?"));
    }

    /**
     * The media {@code target} was made from, in order, and where each is now (or should be, when its folder is gone):
     * each job's folder in {@code .done/} is looked for once, among the reports already read.
     */
    private List<Job.Refine.Medium> mediaOf(FinishedJobs.Finished target, List<FinishedJobs.Finished> all) {
        Map<String, Path> dirs = new HashMap<>();
        List<Job.Refine.Medium> out = new ArrayList<>();
        for (JsonNode m : target.json().path("media_files")) {
            String id = m.path("job_id").asText();
            Path dir = dirs.computeIfAbsent(id, k -> {
                Optional<FinishedJobs.Finished> owner = all.stream().filter(f -> f.jobId().equals(k)).findFirst();
                return owner.flatMap(finished::doneDir)
                        .orElse(inbox.resolve(".done").resolve(owner.map(FinishedJobs.Finished::jobName).orElse(k)));
            });
            String path = m.path("path").asText();
            out.add(new Job.Refine.Medium(id, path, dir.resolve(path).toAbsolutePath().toString()));
        }
        return out;
    }

    /** The earlier media a rebuilt session needs that are no longer where they were: a failure naming them. */
    public static void requireMedia(Job job) {
        List<String> missing = job.refine.priorMedia().stream().map(Job.Refine.Medium::file).filter(p -> !Files.isRegularFile(Path.of(p))).toList();
        if (!missing.isEmpty()) {
            throw new JobFailure(Failure.REFINE_INPUTS_MISSING, "refine-inputs-missing", "the session of " + job.refine.target()
                    + " cannot be continued, and rebuilding it needs the media it was made from, which are no longer in .done/: "
                    + String.join(", ", missing));
        }
    }

    private static boolean similar(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        return x.contains(y) || y.contains(x) || distance(x, y) <= Math.max(2, Math.min(x.length(), y.length()) / 3);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
