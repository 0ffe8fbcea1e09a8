package io.reelbox.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness in a cluster: the database answers now; with the node's name, its leases and every node's. */
public final class ClusterCheck extends AbstractHealthCheck {

    private final DataSource db;
    private final Leases leases;
    private final IntSupplier heldAtLastRenewal;

    ClusterCheck(DataSource db, Leases leases, IntSupplier heldAtLastRenewal) {
        super("reelbox", "cluster");
        this.db = db;
        this.leases = leases;
        this.heldAtLastRenewal = heldAtLastRenewal;
    }

    /** A lost database is waited out, not cured by a restart: readiness only, so systemd's watchdog leaves the node be. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("node", leases.node());
        builder.detail("leases", heldAtLastRenewal.getAsInt());
        try (Connection c = db.getConnection()) {
            if (!c.isValid(2)) {
                throw new SQLException("the connection is not valid");
            }
            Map<String, Integer> holders = leases.holders();
            builder.detail("leases", holders.getOrDefault(leases.node(), 0));
            builder.detail("nodes_with_leases", holders.toString());
            builder.detail("checked_at", Instant.now().toString());
            builder.up();
        } catch (SQLException e) {
            builder.down().message("The cluster database is unreachable: " + e.getMessage()
                    + ". This node claims no new job until it is back; its jobs wait to record their progress.");
        }
    }
}
