package io.reelbox.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.Multipart;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.RawHttp;
import io.reelbox.testing.TestSettings;

/**
 * What any web page the user visits can send to the operations server of a real daemon, sent as raw HTTP: foreign
 * and rebinding host names, foreign, {@code null} and other-local-port origins, cross-site fetch metadata, the bodies a
 * form can post without a preflight, and a CORS preflight. Each refusal names its check, is counted, and leaves the
 * inbox, the upload folder and the job list as they were. The daemon's own dashboard, plain clients and the status
 * command still work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForeignRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path root;
    static NemoStub api;
    static Daemon daemon;
    static OpsClient ops;
    static RawHttp http;
    static String running;
    static String failed;

    @BeforeAll
    static void start() throws Exception {
        api = new NemoStub();
        // A render that never ends: one job stays running, for the cancel calls.
        api.stub(get(urlPathMatching("/api/render/proxy/lambda/render_.*")).atPriority(1)
                .willReturn(NemoStub.json("{\"taskId\":\"t\",\"status\":\"processing\",\"progress\":40}")));
        daemon = Daemon.start(root.resolve("d"), Map.of("reelbox.api.base-url", api.baseUrl(), "reelbox.api.token", NemoStub.TOKEN,
                "reelbox.http.allowed-hosts", "reelbox.lan, *.studio.example"));
        ops = OpsClient.of(daemon);
        http = new RawHttp(ops.base);
        Media.mp4(daemon.inbox.resolve("stuck.mp4"));
        Files.writeString(daemon.inbox.resolve("stuck.yaml"), "prompt: make a video\n");
        Files.writeString(daemon.inbox.resolve("broken.yaml"), "prompt: [unclosed\n");
        running = await().atMost(WAIT).until(() -> OperationsTest.find(ops.json("/api/jobs").get("running"), "stuck"),
                j -> j != null && j.path("stage").asText().equals("render")).get("id").asText();
        failed = await().atMost(WAIT).until(() -> OperationsTest.find(ops.json("/api/jobs").get("failed"), "broken"),
                j -> j != null).get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        api.close();
    }

    /** One foreign request: what it sends, and which check must refuse it with which status. */
    record Attack(String method, String path, String contentType, byte[] body, int status, String check, String[] headers) {
        static Attack of(String method, String path, String contentType, byte[] body, int status, String check, String... headers) {
            return new Attack(method, path, contentType, body, status, check, headers);
        }
    }

    static Stream<Arguments> attacks() {
        byte[] form = multipart().body();
        String multipart = multipart().contentType();
        String submit = "/api/jobs";
        String retry = "/api/jobs/{failed}/retry";
        String cancel = "/api/jobs/{running}/cancel";
        String port = "{port}";
        return Stream.of(
                Arguments.of("a foreign Host reads the job list", Attack.of("GET", "/api/jobs", null, null, 421, "host", "Host", "evil.example:" + port)),
                Arguments.of("a nip.io name for 127.0.0.1 opens the dashboard", Attack.of("GET", "/", null, null, 421, "host", "Host", "127.0.0.1.nip.io:" + port)),
                Arguments.of("a name that starts with localhost reads a job", Attack.of("GET", "/api/jobs/{failed}", null, null, 421, "host", "Host", "localhost.evil.example:" + port)),
                // Vert.x refuses an HTTP/1.1 request without Host itself (400), before any route runs.
                Arguments.of("no Host at all", Attack.of("POST", submit, multipart, form, 400, null, "Host", null)),
                Arguments.of("an empty Host", Attack.of("GET", "/api/jobs", null, null, 421, "host", "Host", "")),
                Arguments.of("a foreign Host fetches a video", Attack.of("GET", "/api/jobs/{running}/video", null, null, 421, "host", "Host", "evil.example")),
                Arguments.of("a foreign Host reads the metrics", Attack.of("GET", "/observe/metrics", null, null, 421, "host", "Host", "evil.example:" + port)),
                Arguments.of("a name under an allowed one's parent", Attack.of("GET", "/api/jobs", null, null, 421, "host", "Host", "studio.example.evil.test")),
                Arguments.of("the rebinding pair posts a multipart job", Attack.of("POST", submit, multipart, form, 421, "host",
                        "Host", "evil.example:" + port, "Origin", "http://evil.example:" + port, "Sec-Fetch-Site", "same-origin")),
                Arguments.of("a foreign page posts a multipart job", Attack.of("POST", submit, multipart, form, 403, "origin", "Origin", "http://evil.example")),
                Arguments.of("a sandboxed page (Origin: null) posts a job", Attack.of("POST", submit, multipart, form, 403, "origin", "Origin", "null")),
                Arguments.of("another local app posts a job", Attack.of("POST", submit, multipart, form, 403, "origin", "Origin", "http://localhost:3000")),
                Arguments.of("the same host on another port posts a job", Attack.of("POST", submit, multipart, form, 403, "origin", "Origin", "http://127.0.0.1:1")),
                Arguments.of("cross-site fetch metadata without Origin posts a job", Attack.of("POST", submit, multipart, form, 403, "fetch-site", "Sec-Fetch-Site", "cross-site")),
                Arguments.of("a text/plain form retries a failed job", Attack.of("POST", retry, "text/plain", "x=1".getBytes(StandardCharsets.UTF_8), 403, "origin", "Origin", "http://evil.example")),
                Arguments.of("a same-site page retries a failed job", Attack.of("POST", retry, null, null, 403, "fetch-site", "Sec-Fetch-Site", "same-site")),
                Arguments.of("an urlencoded form from Origin null cancels a job", Attack.of("POST", cancel, "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.UTF_8), 403, "origin", "Origin", "null")),
                Arguments.of("another local port cancels a job", Attack.of("POST", cancel, "text/plain", new byte[0], 403, "origin", "Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site")),
                Arguments.of("a cross-site page reads the job list", Attack.of("GET", "/api/jobs", null, null, 403, "fetch-site", "Sec-Fetch-Site", "cross-site")),
                Arguments.of("a same-site page reads a poster", Attack.of("GET", "/api/jobs/{running}/poster", null, null, 403, "fetch-site", "Sec-Fetch-Site", "same-site")),
                Arguments.of("a cross-site page reads the metrics", Attack.of("GET", "/observe/metrics", null, null, 403, "fetch-site", "Sec-Fetch-Site", "cross-site")),
                Arguments.of("a CORS read from a foreign origin", Attack.of("GET", "/api/jobs/{failed}", null, null, 403, "origin", "Origin", "http://evil.example")),
                Arguments.of("a CORS preflight for a JSON post", Attack.of("OPTIONS", submit, null, null, 403, "origin", "Origin", "http://evil.example",
                        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    @Order(1)
    void aForeignRequestIsRefusedAndChangesNothing(String name, Attack a) throws Exception {
        List<String> before = snapshot();
        double counted = a.check() == null ? 0 : refused(a.check());
        String[] headers = a.headers().clone();
        for (int i = 1; i < headers.length; i += 2) {
            headers[i] = headers[i] == null ? null : headers[i].replace("{port}", String.valueOf(http.port()));
        }
        if (a.contentType() != null) {
            headers = concat(headers, "Content-Type", a.contentType());
        }
        String path = a.path().replace("{failed}", failed).replace("{running}", running);
        RawHttp.Answer answer = http.send(a.method(), path, a.body(), headers);

        assertEquals(a.status(), answer.status(), name + ": " + answer.body());
        answer.headers().keySet().forEach(h -> assertTrue(!h.startsWith("access-control-"), "no CORS grant: " + h));
        if (a.check() != null) {
            JsonNode error = JSON.readTree(answer.body());
            assertEquals(a.check(), error.get("check").asText(), answer.body());
            assertEquals(a.status() == 421 ? "unknown-host" : "foreign-request", error.get("error").asText());
            assertTrue(error.get("message").asText().length() > 40, "says why and what to do: " + answer.body());
            assertEquals(counted + 1, refused(a.check()), "counted by the guard under its check");
        }
        assertEquals(before, snapshot(), "nothing changed: inbox, uploads, jobs");
    }

    @Test
    @Order(2)
    void theDashboardItselfAtBothLoopbackNamesStillSubmits() throws Exception {
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            String origin = "http://" + host + ":" + http.port();
            Multipart form = new Multipart().field("prompt", "a 3 second video").field("name", "from-" + host)
                    .file("files", "clip.mp4", NemoStub.MP4);
            RawHttp.Answer answer = http.send("POST", "/api/jobs", form.body(), "Host", host + ":" + http.port(), "Origin", origin,
                    "Sec-Fetch-Site", "same-origin", "Content-Type", form.contentType());
            assertEquals(202, answer.status(), answer.body());
            assertEquals("from-" + host, JSON.readTree(answer.body()).get("name").asText());
            assertNull(answer.header("Access-Control-Allow-Origin"));
            RawHttp.Answer list = http.get("/api/jobs", "Host", host + ":" + http.port(), "Sec-Fetch-Site", "same-origin");
            assertEquals(200, list.status());
        }
        await().atMost(WAIT).until(() -> ops.get("/api/jobs").body().contains("from-localhost"));
    }

    @Test
    @Order(3)
    void plainClientsAndTheStatusCommandNeedNoHeaders() throws Exception {
        Multipart form = new Multipart().field("prompt", "a 3 second video").field("name", "from-curl").file("files", "clip.mp4", NemoStub.MP4);
        assertEquals(202, ops.post("/api/jobs", form.contentType(), form.body()).statusCode());
        assertEquals(200, ops.get("/api/jobs/" + failed).statusCode());
        assertEquals(200, ops.get("/observe/metrics").statusCode());
        var said = new java.io.ByteArrayOutputStream();
        StatusCommand command = new StatusCommand(TestSettings.with(Map.of()), new java.io.PrintStream(said, true));
        assertEquals(0, command.run("status", "--port", String.valueOf(http.port())), said.toString());
        assertTrue(said.toString().contains("stuck"), said.toString());
    }

    @Test
    @Order(4)
    void aLinkFromAnotherSiteOpensTheDashboardWhichNoSiteMayFrame() throws Exception {
        RawHttp.Answer page = http.get("/", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<html"), page.body());
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertEquals("frame-ancestors 'none'", page.header("Content-Security-Policy"));
    }

    @Test
    @Order(5)
    void namesInAllowedHostsAreAnsweredAndPortsAreNotCompared() throws Exception {
        assertEquals(200, http.get("/api/jobs", "Host", "reelbox.lan:9999").status(), "a reverse proxy's name, another port");
        assertEquals(200, http.get("/api/jobs", "Host", "cam.studio.example").status(), "a name under *.studio.example");
        assertEquals(200, http.get("/api/jobs", "Host", "REELBOX.LAN.").status(), "case and a trailing dot");
        assertEquals(200, http.get("/api/jobs", "Host", "dash.localhost:8080").status(), "*.localhost");
        assertEquals(200, http.get("/api/jobs", "Host", "[::1]:" + http.port()).status(), "an IPv6 literal");
        Multipart form = new Multipart().field("prompt", "a 3 second video").field("name", "via-proxy").file("files", "c.mp4", NemoStub.MP4);
        assertEquals(202, http.send("POST", "/api/jobs", form.body(), "Host", "reelbox.lan", "Origin", "https://reelbox.lan",
                "Content-Type", form.contentType()).status(), "behind a TLS proxy: Host without port, Origin on 443");
    }

    /** The inbox (every file, hidden ones too), the upload folder, and the job list's names. */
    private static List<String> snapshot() throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        for (Path dir : new Path[] {daemon.inbox, daemon.workDir.resolve("uploads")}) {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.map(p -> daemon.root.relativize(p).toString()).sorted().forEach(all::add);
                }
            }
        }
        JsonNode jobs = ops.json("/api/jobs");
        for (String list : new String[] {"waiting", "running", "done", "failed"}) {
            jobs.get(list).forEach(j -> all.add(list + ": " + j.path("name").asText()));
        }
        return all;
    }

    private static double refused(String check) throws IOException, InterruptedException {
        String line = "reelbox_http_refused_total{check=\"" + check + "\"} ";
        return ops.get("/observe/metrics").body().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
    }

    private static Multipart multipart() {
        return new Multipart().field("prompt", "spend the user's credits").file("files", "photo.jpg", NemoStub.MP4);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
