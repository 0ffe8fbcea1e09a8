package io.reelbox.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.reelbox.config.Settings;

/**
 * The cluster's PostgreSQL: a small HikariCP pool and the schema, created or migrated by Flyway on start. The URL,
 * user and password come from settings (the password from the environment); none of them is ever logged, and the
 * log names only the database's host and name.
 */
public final class ClusterDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDatabase.class);

    private final HikariDataSource pool;
    private final String node;
    private final Duration lease;

    private ClusterDatabase(HikariDataSource pool, String node, Duration lease) {
        this.pool = pool;
        this.node = node;
        this.lease = lease;
    }

    /** True when {@code reelbox.cluster.jdbc-url} is set: the daemon is a node of a cluster. */
    public static boolean configured(Settings settings) {
        return !settings.get("reelbox.cluster.jdbc-url", "").isBlank();
    }

    /** Connects and migrates; a database that cannot be reached stops the start with a clear message. */
    public static ClusterDatabase open(Settings settings) {
        String url = settings.get("reelbox.cluster.jdbc-url");
        HikariConfig config = new HikariConfig();
        config.setPoolName("reelbox-cluster");
        config.setJdbcUrl(url);
        config.setUsername(blankToNull(settings.get("reelbox.cluster.user", "")));
        config.setPassword(blankToNull(settings.get("reelbox.cluster.password", "")));
        config.setMaximumPoolSize(settings.integer("reelbox.cluster.pool-size"));
        config.setMinimumIdle(1);
        // A lost database must be noticed within a lease renewal, not after Hikari's 30 s default.
        config.setConnectionTimeout(Math.max(250, Math.min(5_000, settings.duration("reelbox.cluster.lease").toMillis() / 6)));
        config.setValidationTimeout(1_000);
        // The driver's own timeouts: a database that stops answering (not just refusing) fails a call, not a thread.
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("ApplicationName", "reelbox");
        Duration lease = settings.duration("reelbox.cluster.lease");
        // A node frozen while it holds a row lock must not keep it past its lease: the database ends that transaction.
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + Math.max(1_000, lease.toMillis()));
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot reach the cluster database at " + where(url) + ": " + rootMessage(e)
                    + ". Check reelbox.cluster.jdbc-url, reelbox.cluster.user and REELBOX_CLUSTER_PASSWORD, or leave "
                    + "reelbox.cluster.jdbc-url empty to run alone.", null);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/reelbox").table("reelbox_schema_history")
                    .baselineOnMigrate(false).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("Cannot create or migrate the cluster schema at " + where(url) + ": " + rootMessage(e), null);
        }
        String node = nodeName(settings);
        LOG.info("Cluster: node {} joined through the database {} (lease {})", node, where(url), lease.toMillis() / 1000 + " s");
        return new ClusterDatabase(pool, node, lease);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** This node's name in claims, leases, reports and logs. */
    public String node() {
        return node;
    }

    public Duration lease() {
        return lease;
    }

    /** {@code reelbox.cluster.node}, or the host's name and the work dir: the same after a restart, unique beside others. */
    static String nodeName(Settings settings) {
        String configured = settings.get("reelbox.cluster.node", "");
        if (!configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + settings.path("reelbox.work-dir");
    }

    /** The database's host, port and name from a JDBC URL, without user, password or parameters. */
    static String where(String url) {
        String rest = url.replaceFirst("^jdbc:postgresql:(//)?", "");
        rest = rest.replaceFirst("^[^@/]*@", "");   // user:password@ inside the authority
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
