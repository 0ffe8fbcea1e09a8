package io.reelbox.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.ClusterNodes;
import io.reelbox.testing.Postgres;
import io.reelbox.testing.Probe;
import io.reelbox.testing.ChaosApi;

/**
 * BENCHMARKS.md, "Scaling out" (not in the default suite: {@code bench/cluster/run.sh}). In one run: 60 jobs on 1, 2
 * and 3 nodes (child JVMs, three job slots each) against a slow API (a prompt takes 1 s, a render 4 s), from the
 * drop to the last job in .done/, with all nodes already running; then a node killed mid-run and the time until
 * its jobs are held by the others, against the lease.
 */
@Tag("bench")
class ClusterScalingBench {

    private static final int JOBS = Integer.getInteger("bench.jobs", 60);

    @TempDir
    Path root;

    @Test
    void throughputOnOneTwoAndThreeNodesAndTakeoverLatency() throws Exception {
        Path still = Probe.still(root.resolve("still.jpg"), "testsrc2=s=640x360");
        Map<Integer, Double> seconds = new LinkedHashMap<>();
        try (Postgres pg = Postgres.start(root.resolve("pg")); ChaosApi api = ChaosApi.paced(1000, 4000)) {
            for (int n = 1; n <= 3; n++) {
                seconds.put(n, run(pg, api, still, n));
            }
            long[] takeover = takeover(pg, api, still);
            System.out.printf("BENCH cluster jobs=%d%n", JOBS);
            for (var e : seconds.entrySet()) {
                System.out.printf("BENCH cluster nodes=%d seconds=%.1f jobs/min=%.1f speedup=%.2fx%n", e.getKey(), e.getValue(),
                        JOBS * 60 / e.getValue(), seconds.get(1) / e.getValue());
            }
            System.out.printf("BENCH takeover lease_ms=%d check_ms=%d after_kill_ms=%d%n", takeover[0], takeover[1], takeover[2]);
        }
    }

    private double run(Postgres pg, ChaosApi api, Path still, int nodes) throws Exception {
        Path dir = Files.createDirectories(root.resolve("run-" + nodes));
        String url = pg.newDatabase();
        List<ChildDaemon> daemons = new ArrayList<>();
        try {
            for (int i = 1; i <= nodes; i++) {
                daemons.add(node(dir, url, api, "n" + i, "60s"));
            }
            long t0 = System.nanoTime();
            drop(dir, still, JOBS);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> done(dir) >= JOBS);
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(JOBS, ClusterNodes.count(dir.resolve("outbox"), ".mp4"));
            return s;
        } finally {
            for (ChildDaemon d : daemons) {
                d.close();
            }
        }
    }

    private long[] takeover(Postgres pg, ChaosApi api, Path still) throws Exception {
        Path dir = Files.createDirectories(root.resolve("takeover"));
        String url = pg.newDatabase();
        List<ChildDaemon> daemons = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                daemons.add(node(dir, url, api, "n" + i, "6s"));
            }
            drop(dir, still, 30);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> held(url, "n1") >= 3);
            long t0 = System.nanoTime();
            daemons.get(0).kill();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> held(url, "n1") == 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            await().atMost(Duration.ofMinutes(5)).until(() -> done(dir) >= 30);
            return new long[] {6000, 1000, ms};
        } finally {
            for (ChildDaemon d : daemons) {
                d.close();
            }
        }
    }

    private static ChildDaemon node(Path dir, String url, ChaosApi api, String name, String lease) throws Exception {
        Map<String, String> props = ClusterNodes.props(dir, url, api.baseUrl(), name, lease, "1s", 3);
        props.put("reelbox.inbox.scan-interval", "500ms");
        return ChildDaemon.start(dir, props, name + ".log");
    }

    private static void drop(Path dir, Path still, int jobs) throws Exception {
        ClusterNodes.drop(dir, still, jobs, "Bench");
    }

    private static int held(String url, String node) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM reelbox_job WHERE state = 'running' AND node = '" + node + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static int done(Path dir) throws Exception {
        return ClusterNodes.count(dir.resolve("inbox/.done"), "");
    }
}
