package io.reelbox.cluster;

import java.sql.SQLException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;

/**
 * The lease route's bean ({@code routes/cluster.yaml}): renews every lease this node holds, every third of the lease.
 * A job this node runs whose lease it no longer holds was taken over by another node while this one was paused or
 * cut off: it is marked, and stops quietly at its next step.
 */
public final class LeaseRenewal {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewal.class);

    private final Leases leases;
    private final JobRegistry registry;
    private final ClusterState state;
    private volatile int held;

    LeaseRenewal(Leases leases, JobRegistry registry, ClusterState state) {
        this.leases = leases;
        this.registry = registry;
        this.state = state;
    }

    public void renew() {
        Map<String, Long> mine;
        try {
            mine = leases.renew();
            state.reached();
        } catch (SQLException e) {
            state.lost(e);
            return;
        }
        held = mine.size();
        for (Job job : registry.running()) {
            Long epoch = mine.get(job.id());
            if (job.epoch > 0 && (epoch == null || epoch != job.epoch) && !job.leaseLost) {
                job.leaseLost = true;
                LOG.warn("Job {}: another node took it over (its lease ran out while this node was paused or cut off); it stops here at its next step",
                        job.id());
            }
        }
    }

    /** Leases this node held at the last renewal (for health). */
    public int held() {
        return held;
    }
}
