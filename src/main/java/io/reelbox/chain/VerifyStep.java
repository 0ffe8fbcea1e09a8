package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.DraftSummary;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;

/**
 * {@code nemo:verify}: the edit is in the session's state (a timeline ready to export). When the agent edited
 * without a word, the report describes the change from the draft.
 */
final class VerifyStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyStep.class);

    private final Prompts prompts;
    private final Sessions sessions;

    VerifyStep(Prompts prompts, Sessions sessions) {
        this.prompts = prompts;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "verify";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        Job.Render r = job.current();
        if (r.renderId != null) {
            return;
        }
        if (!sessions.ensure(job, true)) {
            r.draft = prompts.awaitDraft(job, r);
        }
        if (job.refine != null && DraftSummary.fingerprint(r.draft).equals(r.draftBefore)) {
            // The draft is the one before the prompt (journaled with it), to the byte: a new video would be the same video.
            throw new JobFailure(Failure.NOTHING_TO_CHANGE, "nothing-to-change", "\"" + r.prompt + "\" changed nothing in "
                    + job.refine.target() + (r.replies.isEmpty() ? "" : "; the agent said: " + Chain.oneLine(String.join(" ", r.replies))));
        }
        if (r.replies.isEmpty()) {
            r.summary = DraftSummary.describe(r.draft);
            LOG.info("Job {}: {}", job.id(), r.summary);
        }
    }
}
