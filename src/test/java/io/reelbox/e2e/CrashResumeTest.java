package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;

/**
 * The daemon in its own JVM, killed with SIGKILL while a job is at each stage, then started again: every job
 * completes exactly once, no prompt is sent twice in a session, no partial or duplicate file reaches the outbox, no
 * input goes missing.
 */
class CrashResumeTest {

    @TempDir
    Path root;
    NemoStub api;

    @BeforeEach
    void start() {
        api = new NemoStub();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ChildDaemon daemon(String log) throws Exception {
        return ChildDaemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl(), "reelbox.prompt.recovery-first-read", "100ms"), log);
    }

    /** Drops a job, holds the API at one step with {@code stall}, kills the daemon there, restarts it, checks the end. */
    private void crashAt(MappingBuilder stall, RequestPatternBuilder reached) throws Exception {
        interruptAt(stall, reached, false);
    }

    private void interruptAt(MappingBuilder stall, RequestPatternBuilder reached, boolean sigterm) throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Media.mp4(inbox.resolve("trip.mp4"));
        Files.writeString(inbox.resolve("trip.yaml"), "prompt: combine my clips into a 10-second video\n");
        api.stub(stall.atPriority(1));
        try (ChildDaemon first = daemon("first.log")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !api.server.findAll(reached).isEmpty());
            if (sigterm) {
                first.stop();
                assertTrue(first.logContains("it resumes on the next start"), "a clean stop keeps the job for later");
            } else {
                first.kill();
            }
        }
        api.server.removeStubMapping(api.server.getStubMappings().stream().filter(m -> m.getPriority() != null && m.getPriority() == 1)
                .findFirst().orElseThrow());
        try (ChildDaemon second = daemon("second.log")) {
            Path report = root.resolve("outbox/trip.json");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(report));
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(root.resolve("work/journal"))
                    || Files.list(root.resolve("work/journal")).findAny().isEmpty());
            second.stop();
            assertTrue(second.logContains("Resuming 1 unfinished job(s)"), "the job was resumed, not started again");
        }
        assertEquals(List.of("trip.json", "trip.mp4"), names(root.resolve("outbox")), "one video, one report, no partial file");
        assertArrayEquals(NemoStub.MP4, Files.readAllBytes(root.resolve("outbox/trip.mp4")));
        assertEquals(List.of("trip.mp4", "trip.yaml"), names(root.resolve("inbox/.done/trip")), "every input, once");
        assertEquals(List.of(".done", ".processing"), names(root.resolve("inbox")));
        assertTrue(names(root.resolve("inbox/.processing")).isEmpty());
        assertTrue(api.server.findAll(postRequestedFor(urlEqualTo("/run_sse"))).size() <= 1, "never two prompts in one session");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void killedDuringUpload() throws Exception {
        crashAt(post(urlPathMatching("/api/upload-video/.*")).willReturn(NemoStub.ok("{\"files\":[]}").withFixedDelay(30_000)),
                postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/tasks/me/with-session/nemo_agent")));
    }

    /** A prompt the agent accepted (the session's state moves on) whose stream stays open for 30 s. */
    private static MappingBuilder longStream() {
        return post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited")
                .willReturn(NemoStub.sse(NemoStub.adkText("working")).withFixedDelay(30_000));
    }

    @Test
    void killedWhileTheStreamIsOpen() throws Exception {
        crashAt(longStream(), postRequestedFor(urlEqualTo("/run_sse")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
    }

    @Test
    void stoppedWithSigtermWhileTheStreamIsOpen() throws Exception {
        interruptAt(longStream(), postRequestedFor(urlEqualTo("/run_sse")), true);
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
    }

    @Test
    void killedWhilePolling() throws Exception {
        crashAt(get(urlPathMatching("/api/render/proxy/lambda/render_.*")).willReturn(NemoStub.json("{\"status\":\"processing\",\"progress\":50}")),
                getRequestedFor(urlPathMatching("/api/render/proxy/lambda/render_.*")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
    }

    @Test
    void killedMidRenderOnTheEmbeddedBackendWhichForgetsEverything() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        io.reelbox.testing.Probe.still(inbox.resolve("sky.jpg"), "testsrc2=s=640x360");
        Files.writeString(inbox.resolve("sky.yaml"), "prompt: a 20 second 480p video with a slow zoom\n");
        Map<String, String> embedded = Map.of("reelbox.api.base-url", "embedded", "reelbox.prompt.recovery-first-read", "100ms",
                "reelbox.local.ffmpeg", io.reelbox.testing.Probe.ffmpeg().binary().toString());
        try (ChildDaemon first = ChildDaemon.start(root, embedded, "first.log")) {
            // Mid-render: ffmpeg is writing into the render's scratch folder (the status poll is held open, so the
            // log may not say "processing" before the end).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> rendering(root.resolve("work/local/renders")));
            first.kill();
        }
        try (ChildDaemon second = ChildDaemon.start(root, embedded, "second.log")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(root.resolve("outbox/sky.json")));
            // The new backend knows neither the token, the session nor the render: 1001, 404 and 1002 are all cured.
            assertTrue(second.logContains("is unknown after the restart; exporting again"));
            assertTrue(second.logContains("not found during"), "a new session was opened");
            second.stop();
        }
        assertEquals(List.of("sky.json", "sky.mp4"), names(root.resolve("outbox")));
        assertEquals(20.0, io.reelbox.testing.Probe.info(root.resolve("outbox/sky.mp4")).duration(), 1 / 30.0);
        assertEquals(List.of("sky.jpg", "sky.yaml"), names(root.resolve("inbox/.done/sky")));
    }

    @Test
    void killedDuringDownload() throws Exception {
        crashAt(get(urlPathEqualTo("/files/out.mp4")).willReturn(aResponse().withBody(NemoStub.MP4).withChunkedDribbleDelay(50, 30_000)),
                getRequestedFor(urlPathEqualTo("/files/out.mp4")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
    }

    private static boolean rendering(Path renders) throws java.io.IOException {
        if (!Files.isDirectory(renders)) {
            return false;
        }
        try (var s = Files.list(renders)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".work-"));
        }
    }
}
