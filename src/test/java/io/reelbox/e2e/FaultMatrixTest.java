package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;

/**
 * Every fault on every API step, injected once into a running daemon: each job still completes, with exactly one
 * video. And the same faults injected every time: each job fails with an error.json naming the stage and the code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger JOBS = new AtomicInteger();

    @TempDir
    static Path root;
    NemoStub api;
    Daemon daemon;

    @BeforeAll
    void start() throws Exception {
        api = new NemoStub();
        daemon = Daemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl(), "reelbox.api.read-timeout", "700ms",
                "reelbox.retry.redeliveries", "2", "reelbox.prompt.heartbeat-timeout", "1s", "reelbox.prompt.progress-interval", "300ms"));
    }

    @AfterAll
    void stop() throws Exception {
        daemon.close();
        api.close();
    }

    @BeforeEach
    void reset() {
        api.happyPath();
    }

    /** The steps, as the stub that answers each. */
    static Map<String, Function<Boolean, MappingBuilder>> steps() {
        return Map.of(
                "session", x -> post(urlEqualTo("/api/tasks/me/with-session/nemo_agent")),
                "upload", x -> post(urlPathMatching("/api/upload-video/.*")),
                "state", x -> get(urlPathMatching("/api/state/.*")),
                "export", x -> post(urlEqualTo("/api/render/proxy/lambda")),
                "render status", x -> get(urlPathMatching("/api/render/proxy/lambda/render_.*")),
                "prompt", x -> post(urlEqualTo("/run_sse")));
    }

    static Map<String, ResponseDefinitionBuilder> faults() {
        Map<String, ResponseDefinitionBuilder> f = new java.util.LinkedHashMap<>();
        f.put("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        f.put("empty body", aResponse().withFault(Fault.EMPTY_RESPONSE));
        f.put("truncated JSON", NemoStub.json("{\"code\":0,\"data\":{\"sess"));
        f.put("invalid JSON", NemoStub.json("<html><body>Bad Gateway</body></html>"));
        f.put("HTTP 500", aResponse().withStatus(500));
        f.put("HTTP 502", aResponse().withStatus(502).withBody("<html>bad gateway</html>"));
        f.put("HTTP 503", aResponse().withStatus(503).withBody("{\"detail\":\"busy\"}"));
        f.put("slow past the timeout", NemoStub.ok("{}").withFixedDelay(1500));
        f.put("1001", NemoStub.json("{\"code\":1001,\"message\":\"token expired\"}"));
        f.put("1002", NemoStub.json("{\"code\":1002,\"message\":\"session not found\"}"));
        f.put("429 with Retry-After", aResponse().withStatus(429).withHeader("Retry-After", "0"));
        f.put("429 without Retry-After", aResponse().withStatus(429));
        return f;
    }

    static Stream<Arguments> onceEverywhere() {
        List<Arguments> out = new ArrayList<>();
        steps().keySet().stream().sorted().forEach(step -> faults().keySet().forEach(fault -> {
            // A reset or a timeout on /run_sse after it was sent is a dropped stream, covered by the crash and
            // recovery tests; here the prompt sees the faults that come before its stream.
            boolean streamFault = step.equals("prompt") && (fault.equals("connection reset") || fault.equals("empty body")
                    || fault.equals("slow past the timeout") || fault.contains("JSON"));
            if (!streamFault) {
                out.add(Arguments.of(step, fault));
            }
        }));
        return out.stream();
    }

    private String drop() throws Exception {
        String name = "job" + JOBS.incrementAndGet();
        Media.mp4(daemon.inbox.resolve(name + ".mp4"));
        Files.writeString(daemon.inbox.resolve(name + ".yaml"), "prompt: combine my clips\n");
        return name;
    }

    @ParameterizedTest(name = "{0}: {1} once")
    @MethodSource("onceEverywhere")
    void aFaultOnceIsCured(String step, String fault) throws Exception {
        api.stub(steps().get(step).apply(true).inScenario("fault").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("injected")
                .atPriority(1).willReturn(faults().get(fault)));
        String name = drop();
        Path report = daemon.outbox.resolve(name + ".json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report)
                || Files.exists(daemon.inbox.resolve(".failed/" + name + "/error.json")));
        assertTrue(Files.exists(report), () -> step + " / " + fault + " failed: " + read(daemon.inbox.resolve(".failed/" + name + "/error.json")));
        assertArrayEquals(NemoStub.MP4, Files.readAllBytes(daemon.outbox.resolve(name + ".mp4")));
        // A prompt refused before its stream (an HTTP error, 1001, 1002) is sent again; one that ran, never.
        int prompts = api.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).size();
        int allowed = 1 + (step.equals("prompt") ? 1 : 0) + (fault.equals("1002") && !step.equals("session") ? 1 : 0);
        assertTrue(prompts <= allowed, prompts + " prompts");
    }

    static Stream<Arguments> alwaysSomewhere() {
        return Stream.of(
                Arguments.of("session", "HTTP 503", "session", "HTTP 503"),
                Arguments.of("upload", "connection reset", "upload", "unavailable"),
                Arguments.of("state", "truncated JSON", "prompt", "HTTP 200"),
                Arguments.of("export", "slow past the timeout", "export", "unavailable"),
                Arguments.of("render status", "429 without Retry-After", "render", "HTTP 429"),
                Arguments.of("export", "1001", "export", "1001"),
                Arguments.of("upload", "1002", "upload", "1002"));
    }

    @ParameterizedTest(name = "{0}: {1} every time")
    @MethodSource("alwaysSomewhere")
    void aFaultThatNeverStopsFailsTheJobClearly(String step, String fault, String stage, String code) throws Exception {
        api.stub(steps().get(step).apply(true).atPriority(1).willReturn(faults().get(fault)));
        String name = drop();
        Path error = daemon.inbox.resolve(".failed/" + name + "/error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error));
        JsonNode e = JSON.readTree(error.toFile());
        assertEquals(stage, e.path("stage").asText(), e.toString());
        assertEquals(code, e.path("code").asText(), e.toString());
        assertFalse(e.path("hint").asText().isBlank());
        assertTrue(Files.exists(daemon.inbox.resolve(".failed/" + name + "/" + name + ".mp4")), "the input is kept");
        assertFalse(Files.exists(daemon.outbox.resolve(name + ".mp4")));
    }

    static Stream<Arguments> inStreamErrors() {
        return Stream.of(
                Arguments.of("{\"error\":\"model overloaded\"}", "model overloaded"),
                Arguments.of("{\"error\":\"tool failed\",\"error_details\":{\"tool\":\"render\"}}", "tool failed"),
                Arguments.of("{\"content\":{\"parts\":[{\"text\":\"Error: could not parse the timeline\"}]},\"author\":\"system\"}",
                        "Error: could not parse the timeline"),
                Arguments.of("{\"errorCode\":\"MALFORMED\",\"errorMessage\":\"bad function call\"}", "bad function call"),
                Arguments.of("{\"error\": this is not json", "this is not json"));
    }

    @ParameterizedTest(name = "in-stream error {1}")
    @MethodSource("inStreamErrors")
    void anInStreamErrorInEachFormFailsWithTheAgentsWords(String payload, String words) throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).atPriority(1).willReturn(NemoStub.sse(NemoStub.adkToolCall(), payload)));
        String name = drop();
        Path error = daemon.inbox.resolve(".failed/" + name + "/error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error));
        JsonNode e = JSON.readTree(error.toFile());
        assertEquals("prompt", e.path("stage").asText());
        assertTrue(e.path("message").asText().contains(words), e.toString());
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
    }

    @org.junit.jupiter.api.Test
    void keepAlivesOnlyPastTheLimitCountAsADroppedStreamThatIsNeverResent() throws Exception {
        // Forty empty keep-alives over four seconds; the limit is one second.
        String body = "data:\n\n".repeat(40);
        api.stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited").atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body).withChunkedDribbleDelay(40, 4000)));
        String name = drop();
        Path report = daemon.outbox.resolve(name + ".json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        JsonNode r = JSON.readTree(report.toFile()).path("renders").get(0);
        assertTrue(r.path("stream_dropped").asBoolean(), r.toString());
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no error.json)";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
