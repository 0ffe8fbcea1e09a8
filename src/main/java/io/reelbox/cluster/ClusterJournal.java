package io.reelbox.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.Journal;
import io.reelbox.job.JournalEntries;
import io.reelbox.job.LeaseLost;

/**
 * The journal of a cluster node, in PostgreSQL: each save records the job's entry and renews its lease in one
 * statement that names the epoch this node holds, so a node that lost the job (it was paused or cut off, and another
 * node took over) can record nothing and stops the job quietly. File changes that publish (a video into the outbox,
 * inputs out of {@code .processing/}) run while the job's row is locked under that epoch, and are recorded in the
 * same transaction. While the database is unreachable a save waits for it: nothing goes on unrecorded.
 */
public final class ClusterJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterJournal.class);
    private static final long MAX_WAIT_STEP_MILLIS = 5_000;

    private final Leases leases;
    private final JobRegistry registry;
    private final ClusterState state;

    ClusterJournal(Leases leases, JobRegistry registry, ClusterState state) {
        this.leases = leases;
        this.registry = registry;
        this.state = state;
    }

    @Override
    public void save(Job job) {
        try {
            recorded(job, () -> {
                if (job.epoch == 0) {
                    job.holders.add(new Job.Holder(leases.node(), job.stage(), Instant.now().toString(), "claimed"));
                    if (!leases.hold(job.id(), entry(job))) {
                        throw new JobFailure(Failure.TAKEN_OVER, "given-back", "another node gave this claim back to the inbox "
                                + "while this node waited for the cluster database to record it; the drop is taken again from there");
                    }
                    job.epoch = 1;
                } else if (!leases.save(job.id(), job.epoch, entry(job))) {
                    throw LeaseLost.of(job);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);   // a save makes no file change
        }
    }

    @Override
    public void whileHeld(Job job, FileChange change) throws IOException {
        underLease(job, Leases.After.SAVE, change);
    }

    @Override
    public void finish(Job job, FileChange change) throws IOException {
        underLease(job, Leases.After.FINISH, change);
    }

    private void underLease(Job job, Leases.After after, FileChange change) throws IOException {
        boolean[] made = {false};
        recorded(job, () -> {
            if (made[0]) {
                // The change was made and the database went away before it was recorded: record it now.
                boolean ours = after == Leases.After.SAVE ? leases.save(job.id(), job.epoch, entry(job))
                        : leases.whileLocked(job.id(), job.epoch, after, () -> null);
                if (!ours) {
                    throw LeaseLost.of(job);
                }
                return;
            }
            if (!leases.whileLocked(job.id(), job.epoch, after, () -> {
                change.run();
                made[0] = true;
                return entry(job);
            })) {
                throw LeaseLost.of(job);
            }
        });
    }

    @Override
    public void remove(Job job) {
        try {
            recorded(job, () -> leases.done(job.id()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This node's running jobs as the database has them (the disk gate rebuilds its parked jobs from these). */
    @Override
    public List<Job> load(int maxPromptLength) {
        try {
            return rebuild(leases.held(), maxPromptLength, null);
        } catch (SQLException e) {
            state.lost(e);
            LOG.warn("Cannot read this node's jobs from the cluster database: {}", e.getMessage());
            return List.of();
        }
    }

    /** At start: the jobs this node held before, under a new epoch, so that a stale copy of this node is fenced. */
    @Override
    public List<Job> resume(int maxPromptLength) {
        try {
            return rebuild(leases.reclaimOwn(), maxPromptLength, "resumed");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read this node's jobs from the cluster database: " + e.getMessage(), null);
        }
    }

    @Override
    public boolean knows(String jobId) {
        try {
            return leases.known(jobId);
        } catch (SQLException e) {
            return true;   // unsure: leave the folder where it is
        }
    }

    List<Job> rebuild(List<Leases.Row> rows, int maxPromptLength, String how) {
        List<Job> jobs = new ArrayList<>();
        for (Leases.Row row : rows) {
            if (row.journal() == null) {
                continue;
            }
            try {
                Job job = JournalEntries.rebuild(JournalEntries.read(row.journal().getBytes(StandardCharsets.UTF_8)), maxPromptLength);
                job.epoch = row.epoch();
                if (how != null) {
                    job.holders.add(new Job.Holder(leases.node(), job.stage(), Instant.now().toString(), how));
                }
                jobs.add(job);
            } catch (IOException | RuntimeException e) {
                LOG.error("Unreadable journal entry of job {} in the cluster database ({}); left for a person to look at", row.jobId(), e.getMessage());
            }
        }
        return jobs;
    }

    private static String entry(Job job) {
        return new String(JournalEntries.json(job), StandardCharsets.UTF_8);
    }

    private interface Recording {
        void run() throws Exception;
    }

    /** Runs {@code recording} until the database takes it; waits (backing off) while the database is unreachable. */
    private void recorded(Job job, Recording recording) throws IOException {
        long wait = 250;
        boolean warned = false;
        while (true) {
            try {
                recording.run();
                state.reached();
                if (warned) {
                    LOG.info("Job {}: the cluster database is back; its progress is recorded and it goes on", job.id());
                }
                return;
            } catch (SQLException e) {
                if (!ClusterState.unreachable(e)) {
                    throw new IllegalStateException("The cluster database refused job " + job.id() + "'s journal: " + e.getMessage(), null);
                }
                state.lost(e);
                if (registry.stopping()) {
                    throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping and the cluster database is unreachable");
                }
                if (!warned) {
                    LOG.warn("Job {}: cannot record its progress, the cluster database is unreachable ({}); it waits and goes on when the database is back",
                            job.id(), e.getMessage());
                    warned = true;
                }
                sleep(wait);
                wait = Math.min(wait * 2, MAX_WAIT_STEP_MILLIS);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(Failure.STOPPED, "stopped", "interrupted while waiting for the cluster database");
        }
    }
}
