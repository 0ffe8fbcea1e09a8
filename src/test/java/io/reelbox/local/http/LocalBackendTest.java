package io.reelbox.local.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.failure.Failure;
import io.reelbox.guard.HostAllowList;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.render.RenderQueue;
import io.reelbox.nemo.AgentTranscript;
import io.reelbox.nemo.ApiException;
import io.reelbox.nemo.NemoClient;
import io.reelbox.nemo.RenderStatus;
import io.reelbox.nemo.UploadedFile;
import io.reelbox.testing.Probe;
import io.reelbox.testing.TestSettings;

/** The local backend over real HTTP, driven by Reelbox's own client: every endpoint and error of the contract. */
class LocalBackendTest {

    @TempDir
    static Path dir;
    static LocalBackend backend;
    static NemoClient client;
    static String token;
    static Path still;
    static Path song;

    @BeforeAll
    static void start() throws Exception {
        backend = LocalBackend.start(new LocalBackend.Config(dir.resolve("local"), Probe.ffmpeg(), LocalSetup.font(dir),
                2_000_000, 1, 2, Duration.ofHours(1), List.of(dir.resolve("media")), HostAllowList.of(""), -14), 0);
        client = new NemoClient(TestSettings.with(Map.of()), backend::baseUrl);
        token = client.anonymousToken("test-client").token();
        still = Probe.still(Files.createDirectories(dir.resolve("media")).resolve("photo.jpg"), "color=c=0x203040:s=640x360");
        song = Probe.tone(dir.resolve("media/song.mp3"), "sine=f=300:r=44100", 3);
    }

