package io.reelbox.job;

import io.reelbox.nemo.Credits;
import io.reelbox.nemo.ApiErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.inbox.JobSpec;
import io.reelbox.inbox.MediaKind;
import io.reelbox.nemo.AgentTranscript;
import io.reelbox.nemo.ApiException;
import io.reelbox.nemo.NemoClient;
import io.reelbox.nemo.RenderStatus;
import io.reelbox.nemo.Retrier;
import io.reelbox.nemo.StreamDroppedException;
import io.reelbox.nemo.UploadedFile;

/**
 * The steps of one job, called in order by the job route. Each step logs its start and end, records its time, and
 * knows which API failures it may cure itself: 1001 gets a new token and repeats the call, 1002 opens a new session
 * (uploading again and, past the prompt, prompting that new session) and repeats the step, 2001 closes intake.
 */
public final class JobStages {

    private static final Logger LOG = LoggerFactory.getLogger(JobStages.class);
    private static final int TOKEN_RENEWALS = 2;
    private static final int SESSION_RENEWALS = 2;

    private final Settings settings;
    private final NemoClient client;
    private final TokenStore tokens;
    private final CreditGate gate;
    private final Retrier retrier;
    private final JobRegistry registry;
    private final Outbox outbox;
    private final Journal journal;
    private final String pollIntervalKey;

    /**
     * {@code pollIntervalKey}: the setting that paces render polling — the cloud's advice is 30 s, while the
     * embedded backend renders in seconds and is polled far more often.
     */
    public JobStages(Settings settings, NemoClient client, TokenStore tokens, CreditGate gate, JobRegistry registry, Outbox outbox,
                     Journal journal, String pollIntervalKey) {
        this.outbox = outbox;
        this.journal = journal;
        this.pollIntervalKey = pollIntervalKey;
        this.settings = settings;
        this.client = client;
        this.tokens = tokens;
        this.gate = gate;
        this.registry = registry;
        this.retrier = new Retrier(settings, registry::pause);
    }

    /** Refuses what intake refused, then checks every local file before anything is sent anywhere. */
    public void check(Job job) {
        if (job.claimed().intakeFailure() != null) {
            throw job.claimed().intakeFailure();
        }
        stage(job, "check", () -> {
            long max = settings.bytes("reelbox.upload.max-size");
            for (Path rel : job.claimed().files()) {
                Path f = job.claimed().workDir().resolve(rel);
                long size = Files.size(f);
                job.inputs.add(new Job.Input(rel.toString(), size, sha256(f)));
            }
            for (Path rel : job.claimed().media()) {
                checkMedia(job.claimed().workDir().resolve(rel), rel.toString(), max);
            }
            job.creditsBefore = quietCredits();
            return null;
        });
    }

    public void openSession(Job job) {
        if (job.sessionId != null) {
            LOG.info("Job {}: resuming in session {}", job.id(), job.sessionId);
            return;
        }
        stage(job, "session", () -> {
            newSession(job);
            return null;
        });
    }

    public void upload(Job job) {
        stage(job, "upload", () -> {
            if (!job.mediaUploaded) {
                uploadAll(job);
            }
            JobSpec spec = job.claimed().spec();
            if (spec.basePrompt() != null && !job.basePromptSent) {
                // A shared first instruction for every render: sent once, not exported on its own.
                job.basePromptSent = true;
                sendPrompt(job, new Job.Render("(base)"), spec.basePrompt());
            }
            return null;
        });
    }

    public void prompt(Job job, @ExchangeProperty("CamelLoopIndex") int i) {
        Job.Render r = job.render(i);
        if (r.promptSent) {
            // Sent before a restart: the contract forbids sending it again; the state will show what it did.
            LOG.info("Job {}: render {} was prompted before the restart; not sending it again", job.id(), i + 1);
            if (r.renderId == null) {
                r.streamDropped = true;
            }
            return;
        }
        stage(job, "prompt", () -> {
            sendPrompt(job, r, job.claimed().spec().promptFor(i));
            return null;
        });
    }

