package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Routes;

/**
 * Users extend Reelbox with a route file of their own and one setting, while it runs: listeners hear about every
 * published video and every failed job, and a listener that fails never holds up, repeats or fails a job.
 */
class ListenersTest extends DaemonTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.events.backoff", "50ms");
    }

    /** A user's route file, {@code direct:<id>}, that writes each event it hears into {@code folder} as {@code fileName}. */
    private void addFileListener(String id, String fileName, Path folder) throws Exception {
        Routes.add(daemon, id + ".yaml", """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setHeader: { name: CamelFileName, simple: "%s" }
                        - to: "file:%s"
                """.formatted(id, id, fileName, folder), id);
    }

    @Test
    void aRouteOfTheUsersOwnHearsEveryPublishedVideoWithoutARestart() throws Exception {
        Path heard = root.resolve("heard");
        Routes.configure(daemon, Map.of("reelbox.on-published", "direct:notify"));
        addFileListener("notify", "${header.ReelboxJob}|${header.ReelboxOutput}|${header.ReelboxVideoName}.json", heard);
        drop("beach", "prompt: p\noutput: summer\n");
        JsonNode report = awaitReport("summer");
        Path event = heard.resolve("beach|summer|summer.mp4.json");
        await().atMost(WAIT).until(() -> Files.exists(event));
        assertEquals(report, JSON.readTree(event.toFile()), "the body is the report");
    }

    @Test
    void aFailedJobIsHeardWithItsErrorJson() throws Exception {
        Path heard = root.resolve("heard");
        Routes.configure(daemon, Map.of("reelbox.on-failed", "direct:alarm"));
        addFileListener("alarm", "${header.ReelboxEvent}-${header.ReelboxJob}.json", heard);
        Files.writeString(daemon.inbox.resolve("broken.yaml"), "media: [nothing.mp4]\n");
        JsonNode error = awaitFailure("broken");
        Path event = heard.resolve("failed-broken.json");
        await().atMost(WAIT).until(() -> Files.exists(event));
        assertEquals(error, JSON.readTree(event.toFile()));
    }

    @Test
    void aListenerThatFailsIsRetriedAndNeverHoldsUpTheJob() throws Exception {
        WireMockServer hook = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        hook.start();
        try {
            // Down for three calls, then up; and slow each time, so a job that waited for it would be late.
            hook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("2")
                    .willReturn(aResponse().withStatus(503).withFixedDelay(300)));
            hook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("2").willSetStateTo("3")
                    .willReturn(aResponse().withStatus(500).withFixedDelay(300)));
            hook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("3").willSetStateTo("up")
                    .willReturn(aResponse().withStatus(502).withFixedDelay(300)));
            hook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("up").willReturn(aResponse().withStatus(204)));
            Routes.configure(daemon, Map.of("reelbox.on-published", "http://127.0.0.1:" + hook.port() + "/hook"));
            drop("one", "prompt: p");
            awaitReport("one");
            assertTrue(hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() < 4, "the job did not wait for its listener");
            await().atMost(WAIT).until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() == 4);
            drop("two", "prompt: p");
            awaitReport("two");
            await().atMost(WAIT).until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() == 5);
            hook.verify(5, postRequestedFor(urlEqualTo("/hook")).withHeader("ReelboxEvent", equalTo("published")));
            assertFalse(Files.exists(daemon.outbox.resolve("one-2.mp4")), "a listener's retry never repeats the job");
            assertEquals(2, api.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).size(), "one prompt per job");
        } finally {
            hook.stop();
        }
    }

    @Test
    void aListenerSettingThatIsNotAUriIsRejectedAndTheOldOneKept() throws Exception {
        Routes.configure(daemon, Map.of("reelbox.on-published", "direct:one"));
        Files.writeString(daemon.routesDir.resolve("reelbox.properties"), "reelbox.on-published=not a uri\n");
        io.reelbox.config.SafeRouteReloadStrategy reload = daemon.context().hasService(io.reelbox.config.SafeRouteReloadStrategy.class);
        await().atMost(WAIT).until(() -> reload.rejectedTunableEdits() > 0);
        assertEquals("direct:one", daemon.context().getRegistry().lookupByNameAndType("settings", io.reelbox.config.Settings.class)
                .get("reelbox.on-published"));
    }
}