    /** Another backend, in {@code folder}, taking files by file: URL only under {@code roots}. */
    private static LocalBackend backendIn(Path folder, Duration retention, List<Path> roots) throws Exception {
        return LocalBackend.start(new LocalBackend.Config(folder, Probe.ffmpeg(), LocalSetup.font(dir), 2_000_000, 1, 2, retention, roots, HostAllowList.of(""), -14), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        backend.close();
    }

    @Test
    void aRebindingHostNameGetsNoTokenNoQueueAndNoFile() throws Exception {
        String sid = client.createSession(token, "en")[1];
        String link = java.net.URI.create(client.upload(token, sid, List.of(still)).get(0).cdnUrl()).getPath();
        io.reelbox.testing.RawHttp http = new io.reelbox.testing.RawHttp(backend.baseUrl());
        String evil = "evil.example:" + http.port();
        io.reelbox.testing.RawHttp.Answer token = http.send("POST", "/api/auth/anonymous-token", "{}".getBytes(),
                "Host", evil, "X-Client-Id", "page", "Content-Type", "application/json");
        assertEquals(421, token.status(), token.body());
        assertTrue(token.body().contains("reelbox.http.allowed-hosts"), token.body());
        assertEquals(421, http.get("/api/local/queue", "Host", evil).status());
        assertEquals(421, http.get(link, "Host", evil).status(), "a rendered file's link");
        assertEquals(421, http.get(link, "Host", "127.0.0.1.nip.io").status());
        assertEquals(200, http.get(link).status(), "the address itself");
        assertEquals(200, http.get(link, "Host", "localhost:" + http.port()).status());
    }

    @Test
    void tokensAndSessionsAreChecked() {
        assertTrue(token.startsWith("nmv_usr_local_"));
        assertEquals(Failure.TOKEN_INVALID, assertThrows(ApiException.class, () -> client.createSession("nmv_usr_unknown", "en")).failure());
        assertEquals(Failure.SESSION_NOT_FOUND, assertThrows(ApiException.class, () -> client.state(token, "424242")).failure());
        assertEquals(Failure.SESSION_NOT_FOUND, assertThrows(ApiException.class, () -> client.prompt(token, "424242", "p", "t")).failure());
        assertEquals(400, assertThrows(ApiException.class, () -> client.anonymousToken("")).httpStatus(), "X-Client-Id required");
        String sid = client.createSession(token, "en")[1];
        String other = client.anonymousToken("someone-else").token();
        assertEquals(Failure.SESSION_NOT_FOUND, assertThrows(ApiException.class, () -> client.state(other, sid)).failure(),
                "a session belongs to its user");
        assertTrue(sid.matches("\\d{15,}"), "a long numeric session id");
        assertEquals(100.0, client.credits(token).available());
    }

    @Test
    void uploadsAreStreamedProbedAndChecked() throws Exception {
        String sid = client.createSession(token, "en")[1];
        List<UploadedFile> files = client.upload(token, sid, List.of(still, song));
        assertEquals("image", files.get(0).fileType());
        assertEquals(640, files.get(0).width());
        assertEquals(3.0, files.get(1).duration(), 0.1);

        Path exe = Files.writeString(dir.resolve("tool.exe"), "MZ");
        assertEquals(Failure.UNSUPPORTED_FILE, assertThrows(ApiException.class, () -> client.upload(token, sid, List.of(exe))).failure());
        Path fake = Files.writeString(dir.resolve("fake.jpg"), "not a picture at all");
        assertEquals(Failure.UNSUPPORTED_FILE, assertThrows(ApiException.class, () -> client.upload(token, sid, List.of(fake))).failure(),
                "content that ffmpeg cannot read is refused");
        Path big = dir.resolve("big.mp4");
        Files.write(big, new byte[2_100_000]);
        ApiException tooBig = assertThrows(ApiException.class, () -> client.upload(token, sid, List.of(big)));
        assertTrue(tooBig.is(Failure.FILE_TOO_LARGE) || tooBig.is(Failure.UNAVAILABLE), "4002, or the connection closed on the rest of the body");

        assertEquals("photo.jpg", client.uploadUrls(token, sid, List.of(still.toUri().toString())).get(0).filename().replace("-2", ""));
        assertEquals(Failure.REJECTED, assertThrows(ApiException.class,
                () -> client.uploadUrls(token, sid, List.of("https://example.org/a.jpg"))).failure(), "never reaches beyond loopback");
    }

    @Test
    void promptPlansAndTheStateShowsTheDraft() throws Exception {
        String sid = client.createSession(token, "en")[1];
        assertNull(client.state(token, sid).get("draft").isNull() ? null : client.state(token, sid).get("draft"));
        client.upload(token, sid, List.of(still, song));
        AgentTranscript t = client.prompt(token, sid, "a 4 second 480p video titled 'Hi'", "test");
        assertEquals(1, t.toolCalls());
        assertEquals(1, t.toolResults());
        assertTrue(t.replies().get(0).startsWith("Planned a 4.0-second landscape video at 854x480"), t.replies().get(0));
        JsonNode state = client.state(token, sid);
        assertEquals(4000, state.path("draft").path("d").asLong());
        assertEquals(2, state.path("video_infos").size());
    }

    @Test
    void exportRendersWithProgressAndServesTheDownload() throws Exception {
        String sid = client.createSession(token, "en")[1];
        client.upload(token, sid, List.of(still, song));
        client.prompt(token, sid, "a 3 second 480p video", "test");
        JsonNode draft = client.state(token, sid).path("draft");
        client.export(token, sid, "render_test_1", draft);
        assertEquals(Failure.REJECTED, assertThrows(ApiException.class, () -> client.export(token, sid, "render_test_1", draft)).failure(),
                "render ids are unique");
        await().atMost(Duration.ofSeconds(60)).until(() -> client.renderStatus(token, "render_test_1").completed());
        RenderStatus s = client.renderStatus(token, "render_test_1");
        assertEquals(100, s.progress());
        assertEquals(3.0, s.durationSeconds(), 0.01);
        Path out = dir.resolve("download.mp4");
        assertEquals(s.size(), client.download(token, s.url(), out));
        assertEquals(854, Probe.info(out).width());
        // output.url is a plain link (no bearer); the API's download endpoint serves the same video.
        assertTrue(s.url().contains("/files/"), s.url());
        Path viaApi = dir.resolve("download-api.mp4");
        Files.deleteIfExists(viaApi);
        client.download(token, client.fallbackDownloadUrl("render_test_1"), viaApi);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(viaApi));
    }

    /** A new session with the photo, planned from {@code prompt} and exported as {@code renderId}. */
    private static void exportThePhoto(String prompt, String renderId) {
        String sid = client.createSession(token, "en")[1];
        client.upload(token, sid, List.of(still));
        client.prompt(token, sid, prompt, "test");
        client.export(token, sid, renderId, client.state(token, sid).path("draft"));
    }

