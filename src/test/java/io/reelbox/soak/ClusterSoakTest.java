package io.reelbox.soak;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.ChaosApi;
import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.ClusterNodes;
import io.reelbox.testing.Media;
import io.reelbox.testing.Postgres;

/**
 * The cluster soak of RELIABILITY.md (not in the default suite: {@code mvn -B verify -Dtest=ClusterSoakTest
 * -Dreelbox.excludedGroups= -Dsoak.jobs=1000}): JOBS folder jobs on three nodes sharing a real PostgreSQL, against a
 * slow, strict, stateful API ({@link ChaosApi}) that injects every curable fault at random. Meanwhile nodes are killed
 * with SIGKILL and restarted, frozen with SIGSTOP past their lease and thawed, and the database is stopped and started
 * again. At the end every job ended exactly once, no session got two prompts, no video was published twice, no
 * input was lost or moved twice, and no temp file is left. It prints the figures RELIABILITY.md records.
 */
@Tag("soak")
class ClusterSoakTest {

    private static final int JOBS = Integer.getInteger("soak.jobs", 1000);
    private static final double FAULT_RATE = Double.parseDouble(System.getProperty("soak.fault-rate", "0.05"));
    private static final String LEASE = "6s";
    private static final long LEASE_MILLIS = 6_000;

    @TempDir
    Path root;
    final List<String> events = new ArrayList<>();

