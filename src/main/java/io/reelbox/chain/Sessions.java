package io.reelbox.chain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;

/**
 * The job's editing session. After a 1002 (the route configuration marks the session lost and redelivers the step)
 * the step first brings a new session to where the lost one was: the media uploaded again and, past the prompt, the
 * prompt sent to the new session and its edit awaited, because the lost session took the edit with it. Each part
 * is done once even when a transient failure makes the route redeliver the step in the middle of it.
 */
final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private final Chain chain;
    private final Uploads uploads;
    private final Prompts prompts;

    Sessions(Chain chain, Uploads uploads, Prompts prompts) {
        this.chain = chain;
        this.uploads = uploads;
        this.prompts = prompts;
    }

    void open(Job job) {
        String language = job.claimed().spec().language() != null ? job.claimed().spec().language()
                : chain.settings().get("reelbox.default-language");
        chain.pool().forNewSession(job);   // a job whose render node is down moves to another one here
        String[] ids = chain.call(job, t -> chain.client(job).createSession(t, language));
        job.taskId = ids[0];
        job.sessionId = ids[1];
        job.sessions++;
        job.sessionLost = false;
        job.mediaUploaded = false;
        job.uploadsDone = 0;
        job.preludesSent = 0;   // a new session holds none of them: they go out again before the next prompt
        job.uploaded.clear();
        chain.journal().save(job);
        LOG.info("Job {}: session {}", job.id(), job.sessionId);
    }

    /**
     * Makes sure the job's session is usable. {@code pastPrompt}: the step comes after the current render's prompt.
     * Returns true when a lost session was replaced (the prompt's edit, if any, awaited again).
     */
    boolean ensure(Job job, boolean pastPrompt) {
        if (job.sessionLost) {
            // Besides the 1002 rule's budget at each step, a bound for the whole job: every new session costs an upload
            // of every medium and a prompt, and a server that loses sessions at every other step would never finish.
            int renewals = chain.settings().integer("reelbox.retry.new-sessions");
            if (job.sessions > renewals) {
                throw new JobFailure(Failure.SESSION_NOT_FOUND, "1002", job.stage + ": the session kept disappearing ("
                        + job.sessions + " sessions opened; reelbox.retry.new-sessions is " + renewals + ")");
            }
            LOG.warn("Job {}: session {} not found during {} (1002); opening a new one", job.id(), job.sessionId, job.stage);
            int held = job.mediaUploaded ? job.uploads().size() : job.uploadsDone;
            open(job);
            job.rebuild = new Job.Rebuild(held, pastPrompt);
        }
        Job.Rebuild rebuild = job.rebuild;
        if (rebuild == null) {
            return false;
        }
        while (job.uploadsDone < rebuild.uploads) {
            uploads.next(job);
        }
        Job.Render r = job.current();
        if (rebuild.reprompt) {
            prompts.sendPreludes(job);
            prompts.send(job, r, r.prompt);
            rebuild.reprompt = false;
            rebuild.awaitDraft = true;
        }
        if (rebuild.awaitDraft) {
            r.draft = prompts.awaitDraft(job, r);
            rebuild.awaitDraft = false;
        }
        job.rebuild = null;
        return true;
    }
}
