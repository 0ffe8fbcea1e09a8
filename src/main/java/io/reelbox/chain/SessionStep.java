package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.Job;

/** {@code nemo:session}: opens the job's editing session, or keeps the one the journal knows. */
final class SessionStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStep.class);

    private final Sessions sessions;

    SessionStep(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "session";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        if (job.sessionId != null && !job.sessionLost) {
            LOG.info("Job {}: resuming in session {}", job.id(), job.sessionId);
            return;
        }
        sessions.open(job);
    }
}
