package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Media;

/** The inbox contract of README.md, end to end: what is picked up, where everything goes, what is refused. */
class InboxContractTest extends DaemonTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.inbox.media-timeout", "1s");
    }

    @Test
    void multiFileFlatJobUploadsInSidecarOrder() throws Exception {
        Media.jpg(daemon.inbox.resolve("b.jpg"));
        Media.jpg(daemon.inbox.resolve("a.jpg"));
        Media.mp3(daemon.inbox.resolve("song.mp3"));
        Files.writeString(daemon.inbox.resolve("promo.yaml"), "prompt: combine\nmedia: [b.jpg, a.jpg, song.mp3]\noutput: launch\n");
        JsonNode report = awaitReport("launch");
        assertEquals(List.of("promo.yaml", "b.jpg", "a.jpg", "song.mp3"),
                report.path("inputs").findValuesAsText("name"));
        // One upload per medium, in the sidecar's order.
        List<String> uploads = api.server.findAll(postRequestedFor(urlPathMatching("/api/upload-video/.*")))
                .stream().map(r -> r.getBodyAsString().replaceAll("(?s).*filename=\"([^\"]+)\".*", "$1")).toList();
        assertEquals(List.of("b.jpg", "a.jpg", "song.mp3"), uploads);
        for (String n : List.of("promo.yaml", "b.jpg", "a.jpg", "song.mp3")) {
            assertTrue(Files.exists(daemon.inbox.resolve(".done/promo").resolve(n)), n);
        }
    }

    @Test
    void folderJobAndTxtSidecar() throws Exception {
        Path folder = Files.createDirectories(daemon.inbox.resolve("trip"));
        Media.jpg(folder.resolve("1.jpg"));
        Media.mp4(folder.resolve("2.mp4"));
        Files.writeString(folder.resolve("job.txt"), "a 30 second vertical reel");
        JsonNode report = awaitReport("trip");
        assertTrue(report.path("renders").get(0).path("prompt").asText().startsWith("a 30 second vertical reel"));
        assertTrue(Files.exists(daemon.inbox.resolve(".done/trip/2.mp4")));
        assertFalse(Files.exists(folder));
    }

    @Test
    void outboxNamesAreNeverReused() throws Exception {
        Files.writeString(daemon.outbox.resolve("beach.mp4"), "the user's own file");
        drop("beach", "prompt: p");
        awaitReport("beach-2");
        assertEquals("the user's own file", Files.readString(daemon.outbox.resolve("beach.mp4")));
        drop("beach", "prompt: again");
        awaitReport("beach-3");
        assertTrue(Files.isDirectory(daemon.inbox.resolve(".done/beach-2")), "a second drop of the same name is a new job");
    }

    @Test
    void severalRendersFromOneSession() throws Exception {
        Media.jpg(daemon.inbox.resolve("batch.jpg"));
        Files.writeString(daemon.inbox.resolve("batch.yaml"), """
                renders:
                  - prompt: a 15-second teaser
                    output: teaser
                  - prompt: the full cut
                    output: full
                """);
        JsonNode teaser = awaitReport("teaser");
        awaitReport("full");
        assertEquals(2, teaser.path("renders").size());
        api.server.verify(1, postRequestedFor(urlPathMatching("/api/tasks/.*")));
        api.server.verify(2, postRequestedFor(urlPathMatching("/api/render/proxy/lambda")));
    }

    @Test
    void badSidecarsFailWithTheirFilesKept() throws Exception {
        Media.jpg(daemon.inbox.resolve("nope.jpg"));
        Files.writeString(daemon.inbox.resolve("nope.yaml"), "media: [nope.jpg]\n");
        JsonNode error = awaitFailure("nope");
        assertEquals("bad-sidecar", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("has no prompt"));
        assertTrue(Files.exists(daemon.inbox.resolve(".failed/nope/nope.yaml")));

        Files.writeString(daemon.inbox.resolve("broken.json"), "{\"prompt\": ");
        assertTrue(awaitFailure("broken").path("message").asText().contains("not valid JSON"));
        api.server.verify(0, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
    }

    @Test
    void mediaThatAreNotWhatTheySayAreRefusedBeforeUpload() throws Exception {
        Files.writeString(daemon.inbox.resolve("fake.mp4"), "#!/bin/sh\nrm -rf /\n");
        Files.writeString(daemon.inbox.resolve("fake.yaml"), "prompt: p");
        assertEquals("content-mismatch", awaitFailure("fake").path("code").asText());
        Files.write(daemon.inbox.resolve("empty.jpg"), new byte[0]);
        Files.writeString(daemon.inbox.resolve("empty.yaml"), "prompt: p\nmedia: [empty.jpg]");
        assertEquals("empty-file", awaitFailure("empty").path("code").asText());
        Files.writeString(daemon.inbox.resolve("doc.pdf"), "%PDF");
        Files.writeString(daemon.inbox.resolve("doc.yaml"), "prompt: p\nmedia: [doc.pdf]");
        assertEquals("unsupported-type", awaitFailure("doc").path("code").asText());
        api.server.verify(0, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
    }

    @Test
    void missingMediaFailAfterTheTimeoutAndAFixedJobMovedBackRuns() throws Exception {
        Files.writeString(daemon.inbox.resolve("late.yaml"), "prompt: p\nmedia: [late.jpg]");
        JsonNode error = awaitFailure("late");
        assertEquals("media-missing", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("late.jpg"));

        Media.jpg(daemon.inbox.resolve("late.jpg"));
        Files.move(daemon.inbox.resolve(".failed/late/late.yaml"), daemon.inbox.resolve("late.yaml"));
        awaitReport("late");
    }

    @Test
    void aFileStillBeingWrittenIsWaitedFor() throws Exception {
        Path clip = daemon.inbox.resolve("slow.mp4");
        Files.write(clip, java.util.Arrays.copyOf(io.reelbox.testing.NemoStub.MP4, 100));
        Files.writeString(daemon.inbox.resolve("slow.yaml"), "prompt: p");
        // Keep growing the file for longer than stable-for (200 ms): at every poll it must still be in the inbox.
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Files.write(clip, new byte[64], java.nio.file.StandardOpenOption.APPEND);
            return Files.exists(daemon.inbox.resolve("slow.yaml"));
        });
        awaitReport("slow");
    }
}
