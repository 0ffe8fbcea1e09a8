package io.reelbox.pool;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.github.tomakehurst.wiremock.http.Fault;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Probe;
import io.reelbox.testing.ServeLocal;

/**
 * Two {@code serve-local} render nodes (each its own JVM, rendering with ffmpeg) behind one daemon: two jobs go to
 * different nodes, and when one node is killed mid-render its job moves to the other, with a new session, and
 * finishes there as a real, playable video; the report says it moved.
 */
class RenderPoolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aJobWhoseRenderNodeDiesMidRenderFinishesOnTheOther() throws Exception {
        Path still = Probe.still(root.resolve("still.jpg"), "testsrc2=s=1280x720");
        try (ServeLocal a = ServeLocal.start(root, "node-a"); ServeLocal b = ServeLocal.start(root, "node-b");
             Daemon daemon = Daemon.start(root, Map.of("reelbox.api.base-url", a.url + ", " + b.url,
                     "reelbox.concurrency", "2", "reelbox.export.poll-interval", "200ms", "reelbox.pool.down-for", "5m"))) {
            for (String name : new String[] {"first", "second"}) {
                Path job = Files.createDirectories(root.resolve("staging/" + name));
                Files.copy(still, job.resolve("photo.jpg"));
                Files.writeString(job.resolve("job.yaml"), "prompt: a 24 second 720p video titled '" + name + "'\n");
                Files.move(job, daemon.inbox.resolve(name));
            }
            OpsClient ops = OpsClient.of(daemon);
            // Both render at once, one on each node (the least busy node takes the next job).
            JsonNode[] running = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                running[0] = ops.json("/api/jobs").path("running");
                return running[0].size() == 2 && stage(running[0], 0).equals("render") && stage(running[0], 1).equals("render")
                        && running[0].get(0).path("progress").asInt() < 80;
            });
            String nodeOf0 = running[0].get(0).path("render_node").asText();
            String nodeOf1 = running[0].get(1).path("render_node").asText();
            assertNotEquals(nodeOf0, nodeOf1, "two jobs, two nodes: " + running[0]);
            String victim = nodeOf0.equals(a.url) ? running[0].get(0).path("name").asText() : running[0].get(1).path("name").asText();
            String survivor = victim.equals("first") ? "second" : "first";

            a.kill();

            JsonNode moved = awaitReport(daemon, victim);
            JsonNode stayed = awaitReport(daemon, survivor);
            JsonNode nodes = moved.path("render_nodes");
            assertEquals(2, nodes.size(), moved.toPrettyString());
            assertEquals(a.url, nodes.get(0).path("url").asText());
            assertEquals(b.url, nodes.get(1).path("url").asText());
            assertTrue(nodes.get(1).path("moved_because").asText().contains("stopped answering"), nodes.toString());
            assertEquals(2, moved.path("sessions_used").asInt(), "a new session on the new node");
            assertEquals(1, stayed.path("render_nodes").size(), stayed.toPrettyString());
            assertEquals(b.url, stayed.path("render_nodes").get(0).path("url").asText());
            for (String name : new String[] {victim, survivor}) {
                Probe.Info info = Probe.info(daemon.outbox.resolve(name + ".mp4"));
                assertEquals(24.0, info.duration(), 0.3, name + " plays for its full length");
                assertEquals(720, info.height());
            }
            assertTrue(Files.isDirectory(daemon.inbox.resolve(".done/" + victim)), "inputs in .done");
        }
    }

    @Test
    void aJobWhoseRenderNodeDiesAfterTheRenderFinishedIsRenderedAgainOnTheOther() throws Exception {
        Path still = Probe.still(root.resolve("still.jpg"), "testsrc2=s=1280x720");
        try (NemoStub a = new NemoStub(); ServeLocal b = ServeLocal.start(root, "node-b")) {
            a.happyPath();
            // Node A renders the job to the end, then dies: the video and the download endpoint drop the connection.
            a.stub(get(urlPathEqualTo("/files/out.mp4")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            a.stub(get(urlPathMatching("/api/render/proxy/.*/download")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            try (Daemon daemon = Daemon.start(root, Map.of("reelbox.api.base-url", a.baseUrl() + ", " + b.url,
                    "reelbox.export.poll-interval", "200ms"))) {
                Path job = Files.createDirectories(root.resolve("staging/late"));
                Files.copy(still, job.resolve("photo.jpg"));
                Files.writeString(job.resolve("job.yaml"), "prompt: a 6 second 720p video titled 'late'\n");
                Files.move(job, daemon.inbox.resolve("late"));

                JsonNode report = awaitReport(daemon, "late");
                JsonNode nodes = report.path("render_nodes");
                assertEquals(2, nodes.size(), report.toPrettyString());
                assertEquals(a.baseUrl(), nodes.get(0).path("url").asText(), "the first node took it (the tie goes to the first)");
                assertEquals(b.url, nodes.get(1).path("url").asText());
                assertTrue(nodes.get(1).path("moved_because").asText().contains("stopped answering during download"), nodes.toString());
                assertEquals(2, report.path("sessions_used").asInt(), "a new session on the new node");
                assertEquals(1, a.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).size(), "the dead node's session got one prompt");
                Probe.Info info = Probe.info(daemon.outbox.resolve("late.mp4"));
                assertEquals(6.0, info.duration(), 0.3, "the video rendered on node B plays for its full length");
                assertEquals(720, info.height());
                assertTrue(Files.isDirectory(daemon.inbox.resolve(".done/late")), "inputs in .done");
            }
        }
    }

    private static String stage(JsonNode running, int i) {
        return running.get(i).path("stage").asText();
    }

    private static JsonNode awaitReport(Daemon daemon, String name) throws Exception {
        Path report = daemon.outbox.resolve(name + ".json");
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(report));
        return JSON.readTree(report.toFile());
    }
}
