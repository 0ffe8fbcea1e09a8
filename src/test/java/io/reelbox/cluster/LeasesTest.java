package io.reelbox.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.inbox.ClaimedJob;
import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;
import io.reelbox.testing.Postgres;
import io.reelbox.testing.TestSettings;

/**
 * The cluster's database pieces against a real PostgreSQL: the schema made by nodes starting together, exactly-once
 * claims, the journal fenced by the lease's epoch, takeover, and a save that waits out a database outage.
 */
class LeasesTest {

    @TempDir
    static Path pgData;
    static Postgres pg;

    @TempDir
    Path root;
    String url;
    final List<Cluster> nodes = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        pg = Postgres.start(pgData.resolve("pg"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        url = pg.newDatabase();
    }

    @AfterEach
    void leave() {
        nodes.forEach(Cluster::leave);
    }

    private Settings settings(String node, String lease) {
        return TestSettings.with(Map.of("reelbox.cluster.jdbc-url", url, "reelbox.cluster.node", node,
                "reelbox.cluster.lease", lease, "reelbox.cluster.password", "pw-never-logged", "reelbox.cluster.user", "postgres",
                "reelbox.work-dir", root.resolve(node).toString()));
    }

    private Cluster join(String node, String lease) {
        Cluster c = Cluster.join(settings(node, lease), new JobRegistry());
        nodes.add(c);
        return c;
    }

    private Job job(String id) throws Exception {
        Path work = Files.createDirectories(root.resolve("inbox/.processing/" + id));
        return new Job(new ClaimedJob(id, "promo", true, work, null, List.of(), List.of(), null, null));
    }

    private static Leases leases(Cluster c) {
        return c.leases();
    }

    @Test
    void nodesStartingTogetherMakeTheSchemaOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Cluster>> starts = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                starts.add(pool.submit(() -> join(n, "60s")));
            }
            for (Future<Cluster> f : starts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
             var r = c.createStatement().executeQuery("SELECT count(*) FROM reelbox_schema_history WHERE success")) {
            r.next();
            assertEquals(1, r.getInt(1), "one migration applied once");
        }
    }

    @Test
    void aDropIsClaimedByExactlyOneOfManyRacers() throws Exception {
        Cluster a = join("a", "60s");
        Cluster b = join("b", "60s");
        ClaimRepository ra = new ClaimRepository(a.dataSourceForTests());
        ClaimRepository rb = new ClaimRepository(b.dataSourceForTests());
        ra.start();
        rb.start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int drop = 0; drop < 20; drop++) {
                String key = "/inbox/job" + drop + "/job.yaml|123|456|" + "x".repeat(200);
                List<Callable<Boolean>> racers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ClaimRepository r = i % 2 == 0 ? ra : rb;
                    racers.add(() -> r.add(key));
                }
                int winners = 0;
                for (Future<Boolean> f : pool.invokeAll(racers)) {
                    winners += f.get() ? 1 : 0;
                }
                assertEquals(1, winners, "drop " + drop + ": one claim wins, the others just skip");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aClaimWhoseNodeNeverTookTheDropIsWithdrawnOnceStale() throws Exception {
        Cluster a = join("a", "60s");
        ClaimRepository claims = new ClaimRepository(a.dataSourceForTests());
        claims.start();
        assertTrue(claims.add("/inbox/stranded.yaml|1"));
        assertTrue(claims.add("/inbox/taken.yaml|1"));
        assertEquals(0, claims.releaseStale(List.of("/inbox/stranded.yaml|1"), java.time.Instant.now().minusSeconds(60)),
                "a claim younger than the limit stays: its node may be moving the files right now");
        assertEquals(1, claims.releaseStale(List.of("/inbox/stranded.yaml|1", "/inbox/other.yaml|1"), java.time.Instant.now().plusSeconds(1)));
        assertTrue(claims.add("/inbox/stranded.yaml|1"), "free again: another node can take the drop");
        assertFalse(claims.add("/inbox/taken.yaml|1"), "a claim not named (its drop left the inbox) stays");
    }

    @Test
    void aClaimGivenBackWhileItsNodeWaitedForTheDatabaseCanNeverBeRecordedByThatNode() throws Exception {
        Cluster a = join("a", "60s");
        Cluster b = join("b", "60s");
        Job recorded = job("reel-1@b");
        b.journal().save(recorded);
        assertTrue(a.recordedElseGivenBack("reel-1@b"), "a recorded job is never given back");

        // b moved promo-2 into .processing/ and waits for the database; a sees an orphan and gives it back first.
        assertFalse(a.recordedElseGivenBack("promo-2@b"), "unrecorded: a marks it given back and may move it");
        assertTrue(b.recordedElseGivenBack("promo-2@b"), "only one node gives a folder back");
        JobFailure late = assertThrows(JobFailure.class, () -> b.journal().save(job("promo-2@b")));
        assertEquals(Failure.TAKEN_OVER, late.failure(), "b's late first save stops its job quietly, touching no file");
        assertEquals(List.of("reel-1@b"), b.journal().load(1000).stream().map(Job::id).toList(), "b holds only its recorded job");
        assertEquals(List.of(), leases(b).takeOverExpired(5), "a given-back job is never taken over");

        assertTrue(leases(b).hold("clip-3@b", "{}"), "the first insert");
        assertTrue(leases(b).hold("clip-3@b", "{}"), "the same insert retried after its answer was lost is still this node's");
        assertFalse(leases(a).hold("clip-3@b", "{}"), "another node's insert of the same id is refused");
    }

    @Test
    void aTakenOverJobFencesItsOldNode() throws Exception {
        Cluster a = join("a", "400ms");
        Cluster b = join("b", "400ms");
        Job onA = job("promo-1@a");
        onA.stage = "prompt";
        onA.sessionId = "s-1";
        a.journal().save(onA);
        assertEquals(1, onA.epoch);
        assertEquals("a", onA.holders.get(0).node());
        assertEquals(List.of(), leases(b).takeOverExpired(5), "a live lease is not taken");

        await().atMost(Duration.ofSeconds(5)).until(() -> !leases(b).takeOverExpired(5).isEmpty());
        // B holds it now under epoch 2; A's writes are refused, and A's file changes do not run.
        JobFailure lost = assertThrows(JobFailure.class, () -> a.journal().save(onA));
        assertEquals(Failure.TAKEN_OVER, lost.failure());
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(JobFailure.class, () -> a.journal().whileHeld(onA, () -> ran.set(true)));
        assertThrows(JobFailure.class, () -> a.journal().finish(onA, () -> ran.set(true)));
        assertFalse(ran.get(), "a fenced node changes no file");

        Job taken = b.journal().load(1000).get(0);
        assertEquals(2, taken.epoch);
        assertEquals("s-1", taken.sessionId, "the journal moved with the job");
        assertEquals("prompt", taken.stage);
        b.journal().whileHeld(taken, () -> ran.set(true));
        assertTrue(ran.get());
        b.journal().finish(taken, () -> { });
        assertEquals(List.of(), b.journal().load(1000), "finished: nobody holds it");
        assertEquals(List.of(), leases(a).takeOverExpired(5), "a finished job is never taken over");
    }

    @Test
    void aRenewedLeaseIsNotTakenAndARestartedNodeTakesItsJobsBackUnderANewEpoch() throws Exception {
        Cluster a = join("a", "600ms");
        Cluster b = join("b", "600ms");
        Job j = job("reel-2@a");
        a.journal().save(j);
        for (int i = 0; i < 6; i++) {
            Thread.sleep(200);   // (the lease's own pace, not a wait for a result)
            assertEquals(Map.of("reel-2@a", 1L), leases(a).renew());
            assertEquals(List.of(), leases(b).takeOverExpired(5));
        }
        a.leave();
        nodes.remove(a);
        Cluster a2 = join("a", "600ms");
        List<Job> back = a2.journal().resume(1000);
        assertEquals(1, back.size());
        assertEquals(2, back.get(0).epoch);
        assertEquals("resumed", back.get(0).holders.get(back.get(0).holders.size() - 1).how());
        JobFailure stale = assertThrows(JobFailure.class, () -> a2.journal().save(j));
        assertEquals(Failure.TAKEN_OVER, stale.failure(), "the previous life's epoch is fenced");
    }

    @Test
    void aSaveWaitsOutADatabaseOutageAndThenRecords() throws Exception {
        Cluster a = join("a", "60s");
        Job j = job("clip-3@a");
        a.journal().save(j);
        pg.stop();
        try {
            j.sessionId = "after-outage";
            ExecutorService one = Executors.newSingleThreadExecutor();
            Future<?> save = one.submit(() -> a.journal().save(j));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !save.isDone());
            assertFalse(a.canClaim(), "no claims while the database is away");
            pg.startAgain();
            save.get(30, java.util.concurrent.TimeUnit.SECONDS);
            one.shutdown();
            assertTrue(a.canClaim());
            assertEquals("after-outage", a.journal().load(1000).get(0).sessionId);
        } finally {
            if (!a.canClaim()) {
                pg.startAgain();
            }
        }
    }

    @Test
    void aPasswordInTheJdbcUrlNeverReachesTheLogUnderTheDaemonsLogConfiguration() throws Exception {
        ch.qos.logback.classic.LoggerContext logs = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        try {
            logs.reset();
            ch.qos.logback.classic.joran.JoranConfigurator daemonConfig = new ch.qos.logback.classic.joran.JoranConfigurator();
            daemonConfig.setContext(logs);
            daemonConfig.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            seen.setContext(logs);
            seen.start();
            logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(seen);
            Cluster c = Cluster.join(TestSettings.with(Map.of("reelbox.cluster.jdbc-url", url + "?password=secret-in-url-91",
                    "reelbox.cluster.user", "postgres", "reelbox.cluster.node", "logged", "reelbox.cluster.lease", "60s",
                    "reelbox.work-dir", root.toString())), new JobRegistry());
            nodes.add(c);
        } finally {
            logs.reset();
            new ch.qos.logback.classic.util.ContextInitializer(logs).autoConfig();
        }
        assertTrue(seen.list.stream().anyMatch(e -> e.getFormattedMessage().contains("node logged joined")), "the join is logged");
        assertTrue(seen.list.stream().noneMatch(e -> e.getFormattedMessage().contains("secret-in-url-91")),
                "no line carries the password: " + seen.list);
    }

    @Test
    void theLogAndErrorsNameTheDatabaseButNeverTheSecret() {
        assertEquals("db.lan:5432/reelbox", ClusterDatabase.where("jdbc:postgresql://db.lan:5432/reelbox?password=hunter2&ssl=true"));
        assertEquals("db.lan/reelbox", ClusterDatabase.where("jdbc:postgresql://bob:hunter2@db.lan/reelbox"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cluster.join(TestSettings.with(Map.of(
                "reelbox.cluster.jdbc-url", "jdbc:postgresql://127.0.0.1:1/reelbox?password=hunter2",
                "reelbox.cluster.lease", "2s", "reelbox.work-dir", root.toString())), new JobRegistry()));
        assertTrue(e.getMessage().contains("Cannot reach the cluster database at 127.0.0.1:1/reelbox"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertNull(e.getCause(), "no cause that could carry the URL");
    }
}