    @Test
    void aStatusRequestThatPrefersToWaitIsAnsweredWhenTheRenderEnds() throws Exception {
        exportThePhoto("a 6 second 480p video", "render_held");
        assertTrue(client.renderStatus(token, "render_held").status().matches("pending|processing"), "plain: answered now");
        long t0 = System.nanoTime();
        RenderStatus held = client.renderStatus(token, "render_held", Duration.ofSeconds(60));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(held.completed(), "answered when it ended: " + held.status());
        assertTrue(waited < 10_000, "held no longer than the backend's cap, and here until the end: " + waited + " ms");
    }

    @Test
    void oneRenderAtATimeTheRestPending() throws Exception {
        String sid = client.createSession(token, "en")[1];
        client.upload(token, sid, List.of(still));
        client.prompt(token, sid, "a 20 second 1080p video with a slow zoom", "test");
        JsonNode draft = client.state(token, sid).path("draft");
        client.export(token, sid, "render_q1", draft);
        client.export(token, sid, "render_q2", draft);
        await().atMost(Duration.ofSeconds(30)).until(() -> "processing".equals(client.renderStatus(token, "render_q1").status()));
        assertEquals("pending", client.renderStatus(token, "render_q2").status(), "the second waits for the first");
        client.cancel(token, "render_q1");
        client.cancel(token, "render_q2");
    }

    @Test
    void oldMediaAndRendersAreSweptAway() throws Exception {
        try (LocalBackend shortLived = backendIn(dir.resolve("sweep"), Duration.ofMillis(1), List.of())) {
            NemoClient c = new NemoClient(TestSettings.with(Map.of()), shortLived::baseUrl);
            String t = c.anonymousToken("sweeper").token();
            String sid = c.createSession(t, "en")[1];
            c.upload(t, sid, List.of(still));
            Path sessionDir = dir.resolve("sweep/sessions").resolve(sid);
            assertTrue(Files.exists(sessionDir.resolve("photo.jpg")));
            shortLived.sweep();
            assertFalse(Files.exists(sessionDir));
            assertEquals(Failure.SESSION_NOT_FOUND, assertThrows(ApiException.class, () -> c.state(t, sid)).failure());
            c.close();
        }
    }