    public void verify(Job job, @ExchangeProperty("CamelLoopIndex") int i) {
        if (job.render(i).renderId != null) {
            return;
        }
        stage(job, "verify", () -> {
            Job.Render r = job.render(i);
            r.draft = awaitDraft(job, r);
            if (r.replies.isEmpty()) {
                r.summary = DraftSummary.describe(r.draft);
                LOG.info("Job {}: {}", job.id(), r.summary);
            }
            return null;
        });
    }

    public void export(Job job, @ExchangeProperty("CamelLoopIndex") int i) {
        if (job.render(i).renderId != null) {
            LOG.info("Job {}: resuming render {}", job.id(), job.render(i).renderId);
            return;
        }
        stage(job, "export", () -> {
            startRender(job, i);
            return null;
        });
    }

    public void awaitRender(Job job, @ExchangeProperty("CamelLoopIndex") int i) {
        stage(job, "render", () -> {
            Job.Render r = job.render(i);
            Duration every = settings.duration(pollIntervalKey);
            long deadline = System.nanoTime() + settings.duration("reelbox.export.timeout").toNanos();
            int lastProgress = -1;
            if (r.published != null) {
                return null;
            }
            while (true) {
                RenderStatus s;
                try {
                    s = api(job, "render status", t -> client.renderStatus(t, r.renderId));
                } catch (ApiException e) {
                    if (e.is(Failure.SESSION_NOT_FOUND)) {
                        // The render's session is gone: rebuild it, then render again from the new draft.
                        replaceSession(job, "render status", e, i);
                        r.failedRenderIds.add(r.renderId);
                        startRender(job, i);
                        continue;
                    }
                    if (!job.resumed || e.httpStatus() != 404) {
                        throw e;
                    }
                    // The backend forgot this render while we were away (it restarted too): render it again.
                    LOG.warn("Job {}: render {} is unknown after the restart; exporting again", job.id(), r.renderId);
                    r.failedRenderIds.add(r.renderId);
                    startRender(job, i);
                    continue;
                }
                if (s.completed()) {
                    r.durationSeconds = s.durationSeconds();
                    r.size = s.size();
                    r.completed = s;
                    return null;
                }
                if (s.failed()) {
                    if (!r.failedRenderIds.isEmpty()) {
                        throw new JobFailure(Failure.RENDER_FAILED, "render-failed", "render " + r.renderId + " failed"
                                + (s.error() == null ? "" : ": " + s.error()) + " (after an earlier failed render " + r.failedRenderIds + ")");
                    }
                    LOG.warn("Job {}: render {} failed ({}); exporting once more under a new id", job.id(), r.renderId, s.error());
                    r.failedRenderIds.add(r.renderId);
                    startRender(job, i);
                    deadline = System.nanoTime() + settings.duration("reelbox.export.timeout").toNanos();
                    continue;
                }
                // Every tenth of the way is enough for a log a person reads; fast pollers would flood it otherwise.
                if (s.progress() / 10 != lastProgress / 10 || lastProgress < 0) {
                    lastProgress = s.progress();
                    LOG.info("Job {}: render {} {} {}%", job.id(), r.renderId, s.status(), s.progress());
                }
                if (System.nanoTime() > deadline) {
                    try {
                        api(job, "cancel", t -> {
                            client.cancel(t, r.renderId);
                            return null;
                        });
                    } catch (RuntimeException e) {
                        LOG.debug("Job {}: cancel failed: {}", job.id(), e.getMessage());
                    }
                    throw new JobFailure(Failure.RENDER_TIMEOUT, "render-timeout", "render " + r.renderId + " was still "
                            + s.status() + " after " + settings.duration("reelbox.export.timeout").toSeconds() + " s");
                }
                registry.pause(every);
            }
        });
    }

