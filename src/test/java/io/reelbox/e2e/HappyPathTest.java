package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;

class HappyPathTest {

    @TempDir
    Path root;
    NemoStub api;
    Daemon daemon;

    @BeforeEach
    void start() throws Exception {
        api = new NemoStub();
        daemon = Daemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        api.close();
    }

    @Test
    void flatJobBecomesVideoAndReportAndInputsMoveToDone() throws Exception {
        Media.mp4(daemon.inbox.resolve("beach.mp4"));
        Files.writeString(daemon.inbox.resolve("beach.yaml"), "prompt: combine my clips into a 10-second video\ntitle: Urban Dreams\n");

        Path video = daemon.outbox.resolve("beach.mp4");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(daemon.outbox.resolve("beach.json")));
        await().atMost(Duration.ofSeconds(20)).until(() -> io.reelbox.testing.DaemonTestBase.idle(daemon.inbox.resolve(".processing")));
        assertArrayEquals(NemoStub.MP4, Files.readAllBytes(video));

        JsonNode report = new ObjectMapper().readTree(daemon.outbox.resolve("beach.json").toFile());
        assertEquals("beach", report.path("job").asText());
        assertEquals(NemoStub.SESSION, report.path("session_id").asText());
        assertEquals("completed", report.path("status").asText());
        JsonNode render = report.path("renders").get(0);
        assertTrue(render.path("render_id").asText().startsWith("render_"));
        assertEquals("Done: 3 tracks, 10 s.", render.path("agent_replies").get(0).asText());
        assertTrue(render.path("prompt").asText().contains("title \"Urban Dreams\""), render.path("prompt").asText());
        assertEquals(2, report.path("inputs").size());
        assertEquals(64, report.path("inputs").get(0).path("sha256").asText().length());
        assertEquals(100.0, report.path("credits").path("before").path("available").asDouble());
        for (String stage : new String[] {"check", "session", "upload", "prompt", "verify", "export", "render", "download"}) {
            assertTrue(report.path("timings_ms").has(stage), stage);
        }
        assertFalse(report.toString().contains(NemoStub.TOKEN), "no token in the report");

        Path done = daemon.inbox.resolve(".done/beach");
        assertTrue(Files.exists(done.resolve("beach.mp4")) && Files.exists(done.resolve("beach.yaml")));
        assertFalse(Files.exists(daemon.inbox.resolve("beach.mp4")));
        try (var left = Files.list(daemon.outbox)) {
            assertEquals(2, left.count(), "no temp files left in the outbox");
        }

        // Every request carried the attribution headers; every request but the token call the bearer token.
        for (LoggedRequest r : api.server.findAll(anyRequestedFor(anyUrl()))) {
            assertEquals("video-maker-download", r.getHeader("X-Skill-Source"), r.getUrl());
            assertEquals("1.0.0", r.getHeader("X-Skill-Version"));
            assertEquals("unknown", r.getHeader("X-Skill-Platform"));
            if (!r.getUrl().contains("anonymous-token")) {
                assertEquals("Bearer " + NemoStub.TOKEN, r.getHeader("Authorization"), r.getUrl());
            }
        }
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")).withHeader("Accept", equalTo("text/event-stream")));
        String upload = api.server.findAll(postRequestedFor(urlEqualTo("/api/upload-video/nemo_agent/me/" + NemoStub.SESSION))).get(0).getBodyAsString();
        assertTrue(upload.contains("name=\"files\"; filename=\"beach.mp4\""), "multipart field 'files'");
        Path tokenFile = daemon.workDir.resolve("token.json");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
    }
}
