package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.nemo.ApiException;

/**
 * A job that waited (for room in the outbox, or across a restart) may find its finished video's links expired, as a
 * cloud's are after their retention. The render is then exported once more from its session (no new prompt: the edit
 * is still there) and polled to completion, the way the job route does it, so that the download can try again. The
 * same when the video was lost with its render node: then in the job's new session, on another node.
 */
final class RenderAgain {

    private static final Logger LOG = LoggerFactory.getLogger(RenderAgain.class);

    private final Chain chain;
    private final Step export;
    private final Step renderStatus;

    RenderAgain(Chain chain, Step export, Step renderStatus) {
        this.chain = chain;
        this.export = export;
        this.renderStatus = renderStatus;
    }

    /** Whether {@code failure} of the download means the video's links expired and one new render may cure it. */
    boolean applies(Job job, Job.Render r, JobFailure failure) {
        return job.resumed && !r.expiredOnce && failure instanceof ApiException api
                && (api.httpStatus() == 403 || api.httpStatus() == 404 || api.httpStatus() == 410);
    }

    void run(Job job, Job.Render r, Exchange exchange, JobFailure failure) throws Exception {
        LOG.warn("Job {}: the video of render {} is gone ({}); exporting it once more from the session", job.id(), r.renderId,
                failure.getMessage());
        r.expiredOnce = true;
        renderAnew(job, r, exchange);
    }

    /**
     * The job's render node died after the render finished, taking the video with it. The job's new session, on
     * another node, already holds the media and the edit (the 1002 rule rebuilt it): its render replaces the lost one.
     */
    void onNewNode(Job job, Job.Render r, Exchange exchange) throws Exception {
        LOG.warn("Job {}: render {} was lost with its render node; rendering it again in session {}", job.id(), r.renderId,
                job.sessionId);
        renderAnew(job, r, exchange);
    }

    private void renderAnew(Job job, Job.Render r, Exchange exchange) throws Exception {
        r.exportAgain = true;
        r.completed = null;
        export.run(job, exchange);
        while (job.isRendering()) {
            chain.registry().pause(chain.renderPoll().get());
            renderStatus.run(job, exchange);
            if (r.exportAgain) {
                export.run(job, exchange);
            }
        }
    }
}