    public void download(Job job, @ExchangeProperty("CamelLoopIndex") int i) {
        Job.Render r = job.render(i);
        if (r.published != null && Files.exists(r.published)) {
            LOG.info("Job {}: {} was already written before the restart", job.id(), r.published.getFileName());
            return;
        }
        stage(job, "download", () -> {
            RenderStatus s = r.completed;
            List<String> urls = new ArrayList<>();
            if (s.url() != null) {
                urls.add(s.url());
            }
            String fallback = client.fallbackDownloadUrl(r.renderId);
            if (!urls.contains(fallback)) {
                urls.add(fallback);
            }
            JobFailure last = null;
            for (String url : urls) {
                Path temp;
                try {
                    temp = outbox.tempFor(r.output + ".mp4");
                } catch (IOException e) {
                    throw outboxFailure(e);
                }
                try {
                    long bytes = api(job, "download", t -> {
                        try {
                            Files.deleteIfExists(temp);
                        } catch (IOException e) {
                            throw outboxFailure(e);
                        }
                        return client.download(t, url, temp);
                    });
                    Outbox.verifyMp4(temp, s.size());
                    r.size = bytes;
                    r.published = outbox.publishVideo(temp, r.output);
                    journal.save(job);
                    LOG.info("Job {}: wrote {} ({} bytes)", job.id(), r.published, bytes);
                    return null;
                } catch (JobFailure e) {
                    last = e;
                    LOG.warn("Job {}: download from {} failed: {}", job.id(), redactQuery(url), e.getMessage());
                } catch (IOException e) {
                    throw outboxFailure(e);
                } finally {
                    try {
                        Files.deleteIfExists(temp);
                    } catch (IOException ignored) {
                        // best effort: a hidden .part file is all that can remain
                    }
                }
                if (last.failure() == Failure.OUTBOX_UNWRITABLE || last.failure() == Failure.STOPPED) {
                    throw last;
                }
            }
            throw last;
        });
    }

    // --- the pieces ---

    private void newSession(Job job) {
        String language = job.claimed().spec().language() != null ? job.claimed().spec().language()
                : settings.get("reelbox.default-language");
        String[] ids;
        while (true) {
            try {
                ids = api(job, "session", t -> client.createSession(t, language));
                break;
            } catch (ApiException e) {
                // 1002 when creating one is the same cure as anywhere else: ask for a new session, a bounded number of times.
                if (!e.is(Failure.SESSION_NOT_FOUND) || ++job.sessionRefusals > SESSION_RENEWALS) {
                    throw e;
                }
            }
        }
        job.taskId = ids[0];
        job.sessionId = ids[1];
        job.sessions++;
        job.mediaUploaded = false;
        journal.save(job);
        LOG.info("Job {}: session {}", job.id(), job.sessionId);
    }

    private void uploadAll(Job job) {
        job.uploaded.clear();
        // Local files and URLs need different request forms; consecutive runs keep the user's order.
        List<Object> run = new ArrayList<>();
        for (Object entry : mediaInOrder(job)) {
            if (!run.isEmpty() && run.get(0).getClass() != entry.getClass()) {
                uploadRun(job, run);
                run.clear();
            }
            run.add(entry);
        }
        if (!run.isEmpty()) {
            uploadRun(job, run);
        }
        job.mediaUploaded = true;
        journal.save(job);
        LOG.info("Job {}: uploaded {} item(s)", job.id(), job.uploaded.size());
    }

    private List<Object> mediaInOrder(Job job) {
        JobSpec spec = job.claimed().spec();
        List<Object> out = new ArrayList<>();
        if (!spec.mediaListed()) {
            job.claimed().media().forEach(rel -> out.add(job.claimed().workDir().resolve(rel)));
            return out;
        }
        for (String entry : spec.media()) {
            out.add(JobSpec.isUrl(entry) ? entry : job.claimed().workDir().resolve(entry).normalize());
        }
        return out;
    }

    private void uploadRun(Job job, List<Object> run) {
        List<UploadedFile> files;
        if (run.get(0) instanceof Path) {
            List<Path> paths = run.stream().map(Path.class::cast).toList();
            files = session(job, "upload", (t, sid) -> client.upload(t, sid, paths), false, -1);
        } else {
            List<String> urls = run.stream().map(String.class::cast).toList();
            files = session(job, "upload", (t, sid) -> client.uploadUrls(t, sid, urls), false, -1);
        }
        job.uploaded.addAll(files);
    }

