package io.reelbox.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.FolderJob;
import io.reelbox.testing.Multipart;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Probe;

/**
 * The operations server of a real daemon on the embedded backend, through plain HTTP: health, the job API with real
 * renders (videos with byte ranges, posters), a job made through the API, a failed job fixed and retried, and the
 * Prometheus metrics those jobs leave behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENDER = Duration.ofMinutes(2);

    @TempDir
    static Path root;
    static Daemon daemon;
    static OpsClient api;
    static Path photo;

    @BeforeAll
    static void start() throws Exception {
        photo = Probe.still(root.resolve("photo.jpg"), "testsrc2=s=640x360");
        daemon = Daemon.start(root.resolve("d"), Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString(),
                "reelbox.inbox.media-timeout", "1s"));
        api = OpsClient.of(daemon);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    @Order(1)
    void healthIsUpWithEachCheckAndLivenessApart() throws Exception {
        JsonNode all = api.json("/observe/health");
        assertEquals("UP", all.get("status").asText());
        List<String> names = names(all);
        assertTrue(names.containsAll(List.of("context", "folders", "disk", "backend", "intake", "route:reelbox-job")),
                names.toString());
        assertFalse(names.contains("route:reelbox-intake"), "the intake check speaks for its route");
        String intake = api.get("/observe/health?data=true").body();
        assertTrue(intake.contains("\"route_status\":\"Started\"") && intake.contains("\"state\":\"running\""), intake);
        JsonNode live = api.json("/observe/health/live");
        assertEquals(List.of("context", "intake"), names(live).stream().sorted().toList(), "liveness: only what a restart cures");
        assertFalse(names(api.json("/observe/health/ready")).isEmpty());
    }

    @Test
    @Order(2)
    void aDroppedJobIsListedWithItsVideoAndPoster() throws Exception {
        FolderJob.drop(daemon.inbox, "dropped", "prompt: a 4 second video\noutput: dropped\n", photo,
                Probe.still(root.resolve("bars.jpg"), "smptebars=s=640x360"));

        JsonNode done = awaitDone("dropped");
        String id = done.get("id").asText();
        assertEquals(List.of("dropped.mp4"), texts(done.get("videos")));
        assertEquals(4.0, done.get("duration_s").asDouble(), 0.1);
        JsonNode one = api.json("/api/jobs/" + id);
        assertEquals("done", one.get("state").asText());
        assertEquals(id, one.get("reports").get(0).get("job_id").asText());

        Path mp4 = daemon.outbox.resolve("dropped.mp4");
        HttpResponse<byte[]> whole = api.bytes("/api/jobs/" + id + "/video");
        assertEquals(200, whole.statusCode());
        assertEquals("video/mp4", whole.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(Files.readAllBytes(mp4), whole.body());
        assertEquals(String.valueOf(Files.size(mp4)), whole.headers().firstValue("Content-Length").orElseThrow());

        HttpResponse<byte[]> part = api.bytes("/api/jobs/" + id + "/video", "Range", "bytes=100-199");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 100-199/" + Files.size(mp4), part.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(mp4), 100, 200), part.body());
        assertEquals(416, api.bytes("/api/jobs/" + id + "/video", "Range", "bytes=" + Files.size(mp4) + "-").statusCode());

        HttpResponse<byte[]> poster = api.bytes("/api/jobs/" + id + "/poster");
        assertEquals(200, poster.statusCode());
        assertEquals("image/jpeg", poster.headers().firstValue("Content-Type").orElseThrow());
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(poster.body()));
        assertEquals(480, image.getWidth(), "a thumbnail, 480 wide");
        assertEquals(270, image.getHeight());
        assertFalse(Files.list(daemon.outbox).anyMatch(p -> p.toString().endsWith(".jpg")), "posters stay out of the outbox");
        assertEquals(404, api.bytes("/api/jobs/nope/video").statusCode());
    }

    @Test
    @Order(3)
    void aJobSubmittedThroughTheApiIsRendered() throws Exception {
        Multipart form = new Multipart().field("prompt", "a 3 second video").field("name", "from the web")
                .file("file0", "one.jpg", photo).file("file1", "two.jpg", photo);
        HttpResponse<String> r = api.post("/api/jobs", form.contentType(), form.body());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("from the web", JSON.readTree(r.body()).get("name").asText());
        JsonNode done = awaitDone("from the web");
        assertEquals(3.0, done.get("duration_s").asDouble(), 0.1);
        assertTrue(Files.exists(daemon.inbox.resolve(".done/from the web/one.jpg")));
        assertTrue(Files.readString(daemon.inbox.resolve(".done/from the web/job.yaml")).contains("a 3 second video"));
    }

    @Test
    @Order(4)
    void badSubmissionsAreRefusedAndWriteNothing() throws Exception {
        Map<String, Multipart> bad = Map.of(
                "bad-file-name", new Multipart().field("prompt", "x").file("f", "../../escape.jpg", photo),
                "unsupported-file", new Multipart().field("prompt", "x").file("f", "notes.exe", new byte[] {1, 2}),
                "no-prompt", new Multipart().file("f", "a.jpg", photo),
                "no-media", new Multipart().field("prompt", "a video"),
                "bad-job-name", new Multipart().field("prompt", "x").field("name", "../up").file("f", "a.jpg", photo));
        for (var e : bad.entrySet()) {
            HttpResponse<String> r = api.post("/api/jobs", e.getValue().contentType(), e.getValue().body());
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, e.getKey() + ": " + r.statusCode());
            assertEquals(e.getKey(), JSON.readTree(r.body()).get("error").asText());
        }
        assertFalse(Files.exists(root.resolve("escape.jpg")) || Files.exists(root.resolve("d/escape.jpg")));
        try (var s = Files.list(daemon.inbox)) {
            assertEquals(List.of(".done", ".processing"), s.map(p -> p.getFileName().toString()).sorted()
                    .filter(n -> !n.equals(".failed")).toList());
        }
    }

    @Test
    @Order(5)
    void aFailedJobShowsItsHintAndARetryBringsItBackOnce() throws Exception {
        FolderJob.drop(daemon.inbox, "fixme", "prompt: a 3 second video\nmedia: [photo.jpg, b.jpg]\noutput: fixme\n", photo);

        JsonNode failed = await().atMost(Duration.ofSeconds(30)).until(() -> find(api.json("/api/jobs").get("failed"), "fixme"),
                n -> n != null);
        assertEquals("media-missing", failed.get("error").asText());
        assertTrue(failed.get("hint").asText().startsWith("Media named in the sidecar never arrived"));
        String id = failed.get("id").asText();
        assertEquals(409, api.post("/api/jobs/" + id + "/cancel").statusCode(), "a failed job is not running");

        // The user puts the missing photo in; two clicks on Retry at once bring the job back exactly once.
        Files.copy(photo, daemon.inbox.resolve(".failed/" + failed.get("folder").asText() + "/b.jpg"));
        var first = api.postAsync("/api/jobs/" + id + "/retry");
        var second = api.postAsync("/api/jobs/" + id + "/retry");
        List<Integer> codes = List.of(first.get().statusCode(), second.get().statusCode()).stream().sorted().toList();
        assertEquals(202, codes.get(0));
        assertTrue(codes.get(1) == 404 || codes.get(1) == 409, codes.toString());

        JsonNode done = awaitDone("fixme");
        assertEquals(3.0, done.get("duration_s").asDouble(), 0.1);
        assertEquals(null, find(api.json("/api/jobs").get("failed"), "fixme"), "no longer failed");
        try (var s = Files.list(daemon.workDir.resolve("retried"))) {
            assertEquals(1, s.count(), "the old error.json is kept");
        }
        HttpResponse<String> unknown = api.post("/api/jobs/no-such-job/retry");
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown-job", JSON.readTree(unknown.body()).get("error").asText());
        assertEquals(409, api.post("/api/jobs/" + done.get("id").asText() + "/retry").statusCode(), "a finished job");
    }

    @Test
    @Order(6)
    void theMetricsCountWhatHappened() throws Exception {
        String text = api.get("/observe/metrics").body();
        assertTrue(value(text, "reelbox_jobs_claimed_total") >= 4, "claimed");
        assertEquals(3, value(text, "reelbox_jobs_completed_total"));
        assertEquals(1, value(text, "reelbox_jobs_failed_total{camelContext=\"reelbox\",code=\"media-missing\"}"));
        assertEquals(10, value(text, "reelbox_render_seconds_total"), 0.5, "4 + 3 + 3 seconds of video");
        long photos;
        try (var all = Files.walk(daemon.inbox.resolve(".done"))) {
            photos = all.filter(p -> p.toString().endsWith(".jpg")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(photos, value(text, "reelbox_upload_bytes_total"), "every photo of the three jobs, once");
        assertEquals(0, value(text, "reelbox_jobs_in_flight"));
        assertEquals(0, value(text, "reelbox_jobs_waiting"));
        assertTrue(value(text, "reelbox_stage_seconds_count{stage=\"upload\"}") >= 6);
        assertTrue(text.contains("reelbox_stage_seconds_bucket{stage=\"render\""), "a histogram");
        assertTrue(text.contains("camel_exchanges_total{camelContext=\"reelbox\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"reelbox-job\"}"));
    }

    @Test
    @Order(7)
    void theDashboardIsServedAndNothingElseOfTheWorkingDirectory() throws Exception {
        HttpResponse<String> page = api.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/dashboard.js\">"));
        assertEquals(200, api.get("/dashboard.js").statusCode());
        assertEquals(200, api.get("/dashboard.css").statusCode());
        for (String path : List.of("/application.properties", "/pom.xml", "/work/token-local.json", "/../pom.xml")) {
            assertEquals(404, api.get(path).statusCode(), path);
        }
    }

    @Test
    @Order(8)
    void theStatusCommandPrintsTheSameViewAsATable() throws Exception {
        var buffer = new java.io.ByteArrayOutputStream();
        StatusCommand command = new StatusCommand(io.reelbox.testing.TestSettings.with(Map.of()), new java.io.PrintStream(buffer, true));
        String port = api.base.replaceFirst(".*:", "");
        assertEquals(0, command.run("status", "--port", port));
        String table = buffer.toString();
        assertTrue(table.startsWith("Reelbox at " + api.base + " — intake: taking jobs"), table);
        assertTrue(table.contains("DONE (3)"), table);
        assertTrue(table.matches("(?s).*\\n  dropped +4 s +dropped\\.mp4 .*"), table);
        assertTrue(table.contains("FAILED (0): none"), table);
        assertTrue(table.contains("RUNNING (0): none"), table);

        buffer.reset();
        assertEquals(1, command.run("retry", "no-such-job", "--port", port));
        assertTrue(buffer.toString().startsWith("Not done (404): No failed job has the id no-such-job"), buffer.toString());
        buffer.reset();
        assertEquals(2, command.run("retry"));
        assertTrue(buffer.toString().startsWith("usage:"));
        buffer.reset();
        assertEquals(1, command.run("status", "--port", "1"));
        assertTrue(buffer.toString().startsWith("Cannot reach Reelbox at http://127.0.0.1:1"), buffer.toString());
        buffer.reset();
        assertEquals(0, command.run("health", "--port", port), "alive: the container's health check passes");
        assertEquals("UP", buffer.toString().strip());
        buffer.reset();
        assertEquals(1, command.run("health", "--port", "1"), "nothing there: the check fails");
    }

    @Test
    void theCommandFindsAFreePortInTheWorkDir() throws Exception {
        StatusCommand command = new StatusCommand(io.reelbox.testing.TestSettings.with(Map.of("reelbox.http.port", "0",
                "reelbox.work-dir", daemon.workDir.toString())), System.out);
        assertEquals(api.base, command.baseUrl(null));
        assertEquals("http://127.0.0.1:9", command.baseUrl(9));
        assertEquals("http://127.0.0.1:8780", new StatusCommand(io.reelbox.testing.TestSettings.with(Map.of("reelbox.http.port", "8780")),
                System.out).baseUrl(null));
        assertEquals("[####----------------]", StatusCommand.bar(20));
    }

    private static JsonNode awaitDone(String name) {
        return await().atMost(RENDER).until(() -> find(api.json("/api/jobs").get("done"), name), n -> n != null);
    }

    static JsonNode find(JsonNode list, String name) {
        for (JsonNode j : list) {
            if (j.get("name").asText().equals(name)) {
                return j;
            }
        }
        return null;
    }

    private static List<String> names(JsonNode health) {
        return texts(health.get("checks").findValues("name"));
    }

    private static List<String> texts(Iterable<JsonNode> nodes) {
        List<String> out = new java.util.ArrayList<>();
        nodes.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The value of the first sample whose line starts with {@code prefix} (a name, or a name with its first labels). */
    static double value(String metrics, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[{ ][^\\n]*?([-0-9.eE+]+)$").matcher(metrics);
        if (!m.find()) {
            m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^\\n]* ([-0-9.eE+]+)$").matcher(metrics);
            if (!m.find()) {
                throw new AssertionError(prefix + " not in the metrics");
            }
        }
        return Double.parseDouble(m.group(1));
    }
}
