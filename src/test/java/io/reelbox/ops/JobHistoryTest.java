package io.reelbox.ops;

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
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.JobRegistry;
import io.reelbox.testing.Daemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.TestSettings;

/** The job view is read from the folders, so it survives a restart; and a refused upload leaves nothing behind. */
class JobHistoryTest {

    @TempDir
    Path root;

    @Test
    void finishedAndFailedJobsAreListedAfterARestart() throws Exception {
        try (NemoStub api = new NemoStub()) {
            api.happyPath();
            Map<String, String> props = Map.of("reelbox.api.base-url", api.baseUrl());
            String doneId;
            String failedId;
            try (Daemon first = Daemon.start(root, props)) {
                Media.mp4(first.inbox.resolve("kept.mp4"));
                Files.writeString(first.inbox.resolve("kept.yaml"), "prompt: make a video\n");
                Files.writeString(first.inbox.resolve("broken.yaml"), "prompt: [unclosed\n");
                OpsClient ops = OpsClient.of(first);
                JsonNode v = await().atMost(Duration.ofSeconds(30)).until(() -> ops.json("/api/jobs"),
                        j -> j.get("done").size() == 1 && j.get("failed").size() == 1);
                doneId = v.get("done").get(0).get("id").asText();
                failedId = v.get("failed").get(0).get("id").asText();
            }
            try (Daemon second = Daemon.start(root, props)) {
                OpsClient ops = OpsClient.of(second);
                JsonNode v = ops.json("/api/jobs");
                assertEquals(doneId, v.get("done").get(0).get("id").asText());
                assertEquals(List.of("kept.mp4"), List.of(v.get("done").get(0).get("videos").get(0).asText()));
                assertEquals(failedId, v.get("failed").get(0).get("id").asText());
                assertEquals("bad-sidecar", v.get("failed").get(0).get("error").asText());
                assertEquals(200, ops.bytes("/api/jobs/" + doneId + "/video").statusCode());
            }
        }
    }

    @Test
    void anUploadOverTheSizeLimitIsRefusedAndNothingReachesTheInbox() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path work = Files.createDirectories(root.resolve("work"));
        var layout = new InboxScanner.Layout(inbox);
        JobRegistry registry = new JobRegistry();
        JobBoard board = new JobBoard(registry, new InboxScanner(layout, java.time.Clock.systemUTC(), "t"), root.resolve("outbox"),
                () -> JobBoard.JSON.createObjectNode(), List::of);
        JobActions actions = new JobActions(board, registry, layout, work, TestSettings.with(Map.of("reelbox.upload.max-size", "1KB")));
        Path big = Media.jpg(root.resolve("upload-1"));
        Path small = Files.write(root.resolve("upload-2"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});

        ApiAnswer refused = actions.submit("big", "a video", List.of(new JobActions.Upload("small.jpg", small, 3),
                new JobActions.Upload("big.jpg", big, Files.size(big))));
        assertEquals(413, refused.status());
        assertEquals("file-too-large", refused.body().get("error").asText());
        try (var s = Files.list(inbox)) {
            assertEquals(0, s.count(), "nothing written");
        }

        ApiAnswer taken = actions.submit(null, "a video", List.of(new JobActions.Upload("small.jpg", small, 3)));
        assertEquals(202, taken.status());
        Path job = inbox.resolve(taken.body().get("name").asText());
        assertTrue(taken.body().get("name").asText().startsWith("web-"));
        assertTrue(Files.exists(job.resolve("small.jpg")) && Files.exists(job.resolve("job.yaml")));
        assertFalse(Files.exists(small), "moved, not copied");
        try (var s = Files.list(inbox)) {
            assertEquals(1, s.count(), "no staging folder left");
        }
        assertEquals(400, actions.submit("dup", "x", List.of(new JobActions.Upload("a.jpg", big, 1),
                new JobActions.Upload("A.JPG", big, 1))).status());
    }
}
