package io.reelbox.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.failure.LocalIo;
import io.reelbox.inbox.FreeName;
import io.reelbox.inbox.InboxScanner;
import io.reelbox.nemo.Credits;

/**
 * How a job ends. Each render's checked video gets its name in the outbox; then a report next to each video, and
 * the inputs go to {@code .done/<job>/}. Failure: inputs and an {@code error.json} to {@code .failed/<job>/}. A stop:
 * the job stays in {@code .processing/} with its journal entry, to resume on the next start. Each ending returns
 * the events the listeners hear about.
 */
public final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final InboxScanner.Layout layout;
    private final Outbox outbox;
    private final CreditGate credits;
    private final JobRegistry registry;
    private final Journal journal;

    public Outcomes(InboxScanner.Layout layout, Outbox outbox, CreditGate credits, JobRegistry registry, Journal journal) {
        this.layout = layout;
        this.outbox = outbox;
        this.credits = credits;
        this.registry = registry;
        this.journal = journal;
    }

    /** The current render's checked download takes its name: {@code promo.mp4}, or {@code promo-2.mp4} when taken. */
    public void publishVideo(Exchange exchange) {
        Job job = Job.of(exchange);
        Job.Render r = job.current();
        if (r.downloaded == null) {
            return;
        }
        Path download = r.downloaded;
        try {
            journal.whileHeld(job, () -> r.published = job.refine != null ? outbox.publishVersion(download, job.refine.root())
                    : outbox.publishVideo(download, r.output));
        } catch (IOException e) {
            throw outbox.failure(download, e);
        } catch (JobFailure f) {
            if (f.failure() == Failure.TAKEN_OVER) {
                deleteQuietly(download);   // the node that holds the job now downloads its own copy
            }
            throw f;
        } finally {
            r.downloaded = null;
        }
        LOG.info("Job {}: wrote {} ({} bytes)", job.id(), r.published, r.size);
    }

    /** Reports next to the videos, inputs to {@code .done/}; one event per video. */
    public List<Event> succeed(Exchange exchange) throws IOException {
        Job job = Job.of(exchange);
        job.stage = "finish";
        job.creditsAfter = credits.balance();
        List<Event> events = new ArrayList<>();
        Path[] done = new Path[1];
        journal.finish(job, () -> {
            events.clear();
            for (Job.Render r : job.renders) {
                byte[] report = JSON.writeValueAsBytes(report(job, r));
                // A report already next to its video was written before a restart: one report per video, never two.
                if (!Files.exists(Outbox.sibling(r.published, ".json"))) {
                    try {
                        outbox.publishReport(r.published, report);
                    } catch (IOException e) {
                        throw outbox.failure(Outbox.sibling(r.published, ".json"), e);
                    }
                }
                events.add(new Event(Event.PUBLISHED, job.claimed().name(), r.output, r.published.toAbsolutePath().toString(),
                        new String(report, StandardCharsets.UTF_8)));
            }
            try {
                done[0] = FreeName.move(job.claimed().workDir(), layout.done(), job.claimed().name(), "");
            } catch (IOException e) {
                throw LocalIo.failure(LocalIo.Place.INBOX, layout.done(), e);
            }
        });
        end(job);
        LOG.info("Job {}: finished — {} video(s) in {}, inputs in {}", job.id(), job.renders.size(), outbox.dir(), done[0]);
        return events;
    }

    /**
     * {@code error.json} and the inputs to {@code .failed/<job>/}, and the event for the listeners. When Reelbox is
     * stopping, the job stays for resume instead and there is no event. A job ends once: a second call does nothing.
     */
    public Event fail(Exchange exchange) {
        Job job = Job.of(exchange);
        if (job.ended) {
            return null;
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        JobFailure failure = cause instanceof JobFailure jf ? jf
                : new JobFailure(Failure.INTERNAL, "internal", String.valueOf(cause), null, cause);
        try {
            if (failure.failure() == Failure.TAKEN_OVER) {
                // Another node holds the job now: this one touches nothing and tells nobody.
                LOG.info("Job {}: {}; stopped here without touching its files", job.id(), failure.getMessage());
                return null;
            }
            if (failure.failure() == Failure.STOPPED || registry.stopping()) {
                // Journal and files stay in .processing: the next start resumes the job from its last safe point.
                journal.save(job);
                LOG.info("Job {}: stopped during {}; it resumes on the next start", job.id(), job.stage());
                return null;
            }
            job.failureCode = failure.code();
            Path work = job.claimed().workDir();
            byte[] error = JSON.writeValueAsBytes(error(job, failure));
            Path[] failedAt = new Path[1];
            journal.finish(job, () -> {
                FreeName.place(work, "error", ".json", target -> Files.write(target, error, StandardOpenOption.CREATE_NEW));
                failedAt[0] = FreeName.move(work, layout.failed(), job.claimed().name(), "");
            });
            Path failed = failedAt[0];
            LOG.error("Job {}: failed at {} [{}] {} — inputs and error.json in {}", job.id(), job.stage(), failure.code(),
                    failure.getMessage(), failed);
            if (failure.failure() == Failure.INTERNAL && cause != null) {
                LOG.debug("Job {}: internal error", job.id(), cause);
            }
            String output = job.renders.isEmpty() ? job.claimed().name() : job.renders.get(0).output;
            return new Event(Event.FAILED, job.claimed().name(), output, null, new String(error, StandardCharsets.UTF_8));
        } catch (JobFailure lost) {
            LOG.info("Job {}: {}; its files are left to the node that holds it", job.id(), lost.getMessage());
            return null;
        } catch (IOException e) {
            LOG.error("Job {}: failed at {} ({}), and its inputs could not be moved to .failed ({}); they stay in {}",
                    job.id(), job.stage(), failure.getMessage(), e.getMessage(), job.claimed().workDir());
            return null;
        } finally {
            end(job);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not remove the download {}: {}", file, e.getMessage());
        }
    }

    private void end(Job job) {
        job.ended = true;
        registry.finished(job);
    }

    ObjectNode error(Job job, JobFailure f) {
        ObjectNode n = JSON.createObjectNode();
        Faults.Exhausted exhausted = job.faults.exhaustedBy(f);
        String message = exhausted == null ? f.getMessage() : f.getMessage() + " (" + exhausted.kind().what + " " + exhausted.faults()
                + " time(s): the budget " + exhausted.setting() + " ran out"
                + (job.faults.total() > exhausted.faults() ? "; " + (job.faults.total() - exhausted.faults())
                + " other fault(s) before, see faults" : "") + ")";
        n.put("job", job.claimed().name()).put("job_id", job.id()).put("stage", job.stage()).put("code", f.code())
                .put("error", f.failure().name().toLowerCase().replace('_', '-')).put("message", message)
                .put("hint", f.hint()).put("attempts", job.attempts).put("failed_at", Instant.now().toString());
        if (exhausted != null) {
            n.putObject("budget_ran_out").put("kind", exhausted.kind().label).put("setting", exhausted.setting())
                    .put("stage", job.stage()).put("faults", exhausted.faults());
        }
        faults(n, job);
        if (job.sessionId != null) {
            n.put("session_id", job.sessionId);
        }
        ArrayNode renders = n.putArray("render_ids");
        job.renders.stream().filter(r -> r.renderId != null).forEach(r -> renders.add(r.renderId));
        nodes(n, job);
        ArrayNode files = n.putArray("inputs");
        job.claimed().files().forEach(p -> files.add(p.toString()));
        return n;
    }

    ObjectNode report(Job job, Job.Render main) {
        ObjectNode n = JSON.createObjectNode();
        n.put("job", job.claimed().name()).put("job_id", job.id()).put("status", "completed")
                .put("video", main.published.getFileName().toString())
                .put("task_id", job.taskId).put("session_id", job.sessionId).put("sessions_used", job.sessions)
                .put("started_at", job.startedAt().toString()).put("finished_at", Instant.now().toString())
                .put("attempts", job.attempts);
        ArrayNode renders = n.putArray("renders");
        for (Job.Render r : job.renders) {
            ObjectNode o = renders.addObject();
            o.put("video", r.published == null ? null : r.published.getFileName().toString()).put("render_id", r.renderId)
                    .put("prompt", r.prompt).put("size_bytes", r.size).put("duration_seconds", r.durationSeconds)
                    .put("stream_dropped", r.streamDropped);
            ArrayNode replies = o.putArray("agent_replies");
            r.replies.forEach(replies::add);
            if (r.summary != null) {
                o.put("change_summary", r.summary);
            }
            if (r.delivery != null) {
                o.set("delivery", r.delivery);
            }
            if (!r.failedRenderIds.isEmpty()) {
                ArrayNode failedIds = o.putArray("failed_render_ids");
                r.failedRenderIds.forEach(failedIds::add);
            }
        }
        io.reelbox.refine.RefineReport.addTo(n, job, main);
        nodes(n, job);
        faults(n, job);
        ArrayNode inputs = n.putArray("inputs");
        for (Job.Input in : job.inputs) {
            inputs.addObject().put("name", in.name()).put("size_bytes", in.size()).put("sha256", in.sha256());
        }
        ArrayNode uploaded = n.putArray("uploaded");
        job.uploaded.forEach(u -> uploaded.addObject().put("filename", u.filename()).put("file_type", u.fileType())
                .put("duration", u.duration()).put("width", u.width()).put("height", u.height()));
        ObjectNode timings = n.putObject("timings_ms");
        job.timings.forEach(timings::put);
        ObjectNode credits = n.putObject("credits");
        credits.set("before", credits(job.creditsBefore));
        credits.set("after", credits(job.creditsAfter));
        return n;
    }

    /**
     * In a cluster: each node that held the job, from which stage (a takeover says from which node); with several
     * render nodes, the ones it used. The report, error.json and the job API's view of a running job show the same.
     */
    public static void nodes(ObjectNode n, Job job) {
        if (!job.holders.isEmpty()) {
            ArrayNode nodes = n.putArray("nodes");
            job.holders.forEach(h -> nodes.addObject().put("node", h.node()).put("from_stage", h.stage()).put("at", h.at()).put("how", h.how()));
        }
        // Several render nodes: which ones the job used, and why it moved (a node stopped answering).
        if (job.pooled || job.backends.size() > 1) {
            ArrayNode used = n.putArray("render_nodes");
            job.backends.forEach(b -> used.addObject().put("url", b.url()).put("from_stage", b.stage()).put("at", b.at())
                    .put("moved_because", b.why()));
        }
    }

    /** Every curable fault the job met, in order: where, which kind and code, and the how-manieth at its step. */
    private static void faults(ObjectNode n, Job job) {
        ArrayNode faults = n.putArray("faults");
        job.faults.history().forEach(f -> faults.addObject().put("stage", f.stage()).put("kind", f.kind().label)
                .put("code", f.code()).put("at_step", f.nthAtStep()).put("counted", f.counted()).put("at", f.at().toString()));
    }

    private static ObjectNode credits(Credits c) {
        if (c == null) {
            return null;
        }
        return JSON.createObjectNode().put("available", c.available()).put("frozen", c.frozen()).put("total", c.total());
    }

}
