package io.reelbox.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.ClusterNodes;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Postgres;
import io.reelbox.testing.Probe;
import io.reelbox.testing.ChaosApi;

/**
 * Several daemons (child JVMs, each with its own work dir) on one inbox and one outbox, coordinated by a real
 * PostgreSQL, against a slow API that counts prompts per session: a node killed with SIGKILL, a node frozen with
 * SIGSTOP past its lease, and the database stopped for 20 s. Every job ends exactly once; no session ever gets a
 * second prompt.
 */
class ClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "pw-must-never-be-logged-7f3a";

    @TempDir
    static Path pgData;
    static Postgres pg;
    static Path still;

    @TempDir
    Path root;
    String url;
    final List<ChildDaemon> nodes = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        pg = Postgres.start(pgData.resolve("pg"));
        still = Probe.still(pgData.resolve("still.jpg"), "testsrc2=s=640x360");
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (ChildDaemon n : nodes) {
            n.close();
        }
    }

    private ChildDaemon node(String name, ChaosApi api, String lease, String check, int concurrency) throws Exception {
        Map<String, String> props = ClusterNodes.props(root, url, api.baseUrl(), name, lease, check, concurrency);
        props.put("reelbox.cluster.password", SECRET);
        props.put("reelbox.inbox.scan-interval", "300ms");
        ChildDaemon d = ChildDaemon.start(root, props, name + ".log");
        nodes.add(d);
        return d;
    }

    private List<String> drop(int jobs) throws Exception {
        return ClusterNodes.drop(root, still, jobs, "Cluster");
    }

    /** Running jobs per node: job id → the stage its journal is at, and whether it knows its render. */
    private Map<String, Map<String, String>> held() throws Exception {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT node, job_id, journal FROM reelbox_job WHERE state = 'running' AND journal IS NOT NULL")) {
            while (r.next()) {
                JsonNode j = JSON.readTree(r.getString(3));
                boolean rendering = j.path("renders").path(0).hasNonNull("renderId");
                out.computeIfAbsent(r.getString(1), k -> new HashMap<>()).put(r.getString(2), rendering ? "rendering" : j.path("stage").asText());
            }
        }
        return out;
    }

    /** The nodes that hold these jobs or finished them last, from their rows. */
    private Set<String> holders(Set<String> jobIds) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             var s = c.prepareStatement("SELECT node FROM reelbox_job WHERE job_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("varchar", jobIds.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private int finished() throws Exception {
        return ClusterNodes.count(root.resolve("inbox/.done"), "");
    }

    /** Waits for every job to end; on a timeout, says where things stand (the nodes' logs are gone with the folder). */
    private void awaitAllDone(List<String> names) throws Exception {
        try {
            // A failed job ends too: waiting for it would only hide what went wrong (asserted with its error after).
            await().atMost(Duration.ofMinutes(4)).until(() -> finished() + list(root.resolve("inbox/.failed")).size() >= names.size()
                    && held().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.printf("CLUSTER stuck: done=%d held=%s inbox=%s processing=%s failed=%s%n", finished(), held(),
                    list(root.resolve("inbox")), list(root.resolve("inbox/.processing")), list(root.resolve("inbox/.failed")));
            for (ChildDaemon n : nodes) {
                List<String> lines = Files.readAllLines(n.log);
                System.out.printf("CLUSTER %s log tail:%n%s%n", n.log.getFileName(),
                        String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            throw e;
        }
    }

    /** Every job once: its inputs in .done/, one video and one report in the outbox, none twice, none failed. */
    private void assertEachJobEndedExactlyOnce(List<String> names, ChaosApi api) throws Exception {
        Set<String> expected = new TreeSet<>(names);
        assertEquals(expected, list(root.resolve("inbox/.done")), "each job's inputs in .done/ once");
        assertEquals(Set.of(), list(root.resolve("inbox/.failed")), () -> "no job failed: " + errors());
        assertEquals(Set.of(), list(root.resolve("inbox/.processing")).stream().filter(n -> !n.startsWith(".")).collect(Collectors.toSet()));
        Set<String> outbox = list(root.resolve("outbox"));
        Set<String> videos = new TreeSet<>();
        Set<String> reports = new TreeSet<>();
        outbox.stream().filter(n -> n.endsWith(".mp4")).forEach(videos::add);
        outbox.stream().filter(n -> n.endsWith(".json")).forEach(reports::add);
        Set<String> expectedVideos = new TreeSet<>();
        Set<String> expectedReports = new TreeSet<>();
        expected.forEach(n -> {
            expectedVideos.add(n + ".mp4");
            expectedReports.add(n + ".json");
        });
        assertEquals(expectedVideos, videos, "one video per job, none published twice");
        assertEquals(expectedReports, reports);
        assertEquals(1, api.maxPromptsPerSession(), "no session ever got a second prompt: " + api.log());
        assertEquals(names.size(), api.prompts(), "one prompt per job, over all nodes");
        for (ChildDaemon n : nodes) {
            assertFalse(Files.readString(n.log).contains(SECRET), "the database password never reaches a log");
        }
    }

    /** What each failed job's error.json says, in one line per job. */
    private String errors() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> s = Files.list(root.resolve("inbox/.failed"))) {
            for (Path job : s.toList()) {
                JsonNode e = JSON.readTree(job.resolve("error.json").toFile());
                out.append(String.format("%n%s at %s [%s] %s", job.getFileName(), e.path("stage").asText(), e.path("code").asText(),
                        e.path("message").asText()));
            }
        } catch (Exception e) {
            out.append(e);
        }
        return out.toString();
    }

    private static Set<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private List<JsonNode> reportsTakenOverFrom(String node) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("outbox"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode report = JSON.readTree(p.toFile());
                for (JsonNode h : report.path("nodes")) {
                    if (h.path("how").asText().equals("taken over from " + node)) {
                        out.add(report);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void sixtyJobsOnThreeNodesSurviveAKilledNode() throws Exception {
        url = pg.newDatabase();
        try (ChaosApi api = ChaosApi.paced(400, 2500)) {
            List<String> names = drop(60);
            long leaseMillis = 6000;
            long checkMillis = 1000;
            ChildDaemon n1 = node("node-1", api, "6s", "1s", 3);
            node("node-2", api, "6s", "1s", 3);
            node("node-3", api, "6s", "1s", 3);

            // Kill node-1 while it holds jobs in more than one stage.
            Map<String, String>[] victims = new Map[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Map<String, String> mine = held().getOrDefault("node-1", Map.of());
                victims[0] = mine;
                return mine.size() >= 3 && new HashSet<>(mine.values()).size() >= 2;
            });
            long killed = System.nanoTime();
            n1.kill();
            Set<String> ids = victims[0].keySet();
            await().atMost(Duration.ofMillis(leaseMillis + checkMillis + 10_000)).pollInterval(Duration.ofMillis(100))
                    .until(() -> held().getOrDefault("node-1", Map.of()).isEmpty());
            long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("CLUSTER kill: node-1 held %s; all taken over %d ms after the kill (lease %d ms, check %d ms)%n",
                    victims[0], takeoverMillis, leaseMillis, checkMillis);
            assertTrue(takeoverMillis <= leaseMillis + checkMillis + 1000,
                    "taken over within the lease plus one check: " + takeoverMillis + " ms");

            awaitAllDone(names);
            assertEachJobEndedExactlyOnce(names, api);
            assertEquals(1, api.maxExportsPerRender(), "a known render was polled, never exported again");
            List<JsonNode> taken = reportsTakenOverFrom("node-1");
            assertTrue(taken.size() >= ids.size() - 1, "the reports of node-1's jobs name the takeover: " + taken.size() + " of " + ids);
            for (JsonNode report : taken) {
                assertEquals("node-1", report.path("nodes").get(0).path("node").asText(), "the first holder named: " + report);
            }
            // Every node shows cluster health, and the job API names the node that ran each job.
            OpsClient ops = OpsClient.of(root.resolve("work-node-2"));
            JsonNode cluster = null;
            for (JsonNode check : ops.json("/observe/health?data=true").path("checks")) {
                if (check.path("name").asText().equals("cluster")) {
                    cluster = check;
                }
            }
            assertTrue(cluster != null && cluster.path("status").asText().equals("UP"), String.valueOf(cluster));
            assertEquals("node-2", cluster.path("data").path("node").asText(), cluster.toString());
            assertEquals(0, cluster.path("data").path("leases").asInt(), "all done: no lease held");
            JsonNode done = ops.json("/api/jobs").path("done");
            assertEquals(50, done.size(), "the 50 most recent");
            Set<String> ranOn = new TreeSet<>();
            done.forEach(j -> ranOn.add(j.path("node").asText()));
            assertTrue(Set.of("node-1", "node-2", "node-3").containsAll(ranOn) && ranOn.size() >= 2, "each job's node in the job API: " + ranOn);
        }
    }

    @Test
    void aDropClaimedByANodeThatDiedBeforeMovingItIsTakenByAnother() throws Exception {
        url = pg.newDatabase();
        try (ChaosApi api = ChaosApi.paced(100, 500)) {
            node("node-a", api, "2s", "500ms", 2).stop();   // made the schema; gone
            List<String> names = drop(1);
            // What a node killed between its claim (a poll claims all its ready drops first) and the move leaves.
            String key = new io.reelbox.inbox.DropKey(root.resolve("inbox")).of(root.resolve("inbox/job1/job.yaml").toString());
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 var insert = c.prepareStatement("INSERT INTO camel_messageprocessed VALUES ('reelbox-intake', ?, ?)")) {
                insert.setString(1, key);
                insert.setTimestamp(2, java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(3600)));
                insert.executeUpdate();
            }
            ChildDaemon b = node("node-b", api, "2s", "500ms", 2);
            awaitAllDone(names);
            assertEachJobEndedExactlyOnce(names, api);
            assertTrue(b.logContains("claimed 4 s ago by a node that never took them"), "the stale claim was withdrawn");
        }
    }

    @Test
    void aPromptJournaledAsSentByANodeThatDiedBeforeSendingItGoesOnceToANewSession() throws Exception {
        url = pg.newDatabase();
        try (ChaosApi api = ChaosApi.paced(100, 500)) {
            ChildDaemon b = node("node-b", api, "2s", "500ms", 2);
            // What a node killed between journaling its prompt as sent and sending it leaves: a session with the
            // media but no prompt, and a journal saying "sent". Its lease has run out.
            String id = "job1-20261124T000000-abcd@0dead0de";
            Path work = Files.createDirectories(root.resolve("inbox/.processing/" + id));
            Files.copy(still, work.resolve("photo.jpg"));
            Files.writeString(work.resolve("job.yaml"), "prompt: a 10 second video titled 'In doubt'\n");
            io.reelbox.inbox.JobSpec spec = new io.reelbox.inbox.SidecarParser(10_000).parse(work.resolve("job.yaml"), "job1");
            io.reelbox.job.Job job = new io.reelbox.job.Job(new io.reelbox.inbox.ClaimedJob(id, "job1", true, work, work.resolve("job.yaml"),
                    List.of(Path.of("photo.jpg"), Path.of("job.yaml")), List.of(Path.of("photo.jpg")), spec, null));
            job.sessionId = "000000000000000000000000000999";
            api.openSession(job.sessionId);
            job.taskId = "task_999";
            job.sessions = 1;
            job.mediaUploaded = true;
            job.stage = "prompt";
            job.current().prompt = spec.promptFor(0);
            job.current().promptSent = true;
            job.holders.add(new io.reelbox.job.Job.Holder("node-dead", "intake", java.time.Instant.now().toString(), "claimed"));
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 var insert = c.prepareStatement("INSERT INTO reelbox_job (job_id, node, epoch, lease_until, state, journal) "
                         + "VALUES (?, 'node-dead', 1, now() - interval '1 minute', 'running', ?)")) {
                insert.setString(1, id);
                insert.setString(2, new String(io.reelbox.job.JournalEntries.json(job), java.nio.charset.StandardCharsets.UTF_8));
                insert.executeUpdate();
            }
            awaitAllDone(List.of("job1"));
            assertEachJobEndedExactlyOnce(List.of("job1"), api);
            assertEquals(0, api.prompts(job.sessionId), "never sent to the session it was journaled for");
            JsonNode report = JSON.readTree(root.resolve("outbox/job1.json").toFile());
            assertEquals(2, report.path("sessions_used").asInt(), report.toPrettyString());
            assertEquals("taken over from node-dead", report.path("nodes").get(1).path("how").asText());
            assertTrue(b.logContains("never reached session"), "the log says why a new session was opened");
        }
    }

    @Test
    void aNodeFrozenPastItsLeasePublishesNothingWhenItWakes() throws Exception {
        url = pg.newDatabase();
        try (ChaosApi api = ChaosApi.paced(200, 5000)) {
            // node-b is up before node-a takes its jobs: a node's start outlasts a render, so starting it after the
            // renders began could find them finished. node-b holds 4 at most, so node-a finds jobs when it starts.
            node("node-b", api, "3s", "500ms", 4);
            List<String> names = drop(12);
            ChildDaemon a = node("node-a", api, "3s", "500ms", 4);
            Set<String> frozenJobs = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                frozenJobs.clear();
                held().getOrDefault("node-a", Map.of()).forEach((id, stage) -> {
                    if (stage.equals("rendering")) {
                        frozenJobs.add(id);
                    }
                });
                return frozenJobs.size() >= 3;
            });
            a.freeze();
            try {
                // Past the lease: node-b takes node-a's jobs over, under a new epoch.
                // (node-b may finish one before it takes the next: their renders went on during the freeze.)
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                        held().getOrDefault("node-a", Map.of()).isEmpty() && holders(frozenJobs).equals(Set.of("node-b")));
            } finally {
                a.thaw();   // node-a wakes with its renders done (the API kept rendering) and its epoch stale
            }
            awaitAllDone(names);
            assertEachJobEndedExactlyOnce(names, api);
            String log = Files.readString(a.log);
            for (String id : frozenJobs) {
                assertFalse(log.contains("Job " + id + ": wrote"), "the frozen node published nothing for " + id);
                assertFalse(log.contains("Job " + id + ": finished"), "the frozen node moved no input of " + id);
            }
            assertTrue(log.contains("another node took") || log.contains("without touching its files"), "node-a saw it lost the jobs");
            assertTrue(reportsTakenOverFrom("node-a").size() >= frozenJobs.size());
        }
    }

    @Test
    void aTwentySecondDatabaseOutageLosesNothingAndDoesNothingTwice() throws Exception {
        url = pg.newDatabase();
        try (ChaosApi api = ChaosApi.paced(300, 2500)) {
            List<String> names = drop(16);
            ChildDaemon a = node("node-a", api, "4s", "500ms", 3);
            ChildDaemon b = node("node-b", api, "4s", "500ms", 3);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    finished() >= 2 && held().values().stream().mapToInt(Map::size).sum() >= 3);
            pg.stop();
            try {
                int before = finished();
                // The outage: the nodes stay up, claim nothing new and finish nothing they cannot record.
                await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).until(() -> a.alive() && b.alive()
                        && finished() <= before + 6);
            } finally {
                pg.startAgain();
            }
            awaitAllDone(names);
            assertEachJobEndedExactlyOnce(names, api);
            for (ChildDaemon n : List.of(a, b)) {
                String log = Files.readString(n.log);
                assertTrue(log.contains("the database is unreachable"), "the outage is logged");
                assertTrue(log.contains("the database is reachable again"), "and its end");
            }
        }
    }
}
