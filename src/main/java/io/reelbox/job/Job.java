package io.reelbox.job;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.ClaimedJob;
import io.reelbox.nemo.Credits;
import io.reelbox.nemo.Retrier;
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
        public String renderId;
        /** The completed status: where to download from and how many bytes to expect. */
        public io.reelbox.nemo.RenderStatus completed;
        public final List<String> failedRenderIds = new ArrayList<>();
        public double durationSeconds;
        public long size;
        public Path published;

        Render(String output) {
            this.output = output;
        }
    }

    private final ClaimedJob claimed;
    private final Instant startedAt = Instant.now();
    final Retrier.Attempts attempts = new Retrier.Attempts();
    final Map<String, Long> timings = new LinkedHashMap<>();
    final List<Input> inputs = new ArrayList<>();
    final List<Render> renders = new ArrayList<>();
    final List<UploadedFile> uploaded = new ArrayList<>();
    String stage = "intake";
    boolean mediaUploaded;
    boolean basePromptSent;
    boolean resumed;
    String taskId;
    String sessionId;
    int sessions;
    int sessionRefusals;
    Credits creditsBefore;
    Credits creditsAfter;

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

    /** How many times the loop in the job route runs: one per render. */
    public int getRenderCount() {
        return renders.size();
    }

    public Render render(int i) {
        return renders.get(i);
    }

    @Override
    public String toString() {
        return "Job[" + id() + "]";
    }
}
