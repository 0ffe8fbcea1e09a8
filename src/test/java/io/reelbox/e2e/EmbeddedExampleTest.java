package io.reelbox.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.Probe;

/** The product's main job, offline: the daemon on the embedded backend turns inbox-example/ into a real MP4. */
class EmbeddedExampleTest {

    @TempDir
    Path root;

    @Test
    void theExampleJobBecomesASixtySecondVideo() throws Exception {
        Path example = Path.of("inbox-example", "lakeside");
        try (Daemon daemon = Daemon.start(root, Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString()))) {
            copy(example, daemon.inbox.resolve("lakeside"));
            Path report = daemon.outbox.resolve("lakeside.json");
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(report));
            await().atMost(Duration.ofSeconds(20)).until(() -> io.reelbox.testing.DaemonTestBase.idle(daemon.inbox.resolve(".processing")));

            Path video = daemon.outbox.resolve("lakeside.mp4");
            Probe.Info info = Probe.info(video);
            assertEquals(60.0, info.duration(), 1 / 30.0);
            assertEquals(1920, info.width());
            assertEquals(1080, info.height());
            assertEquals("h264", info.videoCodec());
            assertEquals("aac", info.audioCodec());
            double[] lengths = Probe.streamLengths(video, 30);
            assertEquals(lengths[0], lengths[1], 1 / 30.0, "sound as long as picture");
            assertTrue(Probe.whiteShare(Probe.frame(video, 1.0, 480, 270)) > 0.001, "the title 'Lakeside Days' at 1 s");
            // The first photo pans slowly (2 px every 5 frames of 1920): between 6 s and 14 s, 32 px at 640 wide.
            int moved = Probe.horizontalShift(Probe.frame(video, 6.0, 640, 360), Probe.frame(video, 14.0, 640, 360));
            assertTrue(moved <= -25 && moved >= -40, "the first photo's content moves left as the window pans right: " + moved);
            double[] loudness = Probe.loudness(video);
            assertEquals(-14, loudness[0], 1.0, "the example plays at -14 LUFS (it was -29.9 before the loudness passes)");
            assertTrue(loudness[1] <= -0.8, "true peak " + loudness[1]);

            JsonNode r = new ObjectMapper().readTree(report.toFile());
            assertEquals(Files.size(video), r.path("renders").get(0).path("size_bytes").asLong());
            assertTrue(r.path("renders").get(0).path("agent_replies").get(0).asText().startsWith("Planned a 60.0-second landscape video"));
            assertEquals(7, r.path("inputs").size());
            try (Stream<Path> done = Files.list(daemon.inbox.resolve(".done/lakeside"))) {
                assertEquals(7, done.count());
            }
            assertEquals(List.of(".done", ".processing"), listNames(daemon.inbox));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(daemon.workDir.resolve("token-local.json"))));
        }
        try (Stream<Path> files = Files.list(example)) {
            assertEquals(7, files.count(), "the tracked example is never touched");
        }
    }

    private static List<String> listNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        Path staging = to.resolveSibling(".staging-" + to.getFileName());
        Files.createDirectories(staging);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()));
            }
        }
        Files.move(staging, to);
    }
}
