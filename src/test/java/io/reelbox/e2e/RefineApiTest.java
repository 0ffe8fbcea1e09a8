package io.reelbox.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.ops.StatusCommand;
import io.reelbox.testing.Daemon;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Probe;
import io.reelbox.testing.TestSettings;

/**
 * Refining through the job API and the command line: POST /api/jobs/{id}/refine answers 202 with the new job, which
 * makes the next version; two refines of one version at once both run, as -v2 and -v3, neither overwriting the other;
 * an unknown name is a 404 that names the finished videos; `reelbox refine JOB "prompt"` does the same as the API.
 */
class RefineApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void theApiAndTheCommandQueueRefinesThatBecomeTheNextVersions() throws Exception {
        Path photo = Probe.still(root.resolve("a.jpg"), "testsrc2=s=640x360");
        try (Daemon d = Daemon.start(root.resolve("d"), Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString()))) {
            OpsClient api = OpsClient.of(d);
            Path staging = Files.createDirectories(d.inbox.resolve(".staging"));
            Files.copy(photo, staging.resolve("a.jpg"));
            Files.writeString(staging.resolve("job.yaml"), "prompt: a 4 second video\noutput: clip\n");
            Files.move(staging, d.inbox.resolve("clip"));
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(d.outbox.resolve("clip.json")));
            String id = JSON.readTree(d.outbox.resolve("clip.json").toFile()).path("job_id").asText();

            // Two refines of the same version at once: both run, as the next two versions.
            HttpResponse<String> first = api.post("/api/jobs/" + id + "/refine", "application/json",
                    "{\"prompt\": \"make it 2 seconds\"}".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> second = api.post("/api/jobs/" + id + "/refine", "application/json",
                    "{\"prompt\": \"vertical\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(202, first.statusCode(), first.body());
            assertEquals(202, second.statusCode(), second.body());
            assertEquals("clip", JSON.readTree(first.body()).path("refines").asText());
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(d.outbox.resolve("clip-v2.json"))
                    && Files.exists(d.outbox.resolve("clip-v3.json")));
            List<String> made = Stream.of("clip-v2", "clip-v3").map(v -> {
                try {
                    Probe.Info i = Probe.info(d.outbox.resolve(v + ".mp4"));
                    return String.format("%.0f s %dx%d", i.duration(), i.width(), i.height());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
            assertEquals(List.of("2 s 1920x1080", "4 s 1080x1920"), made, "each refined version 1, not the other");

            HttpResponse<String> unknown = api.post("/api/jobs/clpi/refine", "application/json",
                    "{\"prompt\": \"no music\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("did you mean clip"), unknown.body());
            HttpResponse<String> empty = api.post("/api/jobs/clip/refine", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, empty.statusCode(), empty.body());

            // The command line: the chain's name means its latest version (v3 or v2, whichever finished last).
            var out = new java.io.ByteArrayOutputStream();
            String port = api.base.replaceFirst(".*:", "");
            int exit = new StatusCommand(TestSettings.with(Map.of()), new java.io.PrintStream(out, true, StandardCharsets.UTF_8))
                    .run("refine", "clip-v2", "make", "it", "3", "seconds", "--port", port);
            assertEquals(0, exit, out.toString());
            assertTrue(out.toString().startsWith("Refining clip-v2: job "), out.toString());
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(d.outbox.resolve("clip-v4.json")));
            JsonNode v4 = JSON.readTree(d.outbox.resolve("clip-v4.json").toFile());
            assertEquals("clip-v2", v4.path("refines").asText());
            assertEquals(3.0, Probe.info(d.outbox.resolve("clip-v4.mp4")).duration(), 0.1);
        }
    }
}