    @Test
    void aNodeOnAnotherAddressHandsOutLinksOnThatAddress() throws Exception {
        // serve-local --host: a render node other machines reach. 127.0.0.2 stands in for a network address (tests
        // stay on loopback); links must name the address the client used, not 127.0.0.1.
        java.net.InetAddress other = java.net.InetAddress.getByName("127.0.0.2");
        try (LocalBackend node = LocalBackend.start(new LocalBackend.Config(dir.resolve("node2"), Probe.ffmpeg(), LocalSetup.font(dir),
                2_000_000, 1, 2, Duration.ofHours(1), List.of(), HostAllowList.of(""), -14), other, 0);
             NemoClient c = new NemoClient(TestSettings.with(Map.of()), node::baseUrl)) {
            assertTrue(node.baseUrl().startsWith("http://127.0.0.2:"), node.baseUrl());
            String t = c.anonymousToken("far-away").token();
            String sid = c.createSession(t, "en")[1];
            String link = c.upload(t, sid, List.of(still)).get(0).cdnUrl();
            assertTrue(link.startsWith(node.baseUrl() + "/files/"), link);
            var plain = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, plain.statusCode());
            assertEquals(Files.size(still), plain.body().length, "the link serves the file itself");
            var queue = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(node.baseUrl() + "/api/local/queue")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, queue.statusCode(), "the queue needs no token");
            assertTrue(queue.body().contains("\"slots\":1") && queue.body().contains("\"rendering\":0"), queue.body());
        }
    }

    @Test
    void cancelStopsARender() throws Exception {
        exportThePhoto("a one minute 1080p video with a slow zoom", "render_cancel");
        client.cancel(token, "render_cancel");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.renderStatus(token, "render_cancel").failed());
        assertEquals("cancelled", client.renderStatus(token, "render_cancel").error());
        assertFalse(Files.exists(dir.resolve("local/renders/render_cancel.mp4")));
    }

    @Test
    void anUploadThatDoesNotFitOnItsDiskIsRefusedWith507NamingTheDisk() throws Exception {
        Path full = dir.resolve("full");
        try (io.reelbox.testing.Tmpfs disk = io.reelbox.testing.Tmpfs.mount(full, "256k");
             LocalBackend small = backendIn(full.resolve("local"), Duration.ofHours(1), List.of())) {
            // A valid-looking MP4 of 1 MB: an ftyp box, then zeros.
            Path big = dir.resolve("big.mp4");
            byte[] bytes = new byte[1_000_000];
            System.arraycopy(io.reelbox.testing.NemoStub.mp4(32), 0, bytes, 0, 32);
            Files.write(big, bytes);
            NemoClient c = new NemoClient(TestSettings.with(Map.of()), small::baseUrl);
            String t = c.anonymousToken("filler").token();
            String sid = c.createSession(t, "en")[1];
            ApiException e = assertThrows(ApiException.class, () -> c.upload(t, sid, List.of(big)));
            assertEquals(507, e.httpStatus());
            assertTrue(e.getMessage().contains("no space left") && e.getMessage().contains(full.resolve("local").toString()), e.getMessage());
            try (var left = Files.walk(full.resolve("local/sessions"))) {
                assertTrue(left.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no partial upload is left");
            }
            c.upload(t, sid, List.of(still));
            c.close();
        }
    }

    @Test
    void aRenderThatRunsOutOfDiskFailsSayingSo() throws Exception {
        Path full = dir.resolve("full-render");
        try (io.reelbox.testing.Tmpfs disk = io.reelbox.testing.Tmpfs.mount(full, "512k");
             LocalBackend small = backendIn(full.resolve("local"), Duration.ofHours(1), List.of())) {
            NemoClient c = new NemoClient(TestSettings.with(Map.of()), small::baseUrl);
            String t = c.anonymousToken("renderer").token();
            String sid = c.createSession(t, "en")[1];
            c.upload(t, sid, List.of(still, song));
            c.prompt(t, sid, "a 30 second 1080p video", "test");
            disk.fill(20_000);
            c.export(t, sid, "render_full", c.state(t, sid).path("draft"));
            await().atMost(Duration.ofSeconds(60)).until(() -> c.renderStatus(t, "render_full").failed());
            String error = c.renderStatus(t, "render_full").error();
            assertTrue(error.startsWith(RenderQueue.NO_SPACE) && error.contains(full.resolve("local").toString()), error);
            assertFalse(Files.exists(full.resolve("local/renders/render_full.mp4")), "no truncated video is offered");
            c.close();
        }
    }

    @Test
    void fileUrlsAreTakenOnlyUnderTheConfiguredRoots() throws Exception {
        String sid = client.createSession(token, "en")[1];
        // Outside the root (dir/media): another folder, a way out by .., and a link inside the root pointing out.
        Path secret = Probe.still(Files.createDirectories(dir.resolve("private")).resolve("secret.jpg"), "color=c=red:s=64x64");
        Path link = dir.resolve("media/innocent.jpg");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, secret);
        for (String url : List.of(secret.toUri().toString(), "file://" + dir.resolve("media") + "/../private/secret.jpg", link.toUri().toString())) {
            ApiException refused = assertThrows(ApiException.class, () -> client.uploadUrls(token, sid, List.of(url)), url);
            assertEquals(Failure.UNSUPPORTED_FILE, refused.failure(), url);
            assertEquals(4001, refused.apiCode());
            assertTrue(refused.getMessage().contains("reelbox.local.file-roots"), refused.getMessage());
        }
        assertEquals("photo.jpg", client.uploadUrls(token, sid, List.of(still.toUri().toString())).get(0).filename());

        try (LocalBackend none = backendIn(dir.resolve("no-roots"), Duration.ofHours(1), List.of())) {
            NemoClient c = new NemoClient(TestSettings.with(Map.of()), none::baseUrl);
            String t = c.anonymousToken("no-roots").token();
            String s2 = c.createSession(t, "en")[1];
            assertEquals(4001, assertThrows(ApiException.class, () -> c.uploadUrls(t, s2, List.of(still.toUri().toString()))).apiCode(),
                    "serve-local takes no file: URL unless told which folders");
            c.close();
        }
    }
}
