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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.Probe;

/**
 * A refine killed with SIGKILL at each of its safe points (target found, session rebuilt, a prelude replayed, the new
 * prompt sent, the render exported, the video published), on the embedded backend in the daemon's own JVM, so each
 * kill also loses every session. Started again, each refine makes its version exactly once: one file, one report,
 * every prompt in its history once, nothing left in .processing/.
 */
class RefineCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What each refine asks, and the log line of its safe point where the daemon is killed. */
    private static final List<String[]> POINTS = List.of(
            new String[] {"make it 3 seconds", "refines promo"},
            new String[] {"vertical", "rebuilding it"},
            new String[] {"no transitions", "prelude 1 of"},
            new String[] {"square", "verify started"},
            new String[] {"make it 2 seconds", "export started as render_"},
            new String[] {"black bars", ": wrote "});

    @TempDir
    Path root;

    private ChildDaemon start(String log) throws Exception {
        return ChildDaemon.start(root, Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString(),
                "reelbox.api.base-url", "embedded"), log);
    }

    @Test
    void aRefineKilledAtEachSafePointMakesItsVersionExactlyOnce() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path outbox = root.resolve("outbox");
        Path staging = Files.createDirectories(inbox.resolve(".staging"));
        Probe.still(staging.resolve("a.jpg"), "testsrc2=s=640x360");
        Probe.still(staging.resolve("b.jpg"), "color=c=0x336699:s=640x360");
        Files.writeString(staging.resolve("job.yaml"), "prompt: a 4 second video, static photos\n");
        try (ChildDaemon d = start("first.log")) {
            Files.move(staging, inbox.resolve("promo"));
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(outbox.resolve("promo.json")));
        }
        for (int k = 1; k <= POINTS.size(); k++) {
            String prompt = POINTS.get(k - 1)[0];
            String point = POINTS.get(k - 1)[1];
            String job = "r" + k;
            try (ChildDaemon d = start("r" + k + "-killed.log")) {
                Files.writeString(inbox.resolve(".r.yaml"), "refine: promo\nprompt: " + prompt + "\n");
                Files.move(inbox.resolve(".r.yaml"), inbox.resolve(job + ".yaml"));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> Files.readAllLines(d.log).stream()
                        .anyMatch(l -> l.contains("Job " + job + "-") && l.contains(point)));
                d.kill();
            }
            // The kill landed mid-job: the refine is still in .processing/, its version not yet reported. Between the
            // video's publication and its report there are only milliseconds: a kill that lands after them finds the job
            // ended, and then this round checks that a restart makes nothing more (the stub-driven CrashResumeTest
            // holds a job exactly there).
            boolean endedFirst = point.equals(": wrote ") && Files.exists(outbox.resolve("promo-v" + (k + 1) + ".json"));
            if (!endedFirst) {
                assertEquals(1, list(inbox.resolve(".processing")).size(), "killed at '" + point + "' before the job ended");
            }
            if (!point.equals(": wrote ")) {
                assertFalse(Files.exists(outbox.resolve("promo-v" + (k + 1) + ".mp4")), "killed at '" + point + "' before publishing");
            }
            try (ChildDaemon d = start("r" + k + "-again.log")) {
                Path report = outbox.resolve("promo-v" + (k + 1) + ".json");
                await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(report) || Files.exists(inbox.resolve(".failed")));
                assertTrue(Files.exists(report), "killed at '" + point + "': " + Files.readString(d.log));
                await().atMost(Duration.ofSeconds(30)).until(() -> list(inbox.resolve(".processing")).isEmpty());
                JsonNode r = JSON.readTree(report.toFile());
                assertEquals(k + 1, r.path("history").size(), "every prompt once: " + r.path("history"));
                assertEquals(prompt, r.path("history").get(k).asText());
                assertFalse(Files.exists(outbox.resolve("promo-v" + (k + 2) + ".mp4")), "no second version from one refine");
                assertEquals(List.of(job + ".yaml"), list(inbox.resolve(".done/" + job)), "its sidecar moved once");
            }
        }
        Probe.Info last = Probe.info(outbox.resolve("promo-v7.mp4"));
        assertEquals(2.0, last.duration(), 0.1, "the chain kept every edit across the kills: 2 s");
        assertEquals(1080, last.width());
        assertEquals(1080, last.height(), "square");
        long videos;
        try (Stream<Path> s = Files.list(outbox)) {
            videos = s.filter(p -> p.toString().endsWith(".mp4")).count();
        }
        assertEquals(7, videos, "promo and six versions, no more");
    }

    private static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
