package io.reelbox.cluster;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can reach the cluster database, as its last call found. Intake claims nothing while it cannot;
 * the health check reports it. A lost database is logged once, and its return once.
 */
public final class ClusterState {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterState.class);

    private volatile boolean reachable = true;
    private volatile String problem;
    private volatile long since = System.currentTimeMillis();

    public boolean reachable() {
        return reachable;
    }

    public String problem() {
        return problem;
    }

    /** Since when the database has been reachable, or unreachable (epoch millis). */
    public long since() {
        return since;
    }

    void reached() {
        if (!reachable) {
            reachable = true;
            problem = null;
            since = System.currentTimeMillis();
            LOG.info("Cluster: the database is reachable again; this node claims and records again");
        }
    }

    void lost(SQLException e) {
        problem = e.getMessage();
        if (reachable) {
            reachable = false;
            since = System.currentTimeMillis();
            LOG.warn("Cluster: the database is unreachable ({}); this node claims no new job and its jobs wait to record their progress", e.getMessage());
        }
    }

    /** A connection problem (the database is down, restarting or cut off), as opposed to a refused statement. */
    static boolean unreachable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
    }
}
