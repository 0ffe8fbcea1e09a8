package io.reelbox.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Media;

/**
 * A job moved into the inbox whole is taken at once: the file-system watch polls when it arrives, and the rename
 * proves its files complete. Scans and the stability wait are set far longer than the test may take, so only that
 * path can pass it; a file written in place still waits.
 */
class FastIntakeTest extends DaemonTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.inbox.scan-interval", "60000", "reelbox.inbox.stable-for", "60s");
    }

    @Test
    void aFolderMovedInWholeIsTakenWithinASecond() throws Exception {
        // The daemon's first scan ran as it started (Daemon.start waits for that); the next is a minute away.
        Path staging = Files.createDirectories(root.resolve("staging").resolve("trip"));
        Media.jpg(staging.resolve("a.jpg"));
        Files.writeString(staging.resolve("job.yaml"), "prompt: a short video");
        await().pollInterval(Duration.ofMillis(2)).until(() -> {
            Path tick = root.resolve("staging").resolve("tick");
            Files.deleteIfExists(tick);
            Files.createFile(tick);
            return Files.getLastModifiedTime(tick).compareTo(Files.getLastModifiedTime(staging)) > 0;
        });
        Files.move(staging, daemon.inbox.resolve("trip"));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> !Files.exists(daemon.inbox.resolve("trip")));
        awaitReport("trip");
    }

    @Test
    void aFileWrittenInPlaceStillWaitsForStableFor() throws Exception {
        Media.mp4(daemon.inbox.resolve("beach.mp4"));
        Files.writeString(daemon.inbox.resolve("beach.yaml"), "prompt: p");
        // The watch polls at once; nothing may be taken for all of stable-for.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> Files.exists(daemon.inbox.resolve("beach.yaml")));
        assertTrue(Files.exists(daemon.inbox.resolve("beach.mp4")));
        assertFalse(Files.exists(daemon.outbox.resolve("beach.json")));
    }
}
