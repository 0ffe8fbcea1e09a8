package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.nemo.ApiException;
import io.reelbox.nemo.RenderStatus;
import io.reelbox.nemo.SessionLost;

/**
 * {@code nemo:render-status}: one look at the current render, called by the route's polling loop. A completed
 * render ends the loop. A failed one, or one whose session was lost, or one the backend forgot while Reelbox was
 * away, is marked to be exported again under a new id; a second failure fails the job. Past
 * {@code reelbox.export.timeout} the render is cancelled and the job fails.
 */
final class RenderStatusStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(RenderStatusStep.class);
    /** How long a backend that can may hold a status request open until the render ends (see NemoClient). */
    private static final java.time.Duration HELD = java.time.Duration.ofSeconds(5);

    private final Chain chain;
    private final Sessions sessions;

    RenderStatusStep(Chain chain, Sessions sessions) {
        this.chain = chain;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "render";
    }

    @Override
    public boolean repeats() {
        return true;
    }

    @Override
    public void run(Job job, Exchange exchange) {
        Job.Render r = job.current();
        if (sessions.ensure(job, true)) {
            // The render belonged to the lost session: render the new session's draft instead. It did not fail, so it
            // spends nothing of the one failed render a job may have.
            exportAgain(r, false);
            return;
        }
        if (r.deadlineNanos == 0) {
            r.deadlineNanos = System.nanoTime() + chain.settings().duration("reelbox.export.timeout").toNanos();
        }
        RenderStatus s;
        try {
            s = chain.call(job, t -> chain.client(job).renderStatus(t, r.renderId, HELD));
        } catch (ApiException e) {
            if (!job.resumed || e.httpStatus() != 404 || e instanceof SessionLost) {
                throw e;
            }
            LOG.warn("Job {}: render {} is unknown after the restart; exporting again", job.id(), r.renderId);
            exportAgain(r, false);
            return;
        }
        if (s.completed()) {
            r.durationSeconds = s.durationSeconds();
            r.size = s.size();
            r.delivery = s.delivery();
            r.completed = s;
            LOG.info("Job {}: render {} completed", job.id(), r.renderId);
            return;
        }
        if (s.failed()) {
            if (s.error() != null && s.error().toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
                // The backend's disk is full: rendering again would die the same way.
                throw new JobFailure(Failure.WORK_DIR_FULL, "work-dir-full", "render " + r.renderId + " failed: " + s.error());
            }
            if (!r.failedRenderIds.isEmpty()) {
                throw new JobFailure(Failure.RENDER_FAILED, "render-failed", "render " + r.renderId + " failed"
                        + (s.error() == null ? "" : ": " + s.error()) + " (after an earlier failed render " + r.failedRenderIds + ")");
            }
            LOG.warn("Job {}: render {} failed ({}); exporting once more under a new id", job.id(), r.renderId, s.error());
            exportAgain(r, true);
            return;
        }
        r.progress = s.progress();
        // Every tenth of the way is enough for a log a person reads; fast pollers would flood it otherwise.
        if (s.progress() / 10 != r.lastProgress / 10 || r.lastProgress < 0) {
            r.lastProgress = s.progress();
            LOG.info("Job {}: render {} {} {}%", job.id(), r.renderId, s.status(), s.progress());
        }
        if (System.nanoTime() > r.deadlineNanos) {
            chain.cancelRender(job, r.renderId);
            throw new JobFailure(Failure.RENDER_TIMEOUT, "render-timeout", "render " + r.renderId + " was still "
                    + s.status() + " after " + chain.settings().duration("reelbox.export.timeout").toSeconds() + " s");
        }
    }

    private static void exportAgain(Job.Render r, boolean failed) {
        if (failed) {
            r.failedRenderIds.add(r.renderId);
        }
        r.exportAgain = true;
        r.deadlineNanos = 0;
    }
}
