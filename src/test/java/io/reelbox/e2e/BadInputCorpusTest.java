package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;

/**
 * The bad-input corpus: each case gets a clear error (or, for odd but valid names, a video), loses nothing, and the
 * daemon serves the next job afterwards (checked after every test).
 */
class BadInputCorpusTest extends DaemonTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.inbox.media-timeout", "2s");
    }

    @AfterEach
    void stillServing() throws Exception {
        drop("next-" + System.nanoTime(), "prompt: still there?");
        await().atMost(WAIT).until(() -> {
            try (var files = Files.list(daemon.outbox)) {
                return files.anyMatch(p -> p.getFileName().toString().startsWith("next-") && p.toString().endsWith(".json"));
            }
        });
    }

    private JsonNode refused(String job, String code) throws Exception {
        JsonNode e = awaitFailure(job);
        assertEquals(code, e.path("code").asText(), e.toString());
        assertFalse(e.path("hint").asText().isBlank());
        return e;
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeUpload() throws Exception {
        Path big = daemon.inbox.resolve("huge.mp4");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(NemoStub.mp4(32));
            f.setLength(500_000_001L);
        }
        Files.writeString(daemon.inbox.resolve("huge.yaml"), "prompt: p");
        JsonNode e = refused("huge", "too-large");
        assertTrue(e.path("message").asText().contains("limit is 500 MB"));
        assertEquals(500_000_001L, Files.size(daemon.inbox.resolve(".failed/huge/huge.mp4")), "kept whole");
        api.server.verify(0, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
    }

    @Test
    void malformedYamlAndAnOverlongPrompt() throws Exception {
        Files.writeString(daemon.inbox.resolve("broken.yaml"), "prompt: [unclosed\nmedia: {\n");
        assertTrue(refused("broken", "bad-sidecar").path("message").asText().contains("not valid YAML"));
        Files.writeString(daemon.inbox.resolve("essay.txt"), "x".repeat(10_001));
        assertTrue(refused("essay", "bad-sidecar").path("message").asText().contains("the limit is 10000"));
    }

    @Test
    void pathsLeavingTheInboxAreRefusedAndNothingOutsideIsTouched() throws Exception {
        Path outside = Media.jpg(root.resolve("private.jpg"));
        Files.createSymbolicLink(daemon.inbox.resolve("sneaky.jpg"), outside);
        Files.writeString(daemon.inbox.resolve("dotdot.yaml"), "prompt: p\nmedia: [../private.jpg]");
        refused("dotdot", "unsafe-path");
        Files.writeString(daemon.inbox.resolve("absolute.yaml"), "prompt: p\nmedia: [\"" + outside + "\"]");
        refused("absolute", "unsafe-path");
        Files.writeString(daemon.inbox.resolve("linked.yaml"), "prompt: p\nmedia: [sneaky.jpg]");
        refused("linked", "unsafe-path");
        assertTrue(Files.exists(outside));
        assertTrue(Files.isSymbolicLink(daemon.inbox.resolve("sneaky.jpg")), "the link is left where it was");
        api.server.verify(0, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
    }

    @Test
    void oddNamesWorkUnchanged() throws Exception {
        String clip = "my clip (1) $(touch pwned); 'quoted' ü 日本.mp4";
        Media.mp4(daemon.inbox.resolve(clip));
        Files.writeString(daemon.inbox.resolve("odd name & co.yaml"), "prompt: p\nmedia: [\"" + clip.replace("\"", "\\\"") + "\"]\n");
        JsonNode report = awaitReport("odd name & co");
        assertEquals(clip, report.path("inputs").get(1).path("name").asText());
        assertTrue(Files.exists(daemon.inbox.resolve(".done/odd name & co").resolve(clip)));
        assertFalse(Files.exists(Path.of("pwned")) || Files.exists(daemon.inbox.resolve("pwned")), "no shell ever saw the name");
    }

    @Test
    void twoSidecarsClaimingOneFile() throws Exception {
        Media.jpg(daemon.inbox.resolve("shared.jpg"));
        Files.writeString(daemon.inbox.resolve("a.yaml"), "prompt: p\nmedia: [shared.jpg]");
        Files.writeString(daemon.inbox.resolve("b.yaml"), "prompt: p\nmedia: [shared.jpg]");
        awaitReport("a");
        JsonNode e = refused("b", "media-claimed");
        assertTrue(e.path("message").asText().contains("already taken by job a-"), e.toString());
        assertTrue(Files.exists(daemon.inbox.resolve(".done/a/shared.jpg")));
    }

    @Test
    void anUnwritableOutboxFailsCleanlyKeepingTheInputs() throws Exception {
        Path parked = root.resolve("outbox-parked");
        Files.move(daemon.outbox, parked);
        Files.writeString(daemon.outbox, "a file where the outbox folder should be");
        try {
            drop("blocked", "prompt: p");
            JsonNode e = refused("blocked", "local-io");
            assertEquals("download", e.path("stage").asText());
            assertTrue(e.path("message").asText().contains("the outbox (" + daemon.outbox), e.toString());
            assertTrue(Files.exists(daemon.inbox.resolve(".failed/blocked/blocked.mp4")));
        } finally {
            Files.delete(daemon.outbox);
            Files.move(parked, daemon.outbox);
        }
    }
}
