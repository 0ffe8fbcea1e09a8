package io.reelbox.job;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.ClaimedJob;
import io.reelbox.inbox.JobSpec;
import io.reelbox.nemo.Credits;
import io.reelbox.nemo.UploadedFile;

/**
 * One job's progress through the chain: the message body the job route carries from stage to stage. Mutable on
 * purpose, and touched by one thread at a time (the route's).
 */
public final class Job {

    /** An input file as received: path relative to the job's work dir, size and sha256. */
    public record Input(String name, long size, String sha256) {
    }

    /** What became of one render of the job. */
    public static final class Render {
        public final String output;
        public String prompt;
        public List<String> replies = List.of();
        public String summary;
        public boolean streamDropped;
        /** Written to the journal before the prompt goes out: once true, this prompt is never sent again. */
        public boolean promptSent;
        public JsonNode draft;
        /** The fingerprint of the session's draft just before this render's prompt went out ({@link DraftSummary}). */
        public String draftBefore;
        public String renderId;
        /** The completed status: where to download from and how many bytes to expect. */
        public io.reelbox.nemo.RenderStatus completed;
        public final List<String> failedRenderIds = new ArrayList<>();
        public double durationSeconds;
        public long size;
        /** What the backend measured of the finished video, for the report (null when it says nothing). */
        public JsonNode delivery;
        public Path published;
        /** Not journaled: an export call is under way for {@link #renderId} (a redelivery repeats it with the same id). */
        public boolean exportCallPending;
        /** Not journaled: the render failed, or its session was lost, and is to be exported again under a new id. */
        public boolean exportAgain;
        /** Not journaled: when polling gives up; set by the export. */
        public long deadlineNanos;
        /** Not journaled: its video's links expired once already, and it was exported again for that. */
        public boolean expiredOnce;
        /** Not journaled: the last progress logged. */
        public int lastProgress = -1;
        /** Not journaled: the render's progress in percent, as last polled (for the job API). */
        public volatile int progress;
        /** Not journaled: when this render was exported (epoch millis), for the job API's ETA; 0 before. */
        public volatile long exportedAt;
        /** Not journaled: the checked download, waiting in the outbox under a hidden name to be published. */
        public Path downloaded;

        /** The render is exported and not yet completed: the polling loop goes on. */
        public boolean isRunning() {
            return completed == null && published == null;
        }

        public Render(String output) {
            this.output = output;
        }
    }

    /**
     * A refine job ({@code refine:} in the sidecar): the earlier video it refines ({@code target}, a version of
     * {@code root}), every prompt that made it ({@code history}, replayed into a new session when the old one is gone),
     * the media it was made from ({@code priorMedia}, absolute paths in {@code .done/}, read in place), the fingerprint
     * of its draft ({@code targetDraft}: a session still holding exactly that draft can be continued), and whether the
     * session was continued or rebuilt ({@code session}, null before the check).
     */
    public record Refine(String target, String root, List<String> history, List<Medium> priorMedia, String targetDraft,
                         String session) {

        /** An earlier medium: the job that brought it, its path in that job's folder, and where that is now. */
        public record Medium(String jobId, String path, String file) {
        }

        public Refine withSession(String how) {
            return new Refine(target, root, history, priorMedia, targetDraft, how);
        }
    }

    /** The prompts a session gets before the render's own: a refine's history, or the sidecar's shared base prompt. */
    public List<String> preludes() {
        if (refine != null) {
            return refine.history();
        }
        JobSpec spec = claimed.spec();
        return spec == null || spec.basePrompt() == null ? List.of() : List.of(spec.basePrompt());
    }

    /** What a new session still needs after a 1002: the uploads the lost one held, and the prompt when it had one. */
    public static final class Rebuild {
        public final int uploads;
        public boolean reprompt;
        public boolean awaitDraft;

        public Rebuild(int uploads, boolean reprompt) {
            this.uploads = uploads;
            this.reprompt = reprompt;
        }
    }

    private final ClaimedJob claimed;
    private final Instant startedAt = Instant.now();
    public final Map<String, Long> timings = new LinkedHashMap<>();
    public final List<Input> inputs = new ArrayList<>();
    public final List<Render> renders = new ArrayList<>();
    /** What the API made of the uploads, in order, for the report. */
    public final List<UploadedFile> uploaded = new ArrayList<>();
    public String stage = "intake";
    public int attempts;
    public boolean mediaUploaded;
    /** How many of {@link #preludes()} the session holds (each is sent once, before the render's prompt). Journaled. */
    public int preludesSent;
    /** A refine of an earlier video: what it refines and how; null for other jobs. Journaled. */
    public Refine refine;
    public boolean resumed;
    public String taskId;
    public String sessionId;
    public int sessions;
    public Credits creditsBefore;
    public Credits creditsAfter;
    /** Not journaled: the curable faults met, counted against each kind's budget at the current step. */
    public final Faults faults = new Faults();
    /** Not journaled: a 1002 said the session is gone; the next step that needs it opens a new one first. */
    public volatile boolean sessionLost;
    /** Not journaled: a new session is being brought to where the lost one was; null when none is. */
    public Rebuild rebuild;
    /** Not journaled: how many of {@link #uploads()} this session holds. */
    public int uploadsDone;
    /** Not journaled: the render the loop of the job route is at. */
    public int current;
    /** Not journaled: cancelled through the job API; the job stops at its next step. */
    public volatile boolean cancelled;
    /** Not journaled: in a cluster, the epoch of this node's lease on the job; every journal write must match it. */
    public long epoch;
    /** Not journaled: in a cluster, another node took the job over; this one stops it quietly at its next step. */
    public volatile boolean leaseLost;
    /** In a cluster, each node that held the job and the stage it took it at: which node ran which steps. */
    public final List<Holder> holders = new ArrayList<>();