    private void sendPrompt(Job job, Job.Render r, String prompt) {
        r.prompt = prompt;
        r.streamDropped = false;
        r.draft = draftOf(session(job, "state", (t, sid) -> client.state(t, sid), false, -1));
        // Recorded before it goes out: after a crash the prompt counts as sent, and is never sent twice.
        r.promptSent = true;
        journal.save(job);
        try {
            AgentTranscript transcript = session(job, "prompt",
                    (t, sid) -> client.prompt(t, sid, prompt, "Job " + job.id()), false, -1);
            r.replies = transcript.replies();
            LOG.info("Job {}: agent answered ({} repl{}, {} tool call(s))", job.id(), r.replies.size(),
                    r.replies.size() == 1 ? "y" : "ies", transcript.toolCalls());
            r.replies.forEach(text -> LOG.info("Job {}: agent: {}", job.id(), oneLine(text)));
        } catch (StreamDroppedException e) {
            LOG.warn("Job {}: {} — the prompt is not sent again; following the session state instead", job.id(), e.getMessage());
            r.streamDropped = true;
            r.replies = List.of();
        }
    }

    /**
     * Reads the state until the edit shows: a ready draft, which after a dropped stream must also differ from the
     * draft before the prompt. Five reads in a row without that is a failure (the contract's disconnect rule).
     */
    private JsonNode awaitDraft(Job job, Job.Render r) {
        JsonNode before = r.draft;
        int maxReads = settings.integer("reelbox.prompt.state-reads");
        if (r.streamDropped) {
            registry.pause(settings.duration("reelbox.prompt.recovery-first-read"));
        }
        for (int read = 1; ; read++) {
            JsonNode draft = draftOf(session(job, "state", (t, sid) -> client.state(t, sid), true, job.renders.indexOf(r)));
            boolean landed = DraftSummary.ready(draft) && (!r.streamDropped || !draft.equals(before));
            if (landed) {
                return draft;
            }
            if (read >= maxReads) {
                throw new JobFailure(Failure.NO_EDIT, "no-draft", "after " + read + " state reads the session still has "
                        + (DraftSummary.ready(draft) ? "the timeline from before the prompt" : "no timeline to export")
                        + (r.replies.isEmpty() ? "" : "; the agent said: " + oneLine(String.join(" ", r.replies))));
            }
            registry.pause(settings.duration("reelbox.prompt.recovery-interval"));
        }
    }

    private void startRender(Job job, int i) {
        Job.Render r = job.render(i);
        if (r.draft == null) {
            // Resumed after a restart: the draft lives in the session state.
            r.draft = draftOf(session(job, "state", (t, sid) -> client.state(t, sid), true, i));
        }
        r.renderId = "render_" + System.currentTimeMillis() + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // Recorded before the call: after a crash the render is polled, not exported twice.
        journal.save(job);
        String id = r.renderId;
        session(job, "export", (t, sid) -> {
            client.export(t, sid, id, r.draft);
            return null;
        }, true, i);
        LOG.info("Job {}: export started as {}", job.id(), id);
    }

    /**
     * A call inside the job's session. On 1002 a new session is opened and the media uploaded again; when the
     * step comes after the prompt ({@code afterPrompt}), render {@code i}'s prompt is sent to the new session and
     * its draft awaited, because the lost session took the edit with it.
     */
    private <T> T session(Job job, String step, BiFunction<String, String, T> call, boolean afterPrompt, int i) {
        while (true) {
            try {
                return api(job, step, t -> call.apply(t, job.sessionId));
            } catch (ApiException e) {
                if (!e.is(Failure.SESSION_NOT_FOUND)) {
                    throw e;
                }
                replaceSession(job, step, e, afterPrompt ? i : -1);
            }
        }
    }

    /**
     * 1002: a new session, the media uploaded again, and — when render {@code i}'s prompt had gone to the lost
     * session — that prompt sent to the new one. Counted per job, not per call: the recovery makes calls of its own
     * that may meet 1002 too, and the job must give up after a few sessions rather than recurse.
     */
    private void replaceSession(Job job, String step, ApiException cause, int i) {
        if (job.sessions > SESSION_RENEWALS) {
            throw new JobFailure(Failure.SESSION_NOT_FOUND, cause.code(), step + ": the session kept disappearing ("
                    + job.sessions + " sessions opened)", null, cause);
        }
        LOG.warn("Job {}: session {} not found during {} (1002); opening a new one", job.id(), job.sessionId, step);
        newSession(job);
        uploadAll(job);
        if (i >= 0) {
            Job.Render r = job.render(i);
            sendPrompt(job, r, r.prompt);
            r.draft = awaitDraft(job, r);
        }
    }

