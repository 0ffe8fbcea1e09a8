package io.reelbox.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.reelbox.failure.JobFailure;
import io.reelbox.nemo.ApiUnavailable;
import io.reelbox.nemo.RateLimited;
import io.reelbox.nemo.SessionLost;
import io.reelbox.nemo.TokenExpired;

/**
 * The curable faults a job met. Each kind has its own budget at each step (routes/errors.yaml): this counts the
 * current step's faults by kind, and forgets them when the step succeeds, so a cured fault spends nothing of the
 * budget of the next step, the next loop pass, or another kind. The history of every fault stays for error.json.
 */
public final class Faults {

    /** The kinds a route can cure, each with its rule and budget in routes/errors.yaml. */
    public enum Kind {
        TOKEN("1001", "a rejected token", "reelbox.retry.token-budget"),
        SESSION("1002", "a lost session", "reelbox.retry.session-budget"),
        RATE_LIMIT("429", "rate limiting", "reelbox.retry.rate-limit-budget"),
        TRANSIENT("transient", "a network error, timeout or 5xx", "reelbox.retry.redeliveries");

        public final String label;
        public final String what;
        /** The setting that holds this kind's budget at one step. */
        public final String setting;

        Kind(String label, String what, String setting) {
            this.label = label;
            this.what = what;
            this.setting = setting;
        }

        /** The kind of a failure, or null when no rule cures it (it is final). */
        public static Kind of(Throwable e) {
            return e instanceof TokenExpired ? TOKEN : e instanceof SessionLost ? SESSION : e instanceof RateLimited ? RATE_LIMIT
                    : e instanceof ApiUnavailable ? TRANSIENT : null;
        }
    }

    /** The budget a job's final failure ran out of: a kind's budget at one step, or the job's own bound on sessions. */
    public record Exhausted(Kind kind, String setting, int faults) {
    }

    /** What ran out when {@code f} ended the job; null when {@code f} is not a fault any budget covers. */
    public synchronized Exhausted exhaustedBy(JobFailure f) {
        Kind kind = Kind.of(f);
        if (kind != null) {
            return new Exhausted(kind, kind.setting, atStep(kind));
        }
        if (f.failure() == io.reelbox.failure.Failure.SESSION_NOT_FOUND) {
            // Sessions.ensure: the whole job opened reelbox.retry.new-sessions new sessions already.
            return new Exhausted(Kind.SESSION, "reelbox.retry.new-sessions", (int) history.stream().filter(h -> h.kind() == Kind.SESSION).count());
        }
        return null;
    }

    /**
     * One fault: where, of which kind, with which code, the how-manieth of its kind at that step, whether it counted
     * against the budget (an expired token that had served does not), and when.
     */
    public record Fault(String stage, Kind kind, String code, int nthAtStep, boolean counted, Instant at) {
    }

    /** History kept for error.json; a job that meets more keeps the first and the latest ones. */
    private static final int KEPT = 60;

    private final Map<Kind, Integer> atStep = new EnumMap<>(Kind.class);
    private final List<Fault> history = new ArrayList<>();
    private int total;

    /**
     * Keeps a fault of the current step; when it {@code spends} the budget, counts it. Returns how many of its kind
     * the step has counted.
     */
    public synchronized int record(String stage, Kind kind, JobFailure e, boolean spends) {
        int n = spends ? atStep.merge(kind, 1, Integer::sum) : atStep.getOrDefault(kind, 0);
        total++;
        if (history.size() == KEPT) {
            history.remove(KEPT / 2);
        }
        history.add(new Fault(stage, kind, e.code(), n, spends, Instant.now()));
        return n;
    }

    /** The step went through: its faults were cured, and the next step starts with its whole budget. */
    public synchronized void stepSucceeded() {
        atStep.clear();
    }

    public synchronized int atStep(Kind kind) {
        return atStep.getOrDefault(kind, 0);
    }

    public synchronized List<Fault> history() {
        return List.copyOf(history);
    }

    /** Every fault so far, including those left out of the kept history. */
    public synchronized int total() {
        return total;
    }
}
