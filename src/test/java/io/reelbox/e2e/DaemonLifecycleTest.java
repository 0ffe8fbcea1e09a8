package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.NemoStub;

/** What a months-long service needs: live tunables, safe route reloads, credit pauses, clean stops, no secrets. */
class DaemonLifecycleTest extends DaemonTestBase {

    @Test
    void aTunableEditAppliesToTheNextJobWithoutRestart() throws Exception {
        drop("one", "prompt: p");
        awaitReport("one");
        api.server.verify(postRequestedFor(urlEqualTo("/run_sse")).withHeader("X-Skill-Platform", equalTo("unknown")));

        Files.writeString(daemon.routesDir.resolve("reelbox.properties"), "reelbox.api.skill-platform=cursor\n");
        await().atMost(WAIT).until(() -> "cursor".equals(daemon.context().getRegistry()
                .lookupByNameAndType("settings", io.reelbox.config.Settings.class).get("reelbox.api.skill-platform")));
        api.server.resetRequests();
        drop("two", "prompt: p");
        awaitReport("two");
        api.server.verify(postRequestedFor(urlEqualTo("/run_sse")).withHeader("X-Skill-Platform", equalTo("cursor")));
    }

    @Test
    void brokenEditsAreRejectedAndTheDaemonKeepsServing() throws Exception {
        io.reelbox.config.Settings settings = daemon.context().getRegistry().lookupByNameAndType("settings", io.reelbox.config.Settings.class);
        Files.writeString(daemon.routesDir.resolve("reelbox.properties"), "reelbox.concurrency=3\n");
        await().atMost(WAIT).until(() -> settings.integer("reelbox.concurrency") == 3);
        io.reelbox.config.SafeRouteReloadStrategy reload = daemon.context().hasService(io.reelbox.config.SafeRouteReloadStrategy.class);
        int routesBefore = reload.rejectedRouteEdits();
        int tunablesBefore = reload.rejectedTunableEdits();
        Files.writeString(daemon.routesDir.resolve("reelbox.properties"), "reelbox.concurrency=lots\n");
        Files.writeString(daemon.routesDir.resolve("job.yaml"), "- route:\n    id: reelbox-job\n    from: [this is not a route\n");
        await().atMost(WAIT).until(() -> reload.rejectedRouteEdits() > routesBefore && reload.rejectedTunableEdits() > tunablesBefore);
        assertEquals(3, settings.integer("reelbox.concurrency"));
        assertTrue(daemon.context().getRoute("reelbox-job") != null, "the job route is still there");
        drop("after", "prompt: p");
        awaitReport("after");
    }

    @Test
    void outOfCreditsPausesIntakeUntilTheBalanceReturns() throws Exception {
        api.stub(post(urlPathMatching("/api/upload-video/.*")).atPriority(1).willReturn(NemoStub.json("{\"code\":2001,\"message\":\"insufficient credits\"}")));
        api.stub(get(urlEqualTo("/api/credits/balance/simple")).atPriority(1).willReturn(NemoStub.ok("{\"available\":0,\"frozen\":0,\"total\":100}")));
        drop("first", "prompt: p");
        JsonNode error = awaitFailure("first");
        assertEquals("2001", error.path("code").asText());
        assertTrue(error.path("hint").asText().contains("?bind=anon_42"), error.path("hint").asText());

        drop("waiting", "prompt: p");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> Files.exists(daemon.inbox.resolve("waiting.yaml"))
                && Files.exists(daemon.inbox.resolve("waiting.mp4")));
        // The operator sees the pause as a state, not as the daemon being down.
        io.reelbox.testing.OpsClient ops = io.reelbox.testing.OpsClient.of(daemon);
        JsonNode view = JSON.readTree(ops.get("/api/jobs").body());
        assertEquals("paused-for-credits", view.path("intake").path("state").asText());
        assertEquals("waiting", view.path("waiting").get(0).path("name").asText());
        var health = ops.get("/observe/health?data=true");
        assertTrue(health.body().contains("\"state\":\"paused-for-credits\""), health.body());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(200, ops.get("/observe/health/ready").statusCode(), "ready: the dashboard and API still serve");

