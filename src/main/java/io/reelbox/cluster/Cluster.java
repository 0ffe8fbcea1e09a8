package io.reelbox.cluster;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.Settings;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.Journal;

/**
 * This daemon as a node of a cluster ({@code reelbox.cluster.jdbc-url} set): the pieces the routes name —
 * {@code jobClaims} (the intake's idempotent repository, in the database), {@code leaseRenewal}, {@code takeover},
 * the {@code cluster} health check — and the journal in the database.
 */
public final class Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterDatabase database;
    private final Leases leases;
    private final ClusterState state = new ClusterState();
    private final ClusterJournal journal;
    private final JobRegistry registry;
    private ClaimRepository claims;

    private Cluster(ClusterDatabase database, JobRegistry registry) {
        this.database = database;
        this.registry = registry;
        this.leases = new Leases(database.dataSource(), database.node(), database.lease().toMillis());
        this.journal = new ClusterJournal(leases, registry, state);
    }

    /** Connects, migrates the schema and names this node; fails the start with a clear message when it cannot. */
    public static Cluster join(Settings settings, JobRegistry registry) {
        return new Cluster(ClusterDatabase.open(settings), registry);
    }

    public String node() {
        return database.node();
    }

    public Journal journal() {
        return journal;
    }

    /** The lease table, for tests in this package. */
    Leases leases() {
        return leases;
    }

    /** The pool, for tests that build Camel's pieces on it. */
    javax.sql.DataSource dataSourceForTests() {
        return database.dataSource();
    }

    /** Intake claims only while the database answers: a claim it cannot record would strand the job. */
    public boolean canClaim() {
        return state.reachable();
    }

    /** {@code orphans}: gives back to the inbox claims older than the given age that no journal knows. */
    public void bind(Registry beans, Settings settings, BooleanSupplier intakeReady, java.util.function.Consumer<java.time.Duration> orphans) {
        LeaseRenewal renewal = new LeaseRenewal(leases, registry, state);
        claims = new ClaimRepository(database.dataSource());
        beans.bind("jobClaims", claims);
        beans.bind("leaseRenewal", renewal);
        beans.bind("takeover", new Takeover(leases, journal, registry, settings, state, intakeReady, orphans));
        beans.bind("clusterCheck", new ClusterCheck(database.dataSource(), leases, renewal::held));
        beans.bind("clusterState", state);
    }

    /**
     * Claims of drops still in the inbox ({@code keys}) older than {@code olderThan}: their node died between claiming
     * and moving them. Withdrawn, so that another node takes them.
     */
    public void releaseStaleClaims(java.util.List<String> keys, java.time.Duration olderThan) {
        try {
            int n = claims.releaseStale(keys, java.time.Instant.now().minus(olderThan));
            if (n > 0) {
                LOG.warn("Cluster: {} drop(s) in the inbox were claimed {} ago by a node that never took them; they are free again",
                        n, olderThan.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            LOG.warn("Cluster: cannot look for stale claims: {}", e.getMessage());
        }
    }

    /**
     * Whether a folder in {@code .processing/} that looks orphaned must stay where it is: true when a node recorded the
     * job (or the database cannot say); false when this call marked it as given back, so that the node which claimed
     * it, if it is alive and only waiting for the database, can never go on with it, and the caller moves it back.
     */
    public boolean recordedElseGivenBack(String jobId) {
        try {
            return !leases.giveBack(jobId);
        } catch (SQLException e) {
            state.lost(e);
            return true;
        }
    }

    /** A graceful stop: this node's leases end now, so the other nodes take its unfinished jobs over at once. */
    public void leave() {
        try {
            int released = leases.releaseAll();
            if (released > 0) {
                LOG.info("Cluster: released {} job(s) for the other nodes to take over", released);
            }
        } catch (SQLException e) {
            LOG.warn("Cluster: could not release this node's jobs ({}); the other nodes take them when the leases run out", e.getMessage());
        } finally {
            database.close();
        }
    }
}
