package io.reelbox.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The {@code reelbox_job} table: who holds each job, under which epoch, until when, and its journal entry. Times are
 * the database's ({@code now()}), so the nodes' clocks do not matter. Every write for a job names the epoch the
 * writer holds; a takeover raises it, which is what fences a node that was paused or cut off.
 */
final class Leases {

    /** A job row as a takeover or a restart finds it. */
    record Row(String jobId, String previousNode, long epoch, String journal, long expiredMillis) {
    }

    /** What a file change under the row's lock does to the row afterwards. */
    enum After { SAVE, FINISH }

    private final DataSource db;
    private final String node;
    private final long leaseMillis;

    Leases(DataSource db, String node, long leaseMillis) {
        this.db = db;
        this.node = node;
        this.leaseMillis = leaseMillis;
    }

    String node() {
        return node;
    }

    /**
     * The job's first journal entry: the claim becomes a lease, epoch 1. False when the job id already has a row that
     * is not this node's first lease: another node gave the folder back to the inbox (see {@link #giveBack}) while
     * this node waited for the database to record it. A row of this node's, epoch 1, is this very insert, retried
     * after the database took it but its answer was lost.
     */
    boolean hold(String jobId, String journal) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO reelbox_job (job_id, node, epoch, lease_until, state, journal) "
                        + "VALUES (?, ?, 1, now() + ? * interval '1 millisecond', 'running', ?) ON CONFLICT (job_id) DO NOTHING")) {
            s.setString(1, jobId);
            s.setString(2, node);
            s.setLong(3, leaseMillis);
            s.setString(4, journal);
            return s.executeUpdate() == 1 || heldRunning(jobId, 1);
        }
    }

    /**
     * Marks a job that no node recorded as given back (done, epoch 0, no journal), so that the node that claimed it, if
     * it is only waiting for the database, can never record it afterwards. True when this call marked it and the
     * caller may move the folder back; false when a row exists (a node recorded the job, or another node gave it back).
     */
    boolean giveBack(String jobId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO reelbox_job (job_id, node, epoch, lease_until, state, journal) "
                        + "VALUES (?, ?, 0, now(), 'done', NULL) ON CONFLICT (job_id) DO NOTHING")) {
            s.setString(1, jobId);
            s.setString(2, node);
            return s.executeUpdate() == 1;
        }
    }

    /** Records the entry and renews the lease, only under the epoch held; false when another node holds the job now. */
    boolean save(String jobId, long epoch, String journal) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE reelbox_job SET journal = ?, lease_until = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE job_id = ? AND node = ? AND epoch = ? AND state = 'running'")) {
            s.setString(1, journal);
            s.setLong(2, leaseMillis);
            s.setString(3, jobId);
            s.setString(4, node);
            s.setLong(5, epoch);
            return s.executeUpdate() == 1;
        }
    }

    /** A change made while the job's row is locked under the epoch held. */
    interface Change {
        String run() throws Exception;   // returns the journal entry to record afterwards (ignored when finishing)
    }

    /**
     * Locks the job's row if this node still holds it under {@code epoch}, makes the change, then records the entry
     * (or marks the job done) in the same transaction. No takeover can raise the epoch while the change runs.
     * False, with nothing changed, when the job is no longer this node's.
     */
    boolean whileLocked(String jobId, long epoch, After after, Change change) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT 1 FROM reelbox_job WHERE job_id = ? AND node = ? AND epoch = ? AND state = 'running' FOR UPDATE")) {
                    lock.setString(1, jobId);
                    lock.setString(2, node);
                    lock.setLong(3, epoch);
                    try (ResultSet r = lock.executeQuery()) {
                        if (!r.next()) {
                            c.rollback();
                            return false;
                        }
                    }
                }
                String journal = change.run();
                try (PreparedStatement s = c.prepareStatement(after == After.SAVE
                        ? "UPDATE reelbox_job SET journal = ?, lease_until = now() + ? * interval '1 millisecond', updated_at = now() WHERE job_id = ?"
                        : "UPDATE reelbox_job SET journal = NULL, state = 'done', lease_until = now(), updated_at = now() WHERE job_id = ?")) {
                    if (after == After.SAVE) {
                        s.setString(1, journal);
                        s.setLong(2, leaseMillis);
                        s.setString(3, jobId);
                    } else {
                        s.setString(1, jobId);
                    }
                    s.executeUpdate();
                }
                c.commit();
                return true;
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the database rolled back for us
                }
                throw e;
            }
        }
    }

    /** A job that left {@code .processing/} before its row said so (a crash in between): done. */
    void done(String jobId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE reelbox_job SET journal = NULL, state = 'done', updated_at = now() WHERE job_id = ? AND node = ?")) {
            s.setString(1, jobId);
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    /** Renews every lease this node holds; returns job id → epoch of the jobs it still holds. */
    Map<String, Long> renew() throws SQLException {
        Map<String, Long> held = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE reelbox_job SET lease_until = now() + ? * interval '1 millisecond' "
                        + "WHERE node = ? AND state = 'running' RETURNING job_id, epoch")) {
            s.setLong(1, leaseMillis);
            s.setString(2, node);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    held.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return held;
    }

    /**
     * Takes over up to {@code limit} jobs whose leases ran out, oldest first: this node holds them under a new epoch.
     * {@code SKIP LOCKED}: nodes looking at once each get different jobs, and a row under a live change is skipped.
     */
    List<Row> takeOverExpired(int limit) throws SQLException {
        return adopt("WITH expired AS (SELECT job_id, node AS was, now() - lease_until AS late FROM reelbox_job "
                + "WHERE state = 'running' AND lease_until < now() ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "UPDATE reelbox_job j SET node = ?, epoch = j.epoch + 1, lease_until = now() + ? * interval '1 millisecond', "
                + "takeovers = j.takeovers + 1, updated_at = now() FROM expired WHERE j.job_id = expired.job_id "
                + "RETURNING j.job_id, expired.was, j.epoch, j.journal, (extract(epoch FROM expired.late) * 1000)::bigint",
                s -> {
                    s.setInt(1, limit);
                    s.setString(2, node);
                    s.setLong(3, leaseMillis);
                });
    }

    /** At start: the jobs this node held before it stopped, under a new epoch (a stale copy of itself is fenced). */
    List<Row> reclaimOwn() throws SQLException {
        return adopt("UPDATE reelbox_job SET epoch = epoch + 1, lease_until = now() + ? * interval '1 millisecond', updated_at = now() "
                + "WHERE node = ? AND state = 'running' RETURNING job_id, node, epoch, journal, 0::bigint",
                s -> {
                    s.setLong(1, leaseMillis);
                    s.setString(2, node);
                });
    }

    /** A graceful stop: this node's leases end now, so other nodes take its unfinished jobs without waiting. */
    int releaseAll() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE reelbox_job SET lease_until = now() WHERE node = ? AND state = 'running'")) {
            s.setString(1, node);
            return s.executeUpdate();
        }
    }

    /** Whether this node still holds the job under {@code epoch}, or the job is done (nobody else took it). */
    boolean holds(String jobId, long epoch) throws SQLException {
        return exists("SELECT 1 FROM reelbox_job WHERE job_id = ? AND (state = 'done' OR (node = ? AND epoch = ?))", jobId, epoch);
    }

    /** Whether this node holds the running job under {@code epoch} (not: the job is done, or someone else's). */
    private boolean heldRunning(String jobId, long epoch) throws SQLException {
        return exists("SELECT 1 FROM reelbox_job WHERE job_id = ? AND node = ? AND epoch = ? AND state = 'running'", jobId, epoch);
    }

    /** Whether any node has a row for this job (running or done). */
    boolean known(String jobId) throws SQLException {
        return exists("SELECT 1 FROM reelbox_job WHERE job_id = ?", jobId, null);
    }

    /** Whether {@code sql} finds a row, bound to the job id and, when {@code epoch} is given, this node and that epoch. */
    private boolean exists(String sql, String jobId, Long epoch) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, jobId);
            if (epoch != null) {
                s.setString(2, node);
                s.setLong(3, epoch);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** This node's running jobs: id → epoch and journal entry. */
    List<Row> held() throws SQLException {
        return adopt("SELECT job_id, node, epoch, journal, 0::bigint FROM reelbox_job WHERE node = ? AND state = 'running' ORDER BY job_id",
                s -> s.setString(1, node));
    }

    /** How many jobs each node holds now (for health). */
    Map<String, Integer> holders() throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT node, count(*) FROM reelbox_job WHERE state = 'running' AND lease_until > now() GROUP BY node");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getInt(2));
            }
        }
        return out;
    }

    /** Forgets finished jobs older than {@code keepMillis}, and the claims of drops as old. */
    int prune(long keepMillis) throws SQLException {
        try (Connection c = db.getConnection()) {
            int n;
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM reelbox_job WHERE state = 'done' AND updated_at < now() - ? * interval '1 millisecond'")) {
                s.setLong(1, keepMillis);
                n = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM camel_messageprocessed WHERE createdAt < now() - ? * interval '1 millisecond'")) {
                s.setLong(1, keepMillis);
                s.executeUpdate();
            }
            return n;
        }
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private List<Row> adopt(String sql, Binder binder) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getLong(5)));
                }
            }
        }
        return rows;
    }
}