    /** The render nodes the job ran on, in order: the last is where its session is. Journaled. */
    public final List<BackendUse> backends = new ArrayList<>();
    /** Not journaled: the daemon has several render nodes (the report then names them). */
    public volatile boolean pooled;

    /** The job used the API at {@code url} from {@code stage}; {@code why} it moved there (null for the first). */
    public record BackendUse(String url, String stage, String at, String why) {
    }

    public String backend() {
        return backends.isEmpty() ? null : backends.get(backends.size() - 1).url();
    }

    public void useBackend(BackendUse use) {
        backends.add(use);
    }

    /** A node that held the job: from {@code stage}, since {@code at}; {@code how} is claimed, resumed or taken-over. */
    public record Holder(String node, String stage, String at, String how) {

        private static final String TAKEN_OVER = "taken over from ";

        /** The {@code how} of a node that took the job over from {@code node}, as reports show it. */
        public static String takenOverFrom(String node) {
            return TAKEN_OVER + node;
        }

        boolean tookOver() {
            return how.startsWith(TAKEN_OVER);
        }
    }

    /** Whether the node running the job took it over from another (its last holder did). */
    public boolean takenOver() {
        return !holders.isEmpty() && holders.get(holders.size() - 1).tookOver();
    }

    /** Not journaled: the job has ended (published, failed or kept for resume); later calls change nothing. */
    public volatile boolean ended;

    /** The exchange property that carries the job through the job route. */
    public static final String PROPERTY = "ReelboxJob";

    /** The job an exchange of the job route carries (the route sets the property first thing). */
    public static Job of(Exchange exchange) {
        Job job = exchange.getProperty(PROPERTY, Job.class);
        if (job == null) {
            throw new IllegalStateException("no job on the exchange: the route must set the property " + PROPERTY + " first");
        }
        return job;
    }

    public Job(ClaimedJob claimed) {
        this.claimed = claimed;
        if (claimed.spec() != null) {
            claimed.spec().renders().forEach(r -> renders.add(new Render(r.output())));
        }
    }

    public ClaimedJob claimed() {
        return claimed;
    }

    public String id() {
        return claimed.id();
    }

    public String stage() {
        return stage;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Not journaled: the code of the failure that ended the job ({@code error.json}'s {@code code}), for the metrics. */
    public String failureCode;

    /** Seconds of video the job published, for the metrics. */
    public double getVideoSeconds() {
        return renders.stream().filter(r -> r.published != null).mapToDouble(r -> r.durationSeconds).sum();
    }

    public String getFailureCode() {
        return failureCode;
    }

    /** How many times the render loop of the job route runs: one per render. */
    public int getRenderCount() {
        return renders.size();
    }

    /** How many times the upload loop runs: once per medium, none when they were uploaded before a restart. */
    public int getUploadCount() {
        return mediaUploaded ? 0 : uploads().size();
    }

    /** The render the loop is at is exported and not yet completed. */
    public boolean isRendering() {
        return render(current).isRunning() && render(current).renderId != null;
    }

    /** The render the loop is at must be exported again (it failed, or its session was lost). */
    public boolean isExportAgain() {
        return render(current).exportAgain;
    }

    /**
     * What gets uploaded, in the sidecar's order: local files (a {@link Path} in the job's folder) and URLs (a
     * {@link String}). Without a {@code media:} list, the media the inbox found for the job.
     */
    public List<Object> uploads() {
        JobSpec spec = claimed.spec();
        List<Object> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        if (refine != null) {
            refine.priorMedia().forEach(m -> out.add(Path.of(m.file())));
        }
        if (!spec.mediaListed()) {
            claimed.media().forEach(rel -> out.add(claimed.workDir().resolve(rel)));
            return out;
        }
        for (String entry : spec.media()) {
            out.add(JobSpec.isUrl(entry) ? entry : claimed.workDir().resolve(entry).normalize());
        }
        return out;
    }

    public Render current() {
        return render(current);
    }

    public Render render(int i) {
        return renders.get(i);
    }

    @Override
    public String toString() {
        return "Job[" + id() + "]";
    }
}
