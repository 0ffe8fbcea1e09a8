package io.reelbox.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.TestSettings;

/**
 * Against a stubbed API whose render never ends: a running job shows its stage and progress, and Cancel stops it,
 * cancels its render and leaves it in .failed/ as "cancelled". The server asks for the password set, except for
 * health, and never shows the token.
 */
class CancelAndAccessTest extends DaemonTestBase {

    private static final String PASSWORD = "s3cret-for-the-test";

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.http.password", PASSWORD, "reelbox.api.token", NemoStub.TOKEN);
    }

    @Test
    void aRunningJobIsCancelledAtItsNextStepAndItsRenderWithIt() throws Exception {
        api.happyPath();
        api.stub(get(urlPathMatching("/api/render/proxy/lambda/render_.*")).atPriority(1)
                .willReturn(NemoStub.json("{\"taskId\":\"t\",\"status\":\"processing\",\"progress\":40}")));
        OpsClient ops = OpsClient.of(daemon).withPassword("reelbox", PASSWORD);
        drop("stuck", "prompt: make a video\n");

        JsonNode running = await().atMost(WAIT).until(() -> OperationsTest.find(ops.json("/api/jobs").get("running"), "stuck"),
                j -> j != null && j.path("progress").asInt() == 40);
        assertEquals("render", running.get("stage").asText());
        assertTrue(running.has("eta_s"), running.toString());
        String id = running.get("id").asText();
        assertEquals(409, ops.post("/api/jobs/" + id + "/retry").statusCode(), "a running job is not retried");

        var said = new java.io.ByteArrayOutputStream();
        StatusCommand command = new StatusCommand(TestSettings.with(Map.of("reelbox.http.password", PASSWORD)),
                new java.io.PrintStream(said, true));
        String port = ops.base.replaceFirst(".*:", "");
        assertEquals(0, command.run("status", "--port", port));
        assertTrue(said.toString().matches("(?s).*RUNNING \\(1\\)\\n  stuck +render +\\[########------------\\]  40% +ETA .*"), said.toString());
        assertEquals(0, command.run("cancel", id, "--port", port), "the cancel command, through the API");
        JsonNode failed = await().atMost(WAIT).until(() -> OperationsTest.find(ops.json("/api/jobs").get("failed"), "stuck"),
                j -> j != null);
        assertEquals("cancelled", failed.get("code").asText());
        assertEquals("render", failed.get("stage").asText());
        api.server.verify(postRequestedFor(urlPathMatching("/api/render/proxy/lambda/render_.*/cancel")));
        Path folder = daemon.inbox.resolve(".failed/" + failed.get("folder").asText());
        assertTrue(Files.exists(folder.resolve("stuck.mp4")), "inputs kept");
        assertEquals("cancelled", JSON.readTree(folder.resolve("error.json").toFile()).get("code").asText());

        String everything = ops.get("/api/jobs").body() + ops.get("/api/jobs/" + id).body() + ops.get("/observe/metrics").body();
        assertFalse(everything.contains(NemoStub.TOKEN), "the token never shows");
        assertFalse(everything.contains(PASSWORD));
    }

    @Test
    void aRedeliveredStepIsCountedByItsErrorCode() throws Exception {
        api.happyPath();
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/tasks/me/with-session/nemo_agent"))
                .atPriority(1).inScenario("flaky").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("recovered").willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
        OpsClient ops = OpsClient.of(daemon).withPassword("reelbox", PASSWORD);
        drop("flaky", "prompt: make a video\n");
        awaitReport("flaky");
        String metrics = ops.get("/observe/metrics").body();
        String line = metrics.lines().filter(l -> l.startsWith("reelbox_api_retries_total{")).findFirst().orElse("none");
        assertEquals("reelbox_api_retries_total{code=\"HTTP 503\"} 1.0", line, "the one 503, by the code error.json would use");
        assertTrue(metrics.contains("reelbox_jobs_completed_total{camelContext=\"reelbox\"} 1.0"));
    }

    @Test
    void thePasswordGuardsEverythingButHealth() throws Exception {
        OpsClient anonymous = OpsClient.of(daemon);
        for (String path : new String[] {"/", "/api/jobs", "/observe/metrics", "/dashboard.js", "/api/jobs/x/video"}) {
            assertEquals(401, anonymous.get(path).statusCode(), path);
            assertTrue(anonymous.get(path).headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        }
        assertEquals(401, anonymous.post("/api/jobs/x/retry").statusCode());
        assertEquals(401, anonymous.withPassword("reelbox", "wrong").get("/api/jobs").statusCode());
        assertEquals(200, anonymous.get("/observe/health").statusCode());
        assertEquals(200, anonymous.get("/observe/health/live").statusCode());
        assertEquals(200, anonymous.withPassword("reelbox", PASSWORD).get("/api/jobs").statusCode());
        // The browser guard stays in front of the password: browsers replay cached credentials to any page.
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("reelbox:" + PASSWORD).getBytes());
        io.reelbox.testing.RawHttp raw = new io.reelbox.testing.RawHttp(anonymous.base);
        assertEquals(421, raw.get("/api/jobs", "Authorization", auth, "Host", "evil.example").status());
        assertEquals(403, raw.send("POST", "/api/jobs/x/retry", new byte[0], "Authorization", auth, "Origin", "http://evil.example").status());
        assertEquals(421, raw.get("/observe/health", "Host", "evil.example").status(), "health too, rebinding reads it otherwise");
    }

    @Test
    void listeningBeyondLoopbackWithoutAPasswordIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpsServer.checkAccess(
                TestSettings.with(Map.of("reelbox.http.host", "0.0.0.0", "reelbox.http.password", ""))));
        assertTrue(e.getMessage().contains("reelbox.http.password"), e.getMessage());
        OpsServer.checkAccess(TestSettings.with(Map.of("reelbox.http.host", "0.0.0.0", "reelbox.http.password", "x")));
        OpsServer.checkAccess(TestSettings.with(Map.of("reelbox.http.host", "127.0.0.1", "reelbox.http.password", "")));
        OpsServer.checkAccess(TestSettings.with(Map.of("reelbox.http.host", "::1", "reelbox.http.password", "")));
        OpsServer.checkAccess(TestSettings.with(Map.of("reelbox.http.host", "0.0.0.0", "reelbox.http.enabled", "false")));
    }

    @Test
    void aPortInUseStopsTheStartWithAClearMessage() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> props = Map.of("reelbox.http.port", String.valueOf(taken.getLocalPort()));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OpsServer.checkPortFree(TestSettings.with(props)));
            assertTrue(e.getMessage().startsWith("Cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("reelbox.http.port"), e.getMessage());
        }
        OpsServer.checkPortFree(TestSettings.with(Map.of("reelbox.http.port", "0")));
    }
}
