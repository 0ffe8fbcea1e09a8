package io.reelbox.chain;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.DraftSummary;
import io.reelbox.job.Job;
import io.reelbox.nemo.AgentTranscript;
import io.reelbox.nemo.ApiException;
import io.reelbox.nemo.SessionLost;
import io.reelbox.nemo.StreamDroppedException;

/**
 * Sending a prompt and waiting for its edit, under the contract's rule: a prompt that may have reached the agent is
 * never sent again. It is journaled as sent before it goes out; only an answer that refused it before its stream
 * began (an HTTP error, 1001, 1002, 429) makes it unsent again.
 */
final class Prompts {

    private static final Logger LOG = LoggerFactory.getLogger(Prompts.class);

    private final Chain chain;

    Prompts(Chain chain) {
        this.chain = chain;
    }

    void send(Job job, Job.Render r, String text) {
        r.prompt = text;
        r.streamDropped = false;
        r.draft = chain.draft(job);
        r.draftBefore = DraftSummary.fingerprint(r.draft);
        r.promptSent = true;
        chain.journal().save(job);
        try {
            AgentTranscript transcript = chain.call(job, t -> chain.client(job).prompt(t, job.sessionId, text, "Job " + job.id()));
            r.replies = transcript.replies();
            LOG.info("Job {}: agent answered ({} repl{}, {} tool call(s))", job.id(), r.replies.size(),
                    r.replies.size() == 1 ? "y" : "ies", transcript.toolCalls());
            r.replies.forEach(reply -> LOG.info("Job {}: agent: {}", job.id(), Chain.oneLine(reply)));
        } catch (StreamDroppedException e) {
            LOG.warn("Job {}: {} — the prompt is not sent again; following the session state instead", job.id(), e.getMessage());
            r.streamDropped = true;
            r.replies = List.of();
        } catch (ApiException refused) {
            r.promptSent = false;
            chain.journal().save(job);
            throw refused;
        }
    }

    /**
     * Sends the preludes the session does not hold yet ({@link Job#preludes()}), each once: counted as sent before it
     * goes out, as a prompt is, and each edit awaited, so the next prompt edits it.
     */
    void sendPreludes(Job job) {
        List<String> preludes = job.preludes();
        while (job.preludesSent < preludes.size()) {
            Job.Render prelude = new Job.Render("(prelude " + (job.preludesSent + 1) + ")");
            job.preludesSent++;
            try {
                send(job, prelude, preludes.get(job.preludesSent - 1));
                awaitDraft(job, prelude);
            } catch (ApiException refused) {
                if (!prelude.promptSent) {
                    job.preludesSent--;
                    chain.journal().save(job);
                }
                throw refused;
            }
            LOG.info("Job {}: prelude {} of {} in session {}", job.id(), job.preludesSent, preludes.size(), job.sessionId);
        }
    }

    /**
     * Reads the state until the edit shows: a ready draft, which after a dropped stream must also differ from the
     * draft before the prompt. {@code reelbox.prompt.state-reads} reads without it is a failure (the contract's
     * disconnect rule).
     */
    JsonNode awaitDraft(Job job, Job.Render r) {
        JsonNode before = r.draft;
        int maxReads = chain.settings().integer("reelbox.prompt.state-reads");
        if (r.streamDropped) {
            chain.registry().pause(chain.settings().duration("reelbox.prompt.recovery-first-read"));
        }
        for (int read = 1; ; read++) {
            JsonNode draft = chain.draft(job);
            if (DraftSummary.ready(draft) && (!r.streamDropped || !draft.equals(before))) {
                return draft;
            }
            if (read >= maxReads && r.streamDropped && !DraftSummary.ready(draft) && job.takenOver()) {
                // Journaled as sent by a node that died before it went out: this session never saw it. Never again
                // to this session; once to a new one (the 1002 rule opens it).
                throw SessionLost.promptNeverArrived(job.stage + ": the prompt the previous node journaled as sent never reached session "
                        + job.sessionId);
            }
            if (read >= maxReads) {
                throw new JobFailure(Failure.NO_EDIT, "no-draft", "after " + read + " state reads the session still has "
                        + (DraftSummary.ready(draft) ? "the timeline from before the prompt" : "no timeline to export")
                        + (r.replies.isEmpty() ? "" : "; the agent said: " + Chain.oneLine(String.join(" ", r.replies))));
            }
            chain.registry().pause(chain.settings().duration("reelbox.prompt.recovery-interval"));
        }
    }
}
