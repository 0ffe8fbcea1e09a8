package io.reelbox.cluster;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.Settings;
import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;

/**
 * The takeover route's bean ({@code routes/cluster.yaml}): this node takes over jobs whose
 * leases ran out (their node died, froze or lost the database) and hands them to the job route, which resumes each
 * at its last safe point from the journal: a prompt sent is never sent again, a render known is polled, not exported
 * again. A job whose files already left {@code .processing/} had finished: it is only marked done.
 */
public final class Takeover {

    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Leases leases;
    private final ClusterJournal journal;
    private final JobRegistry registry;
    private final Settings settings;
    private final ClusterState state;
    private final BooleanSupplier intakeReady;
    private final Consumer<Duration> orphans;
    private long lastPrune;
    private long lastSweep;

    /** {@code orphans}: gives back to the inbox the claims older than the given age that no node recorded. */
    Takeover(Leases leases, ClusterJournal journal, JobRegistry registry, Settings settings, ClusterState state,
             BooleanSupplier intakeReady, Consumer<Duration> orphans) {
        this.orphans = orphans;
        this.leases = leases;
        this.journal = journal;
        this.registry = registry;
        this.settings = settings;
        this.state = state;
        this.intakeReady = intakeReady;
    }

    public List<Job> expired() {
        if (!intakeReady.getAsBoolean() || registry.stopping() || registry.held()) {
            return List.of();
        }
        sweepOrphans();
        // A job whose node died was started long ago: it goes before new drops, even on a node whose slots are full
        // (intake then waits until the load is back under reelbox.concurrency). Up to reelbox.concurrency per look,
        // within the job route's threads (reelbox.max-concurrency).
        int slots = Math.min(settings.integer("reelbox.concurrency"), settings.integer("reelbox.max-concurrency") - registry.inFlight());
        if (slots <= 0) {
            return List.of();
        }
        List<Leases.Row> rows;
        try {
            rows = leases.takeOverExpired(slots);
            state.reached();
            prune();
        } catch (SQLException e) {
            state.lost(e);
            return List.of();
        }
        List<Job> jobs = new ArrayList<>();
        for (Leases.Row row : rows) {
            for (Job job : journal.rebuild(List.of(row), settings.integer("reelbox.prompt.max-length"), Job.Holder.takenOverFrom(row.previousNode()))) {
                if (!Files.isDirectory(job.claimed().workDir())) {
                    LOG.info("Job {}: node {} had finished it before its lease ran out; marked done", job.id(), row.previousNode());
                    journal.remove(job);
                    continue;
                }
                LOG.info("Job {}: taken over from node {}, whose lease ran out {} ms ago; it resumes at {}", job.id(),
                        row.previousNode(), row.expiredMillis(), job.stage());
                registry.claimed(job);
                jobs.add(job);
            }
        }
        return jobs;
    }

    /**
     * Once a lease: a node that died between claiming a drop and moving it left a claim on a drop still in the inbox,
     * or, between the move and its first journal write, a folder in {@code .processing/} that no row knows. Past two
     * leases nobody is finishing either: the claim is withdrawn, the folder goes back to the inbox. A dead node's
     * hidden partial downloads go from the outbox once nobody has written them for an hour.
     */
    private void sweepOrphans() {
        long now = System.currentTimeMillis();
        Duration lease = settings.duration("reelbox.cluster.lease");
        if (state.reachable() && now - lastSweep >= lease.toMillis()) {
            lastSweep = now;
            orphans.accept(lease.multipliedBy(2));
        }
    }

    private void prune() throws SQLException {
        long now = System.currentTimeMillis();
        if (now - lastPrune >= PRUNE_EVERY.toMillis()) {
            lastPrune = now;
            int n = leases.prune(settings.duration("reelbox.cluster.keep-finished").toMillis());
            if (n > 0) {
                LOG.info("Cluster: forgot {} job(s) finished more than {} ago", n, settings.get("reelbox.cluster.keep-finished"));
            }
        }
    }
}
