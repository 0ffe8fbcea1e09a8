package io.reelbox.chain;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.Journal;
import io.reelbox.job.Outbox;
import io.reelbox.job.TokenStore;
import io.reelbox.nemo.ApiErrors;
import io.reelbox.nemo.ApiUnavailable;
import io.reelbox.nemo.NemoClient;
import io.reelbox.nemo.OutOfCredits;
import io.reelbox.nemo.SessionLost;
import io.reelbox.nemo.TokenExpired;
import io.reelbox.pool.RenderNode;
import io.reelbox.pool.RenderPool;

/**
 * What the steps share: the render nodes (each job's client and token), the journal, and {@link #call}, which makes one API call with the
 * job's token; {@code renderPoll} is how often a render is polled (the cloud's or the embedded backend's setting, live).
 * Retrying is not done here: the route configuration ({@code routes/errors.yaml}) redelivers the step
 * according to the exception's class.
 */
public record Chain(Settings settings, RenderPool pool, JobRegistry registry, Journal journal, Outbox outbox,
                    Supplier<Duration> renderPoll) {

    private static final Logger LOG = LoggerFactory.getLogger(Chain.class);

    /**
     * One API call with the job's token. A rejected anonymous token is dropped from the cache, so the redelivered
     * step gets a new one (the 1001 rule's budget bounds how many new tokens are rejected before serving a call; one that
     * served and then expired costs nothing of it, and reelbox.api.token-burst bounds those); a rejected configured token is final; 2001 carries the registration link; a transient
     * failure while the daemon stops ends the job for resume instead of failing it.
     */
    <T> T call(Job job, Function<String, T> call) {
        if (registry.stopping()) {
            throw stopped(null);
        }
        job.attempts++;
        RenderNode node = pool.node(job);
        TokenStore tokens = node.tokens();
        String token = tokens.current();
        try {
            T answer = call.apply(token);
            tokens.served(token);
            return answer;
        } catch (TokenExpired e) {
            if (tokens.configured()) {
                throw new JobFailure(Failure.TOKEN_REJECTED, e.code(), job.stage + ": the configured token was rejected", null, e);
            }
            tokens.invalidate(token);
            throw tokens.hasServed(token) ? e.servedBefore() : e;
        } catch (OutOfCredits e) {
            String user = tokens.configured() ? "" : tokens.userId();
            throw e.withHint(user.isEmpty() ? "Top up your account."
                    : "Register to keep going: " + settings.get("reelbox.api.register-url") + "?bind=" + user);
        } catch (ApiUnavailable e) {
            if (registry.stopping()) {
                throw stopped(e);
            }
            // Several render nodes, and this job's is gone: it moves (the 1002 rule opens a new session elsewhere).
            // At the download too: the finished video went with the node, and the new node renders it again.
            if (e.serverGone() && pool.markDown(node, "it stopped answering during " + job.stage)) {
                throw SessionLost.nodeGone(job.stage + ": render node " + node.url() + " stopped answering; the job moves to another node", e);
            }
            throw e;
        }
    }

    /**
     * Asks the API to stop a render this job no longer wants (past its timeout, or cancelled by the user). Best effort:
     * the job ends either way, so a failed cancel is only logged.
     */
    void cancelRender(Job job, String renderId) {
        try {
            call(job, t -> {
                client(job).cancel(t, renderId);
                return null;
            });
            LOG.info("Job {}: render {} cancelled", job.id(), renderId);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: could not cancel render {}: {}", job.id(), renderId, e.getMessage());
        }
    }

    /** The client of the job's render node. */
    NemoClient client(Job job) {
        return pool.node(job).client();
    }

    /** The session's draft, from its state ({@code null} when it has none yet). */
    JsonNode draft(Job job) {
        JsonNode state = call(job, t -> client(job).state(t, job.sessionId));
        JsonNode d = state == null ? null : state.get("draft");
        if (d != null && d.isTextual()) {
            // Some servers send the draft as a JSON string.
            return ApiErrors.parse(d.asText());
        }
        return d == null || d.isNull() ? null : d;
    }

    static JobFailure stopped(Throwable cause) {
        return new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping", null, cause);
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }
}
