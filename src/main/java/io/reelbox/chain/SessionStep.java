package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.DraftSummary;
import io.reelbox.job.Job;
import io.reelbox.nemo.SessionLost;
import io.reelbox.refine.Refines;

/**
 * {@code nemo:session}: opens the job's editing session, or keeps the one the journal knows; a refine continues the
 * earlier video's session, or rebuilds it.
 */
final class SessionStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStep.class);

    private final Chain chain;
    private final Sessions sessions;

    SessionStep(Chain chain, Sessions sessions) {
        this.chain = chain;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "session";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        if (job.refine != null && job.refine.session() == null) {
            refineSession(job);
            return;
        }
        if (job.sessionId != null && !job.sessionLost) {
            LOG.info("Job {}: resuming in session {}", job.id(), job.sessionId);
            return;
        }
        sessions.open(job);
    }

    /**
     * A refine continues the earlier video's session when a state read finds it (it holds the media and the edit), and
     * rebuilds it when the session is gone: a new one, the earlier media uploaded again from {@code .done/}, and every
     * earlier prompt replayed in order before the new one (PromptStep).
     */
    private void refineSession(Job job) {
        // Continued only when the session still holds exactly the version refined, and no other job is editing it
        // (a later version, or a refine of the same version running at once, moved its draft on): else rebuilt.
        boolean alive;
        try {
            alive = job.sessionId != null && job.refine.targetDraft() != null
                    && chain.registry().running().stream().noneMatch(o -> o != job && job.sessionId.equals(o.sessionId))
                    && DraftSummary.fingerprint(chain.draft(job)).equals(job.refine.targetDraft());
        } catch (SessionLost gone) {
            alive = false;
        }
        if (alive) {
            job.refine = job.refine.withSession("continued");
            chain.journal().save(job);
            LOG.info("Job {}: continuing session {}, which still holds {}", job.id(), job.sessionId, job.refine.target());
            return;
        }
        Refines.requireMedia(job);
        LOG.info("Job {}: the session of {} no longer holds it (gone, edited since, or in use by another refine); rebuilding it: {} medi(a) and {} earlier prompt(s)", job.id(),
                job.refine.target(), job.refine.priorMedia().size(), job.refine.history().size());
        job.refine = job.refine.withSession("rebuilt");
        sessions.open(job);
    }
}
