package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.Tmpfs;

/**
 * Full disks, made real with small tmpfs mounts: a full outbox keeps the finished render and writes it when there is
 * room; a disk below the floor keeps jobs in the inbox untouched; a full backend disk is named as such. Skipped, with
 * the reason, where file systems cannot be mounted.
 */
class DiskFullTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;
    private NemoStub api;
    private Daemon daemon;
    private Tmpfs disk;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (api != null) {
            api.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    /** The daemon against WireMock, its outbox on a 1 MB disk, which must keep 64 kB free to take a job. */
    private void startWithSmallOutbox() throws Exception {
        disk = Tmpfs.mount(root.resolve("outbox"), "1m");
        api = new NemoStub();
        Map<String, String> props = new HashMap<>();
        props.put("reelbox.api.base-url", api.baseUrl());
        props.put("reelbox.disk.min-free", "64KB");
        daemon = Daemon.start(root, props);
    }

    private void drop(String name) throws Exception {
        Media.mp4(daemon.inbox.resolve(name + ".mp4"));
        Files.writeString(daemon.inbox.resolve(name + ".yaml"), "prompt: p");
    }

    @Test
    void aFullOutboxKeepsTheFinishedRenderAndWritesItWhenThereIsRoom() throws Exception {
        startWithSmallOutbox();
        // Room to take the job (above the floor), not for the video it makes: the stub's MP4 is 4 kB more than that.
        Path filler = disk.fill(64_000 + 2_000);
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/files/out.mp4")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody(NemoStub.mp4(80_000))));
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/api/render/proxy/lambda/render_.*"))
                .atPriority(1).willReturn(NemoStub.json("{\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\""
                        + api.baseUrl() + "/files/out.mp4\",\"size\":80000}}")));
        drop("big");
        await().atMost(WAIT).until(() -> !api.server.findAll(getRequestedFor(urlEqualTo("/files/out.mp4"))).isEmpty());
        drop("next");
        // The job waits in .processing/ (not failed); the next job waits in the inbox, untouched.
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> Files.exists(daemon.inbox.resolve("next.yaml"))
                && !Files.exists(daemon.inbox.resolve(".failed")) && !DaemonTestBase.idle(daemon.inbox.resolve(".processing")));
        try (var journal = Files.list(daemon.workDir.resolve("journal"))) {
            assertEquals(1, journal.count(), "the waiting job is journaled");
        }
        JsonNode view = JSON.readTree(io.reelbox.testing.OpsClient.of(daemon).get("/api/jobs").body());
        assertEquals("big", view.get("running").get(0).get("name").asText(), "the job view shows the waiting video");
        assertEquals("waiting-for-room", view.get("running").get(0).get("state").asText());
        assertEquals("paused-for-disk", view.get("intake").get("state").asText());

        Files.delete(filler);
        Path report = daemon.outbox.resolve("big.json");
        await().atMost(WAIT).until(() -> Files.exists(report) && Files.exists(daemon.outbox.resolve("next.json")));
        assertEquals(80_000, Files.size(daemon.outbox.resolve("big.mp4")));
        assertArrayEquals(NemoStub.mp4(80_000), Files.readAllBytes(daemon.outbox.resolve("big.mp4")));
        assertFalse(Files.exists(daemon.inbox.resolve(".failed")));
        api.server.verify(2, postRequestedFor(urlEqualTo("/run_sse")));
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
        assertTrue(Files.exists(daemon.inbox.resolve(".done/big/big.mp4")));
        try (var files = Files.list(daemon.outbox)) {
            assertEquals(4, files.filter(f -> !f.getFileName().toString().startsWith(".")).count(), "two videos, two reports, no temp");
        }
    }

    @Test
    void aWaitingVideoWhoseLinksExpiredIsExportedOnceMoreWithoutANewPrompt() throws Exception {
        startWithSmallOutbox();
        Path filler = disk.fill(64_000 + 2_000);
        // The video's links work until the test lets them expire, and again after a new export.
        api.stub(post(urlEqualTo("/api/render/proxy/lambda")).inScenario("expiry").willSetStateTo("fresh").atPriority(1)
                .willReturn(NemoStub.ok("{\"id\":\"r\",\"status\":\"pending\"}")));
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/files/out.mp4")).inScenario("expiry")
                .whenScenarioStateIs("fresh").atPriority(1).willReturn(aResponse().withStatus(200).withBody(NemoStub.mp4(80_000))));
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/files/out.mp4")).inScenario("expiry")
                .whenScenarioStateIs("expired").atPriority(1).willReturn(aResponse().withStatus(404)));
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/api/render/proxy/lambda/render_.*"))
                .atPriority(1).willReturn(NemoStub.json("{\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\""
                        + api.baseUrl() + "/files/out.mp4\",\"size\":80000}}")));
        drop("late");
        await().atMost(WAIT).until(() -> !api.server.findAll(getRequestedFor(urlEqualTo("/files/out.mp4"))).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !DaemonTestBase.idle(daemon.inbox.resolve(".processing")));

        api.server.setScenarioState("expiry", "expired");
        Files.delete(filler);
        await().atMost(WAIT).until(() -> Files.exists(daemon.outbox.resolve("late.json")));
        assertArrayEquals(NemoStub.mp4(80_000), Files.readAllBytes(daemon.outbox.resolve("late.mp4")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
    }

    @Test
    void anOutboxBelowTheFloorKeepsJobsInTheInboxUntouched() throws Exception {
        startWithSmallOutbox();
        Path filler = disk.fill(10_000);
        drop("waiting");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> Files.exists(daemon.inbox.resolve("waiting.yaml"))
                && Files.exists(daemon.inbox.resolve("waiting.mp4")));
        api.server.verify(0, postRequestedFor(urlEqualTo("/api/tasks/me/with-session/nemo_agent")));
        // The operator sees why: health is DOWN on the disk, and the job view says intake waits for room.
        io.reelbox.testing.OpsClient ops = io.reelbox.testing.OpsClient.of(daemon);
        var health = ops.get("/observe/health/ready");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("{\"name\":\"disk\",\"status\":\"DOWN\""), health.body());
        assertEquals(200, ops.get("/observe/health/live").statusCode(), "a full disk is not cured by a restart");
        JsonNode view = JSON.readTree(ops.get("/api/jobs").body());
        assertEquals("paused-for-disk", view.get("intake").get("state").asText());
        assertEquals("waiting", view.get("waiting").get(0).get("name").asText());
        Files.delete(filler);
        await().atMost(WAIT).until(() -> Files.exists(daemon.outbox.resolve("waiting.json")));
        assertEquals(200, ops.get("/observe/health").statusCode());
    }

    @Test
    void aFullBackendDiskFailsTheJobAsWorkDirFullKeepingItsInputs() throws Exception {
        api = new NemoStub();
        api.stub(post(urlPathMatching("/api/upload-video/.*")).atPriority(1).willReturn(aResponse().withStatus(507)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":507,\"disk\":\"/srv/work/local\",\"message\":\"no space left on the embedded backend's disk (/srv/work/local)\"}")));
        daemon = Daemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl()));
        drop("clip");
        Path error = daemon.inbox.resolve(".failed/clip/error.json");
        await().atMost(WAIT).until(() -> Files.exists(error));
        JsonNode e = JSON.readTree(error.toFile());
        assertEquals("work-dir-full", e.path("code").asText(), e.toString());
        assertEquals("upload", e.path("stage").asText());
        assertTrue(e.path("message").asText().contains("/srv/work/local"), e.toString());
        assertTrue(e.path("hint").asText().contains("reelbox.work-dir"));
        api.server.verify(1, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        assertTrue(Files.exists(daemon.inbox.resolve(".failed/clip/clip.mp4")));
    }

    @Test
    void aRenderThatRanOutOfDiskFailsAsWorkDirFullWithoutRenderingAgain() throws Exception {
        api = new NemoStub();
        api.stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/api/render/proxy/lambda/render_.*")).atPriority(1)
                .willReturn(NemoStub.json("{\"status\":\"failed\",\"error\":\"no space left on the embedded backend's disk (/srv/work/local): the render could not be written\"}")));
        daemon = Daemon.start(root, Map.of("reelbox.api.base-url", api.baseUrl()));
        drop("long");
        Path error = daemon.inbox.resolve(".failed/long/error.json");
        await().atMost(WAIT).until(() -> Files.exists(error));
        JsonNode e = JSON.readTree(error.toFile());
        assertEquals("work-dir-full", e.path("code").asText(), e.toString());
        assertEquals("render", e.path("stage").asText());
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
        assertTrue(Files.exists(daemon.inbox.resolve(".failed/long/long.mp4")));
    }

    @Test
    void theEmbeddedBackendRunningOutOfDiskMidRenderFailsTheJobAsWorkDirFull() throws Exception {
        // The work dir (the embedded backend's uploads and renders, the journal) on a 4 MB disk.
        disk = Tmpfs.mount(root.resolve("work"), "4m");
        daemon = Daemon.start(root, Map.of("reelbox.api.base-url", "embedded", "reelbox.disk.min-free", "0",
                "reelbox.local.ffmpeg", io.reelbox.testing.Probe.ffmpeg().binary().toString()));
        // Room for the inputs, not for a minute of 1080p video with sound.
        disk.fill(150_000);
        io.reelbox.testing.Probe.still(daemon.inbox.resolve("long.jpg"), "color=c=0x304050:s=640x360");
        io.reelbox.testing.Probe.tone(daemon.inbox.resolve("long.mp3"), "sine=f=300:r=44100", 3);
        Files.writeString(daemon.inbox.resolve("long.yaml"), "prompt: a one minute 1080p video with music\n");
        Path error = daemon.inbox.resolve(".failed/long/error.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(error));
        JsonNode e = JSON.readTree(error.toFile());
        assertEquals("work-dir-full", e.path("code").asText(), e.toString());
        assertEquals("render", e.path("stage").asText());
        assertTrue(e.path("message").asText().contains("no space left"), e.toString());
        assertTrue(e.path("hint").asText().contains("reelbox.work-dir"));
        for (String input : new String[] {"long.jpg", "long.mp3", "long.yaml"}) {
            assertTrue(Files.exists(daemon.inbox.resolve(".failed/long").resolve(input)), input + " kept");
        }
        try (var outbox = Files.list(daemon.outbox)) {
            assertEquals(0, outbox.count(), "no broken video");
        }
    }
}