    /** A call with the job's token: retried on transient errors, re-tokened on 1001, gate closed on 2001. */
    private <T> T api(Job job, String step, Function<String, T> call) {
        for (int renewal = 0; ; renewal++) {
            if (registry.stopping()) {
                throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping");
            }
            String token = tokens.current();
            try {
                return retrier.call(step, job.attempts, () -> call.apply(token));
            } catch (ApiException e) {
                if (e.is(Failure.TOKEN_INVALID)) {
                    if (tokens.configured()) {
                        throw new JobFailure(Failure.TOKEN_REJECTED, e.code(), step + ": the configured token was rejected", null, e);
                    }
                    if (renewal < TOKEN_RENEWALS) {
                        LOG.warn("Job {}: token rejected during {} ({}); getting a new one", job.id(), step, e.code());
                        tokens.invalidate(token);
                        continue;
                    }
                }
                if (e.is(Failure.OUT_OF_CREDITS)) {
                    gate.pause();
                    String user = tokens.configured() ? "" : tokens.userId();
                    String link = user.isEmpty() ? "Top up your account." : "Register to keep going: "
                            + settings.get("reelbox.api.register-url") + "?bind=" + user;
                    throw new JobFailure(Failure.OUT_OF_CREDITS, e.code(), e.getMessage(), link, e);
                }
                if (registry.stopping() && e.is(Failure.UNAVAILABLE)) {
                    throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping", null, e);
                }
                throw e;
            }
        }
    }

    private JsonNode draftOf(JsonNode state) {
        JsonNode d = state == null ? null : state.get("draft");
        if (d != null && d.isTextual()) {
            // Some servers send the draft as a JSON string.
            return ApiErrors.parse(d.asText());
        }
        return d == null || d.isNull() ? null : d;
    }

    Credits quietCredits() {
        try {
            return client.credits(tokens.current());
        } catch (RuntimeException e) {
            LOG.debug("Credit balance unavailable: {}", e.getMessage());
            return null;
        }
    }

    private void checkMedia(Path f, String name, long max) throws IOException {
        if (Files.isSymbolicLink(f) || !Files.isRegularFile(f)) {
            throw new JobFailure(Failure.BAD_MEDIA, "not-a-file", name + " is not a regular file");
        }
        MediaKind kind = MediaKind.byName(name).orElseThrow(() -> new JobFailure(Failure.UNSUPPORTED_FILE, "unsupported-type",
                name + " has an unsupported type; accepted: " + MediaKind.ACCEPTED));
        long size = Files.size(f);
        if (size == 0) {
            throw new JobFailure(Failure.BAD_MEDIA, "empty-file", name + " is empty (0 bytes)");
        }
        if (size > max) {
            throw new JobFailure(Failure.FILE_TOO_LARGE, "too-large", name + " is " + size / 1_000_000 + " MB; the limit is "
                    + max / 1_000_000 + " MB");
        }
        if (!kind.matches(f)) {
            throw new JobFailure(Failure.BAD_MEDIA, "content-mismatch", name + " is named ." + kind.name().toLowerCase()
                    + " but its content is not " + kind.name() + " (renamed or damaged file?)");
        }
    }

    private interface Step {
        Object run() throws IOException;
    }

    private void stage(Job job, String name, Step step) {
        job.stage = name;
        LOG.info("Job {}: {} started", job.id(), name);
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (IOException e) {
            throw new JobFailure(Failure.INTERNAL, "io", name + ": " + e.getMessage(), null, e);
        } finally {
            job.timings.merge(name, (System.nanoTime() - t0) / 1_000_000, Long::sum);
        }
        LOG.info("Job {}: {} done in {} ms", job.id(), name, (System.nanoTime() - t0) / 1_000_000);
    }

    private static JobFailure outboxFailure(IOException e) {
        return new JobFailure(Failure.OUTBOX_UNWRITABLE, "outbox", "could not write to the outbox: " + e, null, e);
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }

    /** Signed CDN URLs carry credentials in the query: keep them out of logs. */
    static String redactQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }
}
