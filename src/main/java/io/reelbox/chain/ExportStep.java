package io.reelbox.chain;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.Job;

/**
 * {@code nemo:export}: starts the render of the current draft under a new, unique id, journaled before the call so
 * that after a crash the render is polled rather than exported twice. A redelivered export keeps its id.
 */
final class ExportStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(ExportStep.class);

    private final Chain chain;
    private final Sessions sessions;

    ExportStep(Chain chain, Sessions sessions) {
        this.chain = chain;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "export";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        Job.Render r = job.current();
        if (r.renderId != null && !r.exportCallPending && !r.exportAgain) {
            LOG.info("Job {}: resuming render {}", job.id(), r.renderId);
            return;
        }
        sessions.ensure(job, true);
        if (r.draft == null) {
            // Resumed after a restart: the draft lives in the session state.
            r.draft = chain.draft(job);
        }
        if (!r.exportCallPending) {
            r.renderId = "render_" + System.currentTimeMillis() + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            r.exportAgain = false;
            r.completed = null;
            r.exportCallPending = true;
            chain.journal().save(job);
        }
        String id = r.renderId;
        chain.call(job, t -> {
            chain.client(job).export(t, job.sessionId, id, r.draft);
            return null;
        });
        r.exportCallPending = false;
        r.exportedAt = System.currentTimeMillis();
        r.progress = 0;
        r.deadlineNanos = System.nanoTime() + timeout().toNanos();
        LOG.info("Job {}: export started as {}", job.id(), id);
    }

    private Duration timeout() {
        return chain.settings().duration("reelbox.export.timeout");
    }
}