    @Test
    void aThousandJobsOnThreeNodesThroughKillsFreezesAndDatabaseOutages() throws Exception {
        Random random = new Random(Long.getLong("soak.seed", 18));
        try (Postgres pg = Postgres.start(root.resolve("pg")); ChaosApi api = new ChaosApi(800)) {
            api.chaos(FAULT_RATE, random.nextLong());
            api.pace(300, 40);
            String url = pg.newDatabase();
            Path photo = Media.jpg(root.resolve("photo.jpg"));
            List<String> names = ClusterNodes.drop(root, photo, JOBS, "Soak");
            String[] nodeNames = {"node-1", "node-2", "node-3"};
            ChildDaemon[] nodes = new ChildDaemon[3];
            for (int i = 0; i < 3; i++) {
                nodes[i] = start(url, api, nodeNames[i], 0);
            }
            long t0 = System.nanoTime();
            int kills = 0;
            int freezes = 0;
            int outages = 0;
            long slowestTakeover = 0;
            int restarts = 0;
            try {
                int round = 0;
                while (ended(names) < JOBS && System.nanoTime() - t0 < Duration.ofMinutes(45).toNanos()) {
                    // Between two blows the nodes run on their own, every one of them alive.
                    Duration quiet = Duration.ofSeconds(8 + random.nextInt(10));
                    await().during(quiet).atMost(quiet.plusSeconds(5)).until(() -> Stream.of(nodes).allMatch(ChildDaemon::alive));
                    if (ended(names) >= JOBS) {
                        break;
                    }
                    int victim = random.nextInt(3);
                    int action = round++ % 7;
                    if ((action == 3 && outages == 0) || (action == 6 && outages == 1)) {
                        pg.stop();
                        events.add("database stopped for 15 s at " + ended(names) + " jobs ended");
                        try {
                            // The outage: the nodes stay up through it.
                            await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                                    .until(() -> Stream.of(nodes).allMatch(ChildDaemon::alive));
                        } finally {
                            pg.startAgain();
                        }
                        outages++;
                    } else if (action % 2 == 0) {
                        long at = System.nanoTime();
                        nodes[victim].kill();
                        kills++;
                        slowestTakeover = Math.max(slowestTakeover, awaitReleased(url, nodeNames[victim], at));
                        nodes[victim] = start(url, api, nodeNames[victim], ++restarts);
                        events.add("SIGKILL " + nodeNames[victim]);
                    } else {
                        long at = System.nanoTime();
                        nodes[victim].freeze();
                        freezes++;
                        try {
                            slowestTakeover = Math.max(slowestTakeover, awaitReleased(url, nodeNames[victim], at));
                        } finally {
                            nodes[victim].thaw();
                        }
                        events.add("SIGSTOP/SIGCONT " + nodeNames[victim]);
                    }
                }
                await().atMost(Duration.ofMinutes(10)).until(() -> ended(names) >= JOBS && running(url) == 0);
            } finally {
                for (ChildDaemon n : nodes) {
                    n.close();
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            Set<String> done = list(root.resolve("inbox/.done"));
            Set<String> failed = list(root.resolve("inbox/.failed"));
            System.out.printf("CLUSTER SOAK: %d jobs, %d videos, %d failed, %d s, faults injected %s (%d in all), %d SIGKILLs, "
                            + "%d SIGSTOPs, %d database outages, slowest takeover %d ms, sessions %d, prompts %d, tokens %d%n%s%n",
                    JOBS, done.size(), failed.size(), seconds, api.injected(), api.injectedTotal(), kills, freezes, outages,
                    slowestTakeover, api.sessionsOpened(), api.prompts(), api.tokensIssued(), failures(failed));
            assertEachJobEndedExactlyOnce(names, done, failed, api);
            assertTrue(kills >= 2 && freezes >= 1 && outages >= 2, "the chaos happened: " + events);
        }
    }

    private ChildDaemon start(String url, ChaosApi api, String name, int restart) throws Exception {
        Map<String, String> props = ClusterNodes.props(root, url, api.baseUrl(), name, LEASE, "1s", 3);
        props.put("reelbox.inbox.scan-interval", "500ms");
        props.put("reelbox.export.poll-interval", "300ms");
        props.put("reelbox.api.read-timeout", "5s");
        return ChildDaemon.start(root, props, name + "-" + restart + ".log");
    }

    /** Waits until no job is held by {@code node} any more (taken over, or released); returns how long it took. */
    private long awaitReleased(String url, String node, long since) throws Exception {
        await().atMost(Duration.ofMillis(LEASE_MILLIS * 4 + 20_000)).pollInterval(Duration.ofMillis(200)).until(() -> held(url, node) == 0);
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static int held(String url, String node) throws Exception {
        return count(url, "SELECT count(*) FROM reelbox_job WHERE state = 'running' AND node = ?", node);
    }

    private static int running(String url) throws Exception {
        return count(url, "SELECT count(*) FROM reelbox_job WHERE state = 'running'", null);
    }

    private static int count(String url, String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); PreparedStatement s = c.prepareStatement(sql)) {
            if (arg != null) {
                s.setString(1, arg);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            return Integer.MAX_VALUE;   // the database is down: nothing is known to be released yet
        }
    }

    private int ended(List<String> names) throws Exception {
        return list(root.resolve("inbox/.done")).size() + list(root.resolve("inbox/.failed")).size();
    }

    private void assertEachJobEndedExactlyOnce(List<String> names, Set<String> done, Set<String> failed, ChaosApi api) throws Exception {
        Set<String> expected = new TreeSet<>(names);
        Set<String> ended = new TreeSet<>(done);
        ended.addAll(failed);
        assertEquals(expected, ended, "every job's inputs in .done/ or .failed/, under its own name (none moved twice)");
        assertEquals(done.size() + failed.size(), JOBS, "no job both done and failed");
        Set<String> outbox = list(root.resolve("outbox"));
        Set<String> videos = outbox.stream().filter(n -> n.endsWith(".mp4")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(done.stream().map(n -> n + ".mp4").collect(Collectors.toCollection(TreeSet::new)), videos,
                "one video per finished job, none published twice");
        for (String job : failed) {
            assertTrue(Files.exists(root.resolve("inbox/.failed/" + job + "/error.json")), job + " says why it failed");
            assertTrue(Files.exists(root.resolve("inbox/.failed/" + job + "/photo.jpg")), job + "'s input kept");
        }
        for (String job : done) {
            assertTrue(Files.exists(root.resolve("inbox/.done/" + job + "/photo.jpg")), job + "'s input kept");
        }
        assertEquals(1, api.maxPromptsPerSession(), "no session ever got a second prompt");
        assertEquals(Set.of(), list(root.resolve("inbox/.processing")), "nothing left in .processing/");
        try (Stream<Path> s = Files.list(root.resolve("outbox"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList(), "no temp file left");
        }
    }

    private String failures(Set<String> failed) throws Exception {
        Map<String, Long> byCode = new java.util.TreeMap<>();
        for (String job : failed) {
            String e = Files.readString(root.resolve("inbox/.failed/" + job + "/error.json"));
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e);
            byCode.merge(n.path("stage").asText() + " " + n.path("code").asText() + ": " + n.path("message").asText(), 1L, Long::sum);
        }
        return "failures: " + byCode + "\nevents: " + events;
    }

    private static Set<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
