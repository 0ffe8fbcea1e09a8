package io.reelbox.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.ClusterNodes;
import io.reelbox.testing.Postgres;
import io.reelbox.testing.Probe;
import io.reelbox.testing.ServeLocal;

/**
 * A refine taken over in a cluster: two nodes share an inbox, a PostgreSQL and a render node ({@code serve-local});
 * node-a is frozen (SIGSTOP) with the refine's prompt sent, node-b takes the job over when the lease runs out and
 * finishes it in the same session; node-a, thawed, finds it lost the job and writes nothing. One new version.
 */
class ClusterRefineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void anyNodeFinishesARefineItsFrozenNodeStarted() throws Exception {
        try (Postgres pg = Postgres.start(root.resolve("pg")); ServeLocal backend = ServeLocal.start(root, "render-node")) {
            String url = pg.newDatabase();
            Path inbox = Files.createDirectories(root.resolve("inbox"));
            Path outbox = root.resolve("outbox");
            Path staging = Files.createDirectories(inbox.resolve(".staging"));
            Probe.still(staging.resolve("a.jpg"), "testsrc2=s=640x360");
            Files.writeString(staging.resolve("job.yaml"), "prompt: a 6 second video, static photos\n");
            try (ChildDaemon a = node(url, backend, "node-a")) {
                Files.move(staging, inbox.resolve("promo"));
                await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(outbox.resolve("promo.json")));

                Files.writeString(inbox.resolve(".r.yaml"), "refine: promo\nprompt: make it 3 seconds\n");
                Files.move(inbox.resolve(".r.yaml"), inbox.resolve("shorter.yaml"));
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> a.logContains("Job shorter-") && Files.readString(a.log).matches("(?s).*Job shorter-\\S+: verify started.*"));
                a.freeze();
                try (ChildDaemon b = node(url, backend, "node-b")) {
                    Path report = outbox.resolve("promo-v2.json");
                    await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(report));
                    assertTrue(b.logContains("taken over from node node-a"), "node-b took the refine over");
                    a.thaw();
                    await().atMost(Duration.ofSeconds(30)).until(() -> a.logContains("another node took the job over")
                            || a.logContains("without touching its files"));
                    JsonNode r = JSON.readTree(report.toFile());
                    assertEquals(2, r.path("history").size());
                    assertEquals("promo", r.path("refines").asText());
                    assertTrue(r.path("nodes").toString().contains("taken over from node-a"), r.path("nodes").toString());
                    assertEquals(3.0, Probe.info(outbox.resolve("promo-v2.mp4")).duration(), 0.1);
                    assertFalse(Files.exists(outbox.resolve("promo-v3.mp4")), "one version, written once");
                }
            }
        }
    }

    private ChildDaemon node(String url, ServeLocal backend, String name) throws Exception {
        Map<String, String> props = ClusterNodes.props(root, url, backend.url, name, "3s", "300ms", 2);
        props.put("reelbox.inbox.scan-interval", "300ms");
        return ChildDaemon.start(root, props, name + ".log");
    }
}
