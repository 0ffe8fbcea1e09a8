package io.reelbox.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Probe;

/**
 * Refining a finished video from the folder, on the embedded backend: a follow-up sidecar ({@code refine: promo})
 * makes promo-v2.mp4 in the same session; a second keeps the first one's edits; one that changes nothing and one that
 * names no video fail with what to do; after a restart (the backend lost its sessions) the session is rebuilt from
 * .done/ and the earlier prompts; with those media gone, the refine says which. Earlier versions and inputs are never
 * touched. Measured on the MP4s.
 */
class RefineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path media;
    @TempDir
    Path root;

    @BeforeAll
    static void makeMedia() throws Exception {
        Probe.still(media.resolve("a.jpg"), "testsrc2=s=640x360");
        Probe.still(media.resolve("b.jpg"), "color=c=0x336699:s=640x360");
        Probe.tone(media.resolve("song.mp3"), "sine=f=330:r=44100", 20);
    }

    private Map<String, String> props() {
        return Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString());
    }

    /** Drops {@code files} and a sidecar as a folder job named {@code name}, as a file manager does. */
    private static void drop(Daemon d, String name, String sidecar, String... files) throws Exception {
        Path staging = Files.createDirectories(d.inbox.resolve(".staging-" + name));
        for (String f : files) {
            Files.copy(media.resolve(f), staging.resolve(f));
        }
        Files.writeString(staging.resolve("job.yaml"), sidecar);
        Files.move(staging, d.inbox.resolve(name));
    }

    private static JsonNode awaitReport(Daemon d, String video) {
        Path report = d.outbox.resolve(video + ".json");
        int before = failed(d).size();
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(report) || failed(d).size() > before);
        assertTrue(Files.exists(report), "failed instead: " + failed(d));
        try {
            return JSON.readTree(report.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode awaitFailure(Daemon d, String job) throws Exception {
        Path error = d.inbox.resolve(".failed").resolve(job).resolve("error.json");
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(error));
        return JSON.readTree(error.toFile());
    }

    private static List<String> failed(Daemon d) {
        try (Stream<Path> s = Files.list(d.inbox.resolve(".failed"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void followUpsMakeNewVersionsInTheSessionThenRebuildItAfterARestart() throws Exception {
        Path done;
        long originalBytes;
        try (Daemon d = Daemon.start(root, props())) {
            drop(d, "promo", "prompt: a 6 second video with music, static photos\n", "a.jpg", "b.jpg", "song.mp3");
            JsonNode v1 = awaitReport(d, "promo");
            Path promo = d.outbox.resolve("promo.mp4");
            originalBytes = Files.size(promo);
            assertEquals(6.0, Probe.info(promo).duration(), 0.1);
            assertEquals(3, v1.path("media_files").size(), "the report records the media for later refines");

            // A flat refine: a sidecar only. It continues the session: one prompt, no upload.
            Files.writeString(d.inbox.resolve("shorter.yaml"), "refine: promo\nprompt: make it 3 seconds\n");
            JsonNode v2 = awaitReport(d, "promo-v2");
            Path promoV2 = d.outbox.resolve("promo-v2.mp4");
            assertEquals(3.0, Probe.info(promoV2).duration(), 0.1, "the follow-up's length");
            assertEquals(1920, Probe.info(promoV2).width(), "the rest as before: landscape");
            assertEquals("promo", v2.path("refines").asText());
            assertEquals(2, v2.path("version").asInt());
            assertEquals(List.of("a 6 second video with music, static photos", "make it 3 seconds"),
                    JSON.convertValue(v2.path("history"), List.class));
            assertEquals("continued", v2.path("refine").path("session").asText());
            assertEquals(0, v2.path("uploaded").size(), "a refine of a live session uploads nothing");
            assertTrue(v2.path("renders").get(0).path("agent_replies").get(0).asText().startsWith("Changed from the previous version: length 6.0 s → 3.0 s"),
                    v2.path("renders").get(0).path("agent_replies").toString());

            // A second refine of "promo" refines its latest version and keeps the first refine's edit.
            drop(d, "vertical", "refine: promo\nprompt: vertical please\n");
            awaitReport(d, "promo-v3");
            Probe.Info v3 = Probe.info(d.outbox.resolve("promo-v3.mp4"));
            assertEquals(1080, v3.width());
            assertEquals(1920, v3.height());
            assertEquals(3.0, v3.duration(), 0.1, "still 3 s: the chain keeps every edit");

            // A follow-up that changes nothing makes no video, and says what to do.
            Files.writeString(d.inbox.resolve("same.yaml"), "refine: promo\nprompt: keep it vertical\n");
            JsonNode same = awaitFailure(d, "same");
            assertEquals("nothing-to-change", same.path("code").asText(), same.toString());
            assertFalse(Files.exists(d.outbox.resolve("promo-v4.mp4")));

            Files.writeString(d.inbox.resolve("typo.yaml"), "refine: promx\nprompt: no music\n");
            JsonNode typo = awaitFailure(d, "typo");
            assertEquals("refine-target-missing", typo.path("code").asText());
            assertTrue(typo.path("message").asText().contains("did you mean promo"), typo.toString());
            done = d.inbox.resolve(".done/promo");
        }
        assertEquals(originalBytes, Files.size(root.resolve("outbox/promo.mp4")), "earlier versions are never touched");
        assertEquals(List.of("a.jpg", "b.jpg", "job.yaml", "song.mp3"), list(done), "the original inputs stay in .done/");

        // A new daemon: the embedded backend lost every session. The refine rebuilds it: the media from .done/, the
        // three earlier prompts replayed in order, then the new one.
        try (Daemon d = Daemon.start(root, props())) {
            Files.writeString(d.inbox.resolve("quiet.yaml"), "refine: promo\nprompt: no music\n");
            JsonNode v4 = awaitReport(d, "promo-v4");
            assertEquals("rebuilt", v4.path("refine").path("session").asText());
            assertEquals(4, v4.path("history").size());
            assertEquals(3, v4.path("uploaded").size(), "the earlier media uploaded again");
            Probe.Info info = Probe.info(d.outbox.resolve("promo-v4.mp4"));
            assertEquals(1080, info.width(), "the replayed prompts kept the vertical frame");
            assertEquals(3.0, info.duration(), 0.1, "and the length");
            assertTrue(Probe.loudness(d.outbox.resolve("promo-v4.mp4"))[0] < -60, "and the new prompt took the music out");
        }
        // Once more after a restart, with the media gone from .done/: the refine cannot rebuild and says which.
        Files.delete(done.resolve("a.jpg"));
        try (Daemon d = Daemon.start(root, props())) {
            Files.writeString(d.inbox.resolve("gone.yaml"), "refine: promo\nprompt: make it 2 seconds\n");
            JsonNode gone = awaitFailure(d, "gone");
            assertEquals("refine-inputs-missing", gone.path("code").asText());
            assertTrue(gone.path("message").asText().contains("a.jpg"), gone.toString());
        }
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
