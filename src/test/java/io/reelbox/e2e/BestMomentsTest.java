package io.reelbox.e2e;

import static io.reelbox.testing.Footage.Kind.FLOOR;
import static io.reelbox.testing.Footage.Kind.LIVELY;
import static io.reelbox.testing.Footage.Kind.WALL;
import static io.reelbox.testing.Footage.part;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Footage;
import io.reelbox.testing.Probe;

/**
 * The issue's own trial, on the daemon and its embedded backend: three 20 s phone-like clips, each mostly a dark floor
 * or a still wall with a 5 s lively moment somewhere different, made into a 12-second video. The MP4's frames are
 * measured by colour, which only the lively moments have: at least 90 % of them must come from those moments (the
 * plan that cut every clip from its start kept 22 %).
 */
class BestMomentsTest {

    @TempDir
    Path root;

    @Test
    void aTwelveSecondVideoOfThreeLongClipsIsMadeOfTheirLivelyMoments() throws Exception {
        try (Daemon daemon = Daemon.start(root, Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString()))) {
            Path staging = Files.createDirectories(root.resolve("staging"));
            Footage.clip(staging.resolve("1-beach.mp4"), 640, 360, part(FLOOR, 3), part(LIVELY, 5), part(FLOOR, 12));
            Footage.clip(staging.resolve("2-park.mp4"), 640, 360, part(WALL, 13), part(LIVELY, 5), part(FLOOR, 2));
            Footage.clip(staging.resolve("3-city.mp4"), 640, 360, part(FLOOR, 8), part(LIVELY, 5), part(WALL, 7));
            Files.writeString(staging.resolve("job.yaml"), "prompt: combine my clips into a 12-second video\n");
            Files.move(staging, daemon.inbox.resolve("holiday"));
            Path report = daemon.outbox.resolve("holiday.json");
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(report));

            String reply = new ObjectMapper().readTree(report.toFile()).path("renders").get(0).path("agent_replies").get(0).asText();
            assertTrue(reply.contains("Kept the liveliest parts: 1-beach.mp4 0:03–0:08; 2-park.mp4 0:13–0:18; 3-city.mp4 0:08–0:13."), reply);
            Path video = daemon.outbox.resolve("holiday.mp4");
            assertEquals(12.0, Probe.info(video).duration(), 1 / 30.0);
            List<byte[]> frames = Probe.frames(video, 64, 36);
            long lively = frames.stream().filter(f -> Footage.saturation(f) > 40).count();
            assertTrue(lively >= 0.9 * frames.size(), lively + " of " + frames.size() + " frames from the lively moments; " + reply);
        }
    }
}