        api.happyPath();
        awaitReport("waiting");
    }

    @Test
    void aStopMidPromptIsACleanStopThenACleanResumeWithoutResendingThePrompt() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited").atPriority(1)
                .willReturn(NemoStub.sse(NemoStub.adkText("slow")).withFixedDelay(20_000)));
        drop("halfway", "prompt: p");
        await().atMost(WAIT).until(() -> !api.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).isEmpty());
        long t0 = System.nanoTime();
        daemon.close();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 15, "the open stream was abandoned promptly");
        Path journalDir = daemon.workDir.resolve("journal");
        try (var entries = Files.list(journalDir)) {
            JsonNode entry = JSON.readTree(entries.findFirst().orElseThrow().toFile());
            assertTrue(entry.path("renders").get(0).path("promptSent").asBoolean(), entry.toString());
            assertEquals(NemoStub.SESSION, entry.path("sessionId").asText());
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(journalDir)));
        assertFalse(Files.exists(daemon.inbox.resolve(".failed/halfway")));

        daemon = io.reelbox.testing.Daemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl()));
        JsonNode report = awaitReport("halfway");
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/tasks/me/with-session/nemo_agent")));
        api.server.verify(1, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        assertTrue(report.path("renders").get(0).path("stream_dropped").asBoolean());
        assertTrue(Files.exists(daemon.inbox.resolve(".done/halfway/halfway.mp4")));
        try (var entries = Files.list(journalDir); var processing = Files.list(daemon.inbox.resolve(".processing"))) {
            assertEquals(0, entries.count(), "the journal forgets a finished job");
            assertEquals(0, processing.count());
        }
    }

    @Test
    void twoDaemonsOnOneInboxNeverStartAJobTwice() throws Exception {
        try (io.reelbox.testing.Daemon second = io.reelbox.testing.Daemon.start(root.resolve("second"), Map.of(
                "reelbox.api.base-url", api.baseUrl(), "reelbox.inbox", daemon.inbox.toString(), "reelbox.outbox", daemon.outbox.toString()))) {
            for (int i = 1; i <= 12; i++) {
                drop("dup" + i, "prompt: p");
            }
            await().atMost(WAIT).until(() -> {
                try (var files = Files.list(daemon.outbox)) {
                    return files.filter(p -> p.toString().endsWith(".json")).count() == 12;
                }
            });
        }
        try (var files = Files.list(daemon.outbox)) {
            assertEquals(24, files.filter(p -> p.getFileName().toString().matches("dup\\d+\\.(mp4|json)")).count(),
                    "each job once: no dup3-2.mp4");
        }
        try (var done = Files.list(daemon.inbox.resolve(".done"))) {
            assertEquals(12, done.count());
        }
        api.server.verify(12, postRequestedFor(urlEqualTo("/run_sse")));
        try (var processing = Files.list(daemon.inbox.resolve(".processing"))) {
            assertEquals(0, processing.count(), "a lost race leaves nothing behind");
        }
    }

    @Test
    void aDaemonStartingBesideAnotherLeavesItsRunningJobsAlone() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited").atPriority(1)
                .willReturn(NemoStub.sse(NemoStub.adkText("done")).withFixedDelay(3000)));
        drop("busy", "prompt: p");
        await().atMost(WAIT).until(() -> !api.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).isEmpty());
        try (io.reelbox.testing.Daemon second = io.reelbox.testing.Daemon.start(root.resolve("second"), Map.of(
                "reelbox.api.base-url", api.baseUrl(), "reelbox.inbox", daemon.inbox.toString(), "reelbox.outbox", daemon.outbox.toString()))) {
            awaitReport("busy");
        }
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
        try (var files = Files.list(daemon.outbox)) {
            assertEquals(2, files.count(), "one video and one report");
        }
        assertTrue(Files.exists(daemon.inbox.resolve(".done/busy/busy.mp4")));
    }

    @Test
    void aConfiguredTokenThatIsRejectedIsAClearPermanentError() throws Exception {
        daemon.close();
        daemon = io.reelbox.testing.Daemon.start(root.resolve("configured"), Map.of("reelbox.api.base-url", api.baseUrl(),
                "reelbox.api.token", "nmv_usr_configured_SECRET"));
        api.stub(post(urlEqualTo("/api/tasks/me/with-session/nemo_agent")).atPriority(1)
                .willReturn(aResponse().withStatus(401).withBody("{\"code\":1001,\"message\":\"invalid token nmv_usr_configured_SECRET\"}")));
        drop("t", "prompt: p");
        JsonNode error = awaitFailure("t");
        assertEquals("1001", error.path("code").asText());
        assertTrue(error.path("hint").asText().contains("NEMO_TOKEN"));
        api.server.verify(0, postRequestedFor(urlEqualTo("/api/auth/anonymous-token")));
        assertFalse(Files.exists(daemon.workDir.resolve("token.json")), "a configured token is never written to disk");
        String everything = error.toString();
        assertFalse(everything.contains("SECRET"), "the token never reaches error.json: " + everything);
        assertTrue(api.server.findAll(anyRequestedFor(urlPathMatching(".*SECRET.*"))).isEmpty(), "nor a URL");
    }
}
