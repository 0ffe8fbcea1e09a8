package io.reelbox.cluster;

import java.sql.SQLException;
import java.util.HashMap;
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
        // Only jobs this node held before renewing are judged: one claimed or taken over meanwhile is not in the answer.
        Map<Job, Long> before = new HashMap<>();
        registry.running().stream().filter(j -> j.epoch > 0).forEach(j -> before.put(j, j.epoch));
        Map<String, Long> mine;
        try {
            mine = leases.renew();
            held = mine.size();
            for (Map.Entry<Job, Long> e : before.entrySet()) {
                Job job = e.getKey();
                Long epoch = mine.get(job.id());
                if (epoch != null && epoch.longValue() == e.getValue()) {
                    continue;
                }
                // Not renewed: finished just now, or really taken over. The row says which.
                if (!job.leaseLost && !job.ended && !leases.holds(job.id(), e.getValue())) {
                    job.leaseLost = true;
                    LOG.warn("Job {}: another node took it over (its lease ran out while this node was paused or cut off); it stops here at its next step",
                            job.id());
                }
            }
            state.reached();
        } catch (SQLException e) {
            state.lost(e);
        }
    }

    /** Leases this node held at the last renewal (for health). */
    public int held() {
        return held;
    }
}
