package io.reelbox.soak;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.ChaosProxy;
import io.reelbox.testing.ChildDaemon;
import io.reelbox.testing.Probe;
import io.reelbox.testing.ServeLocal;

/**
 * The soak run of RELIABILITY.md (not part of the default suite: {@code mvn -B verify -Dgroups=soak
 * -Dreelbox.excludedGroups=}): JOBS jobs rendered for real by a local backend ({@code serve-local}, its own JVM)
 * behind a chaos proxy injecting random faults, with the daemon (its own JVM) killed with SIGKILL about every 20
 * finished jobs. At the end every job is accounted for: a video and a report, or an error.json; no input is lost.
 */
@Tag("soak")
class SoakTest {

    private static final int JOBS = Integer.getInteger("soak.jobs", 200);
    private static final int KILL_EVERY = Integer.getInteger("soak.kill-every", 20);

    @TempDir
    Path root;

    @Test
    void jobsUnderChaosAndKills() throws Exception {
        Path still = Probe.still(root.resolve("still.jpg"), "testsrc2=s=640x360");
        try (ServeLocal backend = ServeLocal.start(root, "backend");
             ChaosProxy chaos = new ChaosProxy(backend.url, 0.08, 42)) {
            run(still, chaos);
        }
    }

    private void run(Path still, ChaosProxy chaos) throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Map<String, String> props = Map.of("reelbox.api.base-url", chaos.url(), "reelbox.export.poll-interval", "200ms",
                "reelbox.prompt.recovery-first-read", "200ms", "reelbox.prompt.recovery-interval", "300ms", "reelbox.retry.redeliveries", "5",
                "reelbox.concurrency", "2");
        for (int i = 1; i <= JOBS; i++) {
            Path job = Files.createDirectories(root.resolve("staging/job" + i));
            Files.copy(still, job.resolve("photo.jpg"));
            Files.writeString(job.resolve("job.yaml"), "prompt: a 2 second 480p video titled 'Soak " + i + "'\n");
            Files.move(job, inbox.resolve("job" + i));
        }
        long t0 = System.nanoTime();
        int kills = 0;
        int restarts = 0;
        while (finished() < JOBS) {
            try (ChildDaemon d = ChildDaemon.start(root, props, "daemon-" + restarts++ + ".log")) {
                int target = Math.min(JOBS, finished() + KILL_EVERY);
                await().atMost(Duration.ofMinutes(10)).until(() -> finished() >= target);
                if (finished() < JOBS) {
                    d.kill();
                    kills++;
                } else {
                    d.stop();
                }
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        int videos = count(root.resolve("outbox"), ".mp4");
        int reports = count(root.resolve("outbox"), ".json");
        int failed = Files.exists(inbox.resolve(".failed")) ? count(inbox.resolve(".failed"), "") : 0;
        int done = count(inbox.resolve(".done"), "");
        List<String> lost = new ArrayList<>();
        for (int i = 1; i <= JOBS; i++) {
            String name = "job" + i;
            boolean inDone = Files.exists(inbox.resolve(".done/" + name + "/photo.jpg"));
            boolean inFailed = Files.exists(inbox.resolve(".failed/" + name + "/photo.jpg"));
            if (inDone == inFailed) {
                lost.add(name);
            }
        }
        System.out.printf("SOAK jobs=%d done=%d failed=%d videos=%d reports=%d lost=%d kills=%d faults=%d %s seconds=%d%n",
                JOBS, done, failed, videos, reports, lost.size(), kills, chaos.total(), chaos.injected, seconds);
        if (failed > 0) {
            try (Stream<Path> errors = Files.walk(inbox.resolve(".failed"), 2)) {
                for (Path e : errors.filter(p -> p.getFileName().toString().equals("error.json")).toList()) {
                    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.toFile());
                    System.out.printf("SOAK failed %s at %s [%s] %s%n", n.path("job").asText(), n.path("stage").asText(),
                            n.path("code").asText(), n.path("message").asText());
                }
            }
        }
        assertEquals(List.of(), lost, "every input in exactly one of .done and .failed");
        assertEquals(done, videos, "one video per finished job");
        assertEquals(videos, reports);
    }

    private int finished() throws Exception {
        Path inbox = root.resolve("inbox");
        return (Files.exists(inbox.resolve(".done")) ? count(inbox.resolve(".done"), "") : 0)
                + (Files.exists(inbox.resolve(".failed")) ? count(inbox.resolve(".failed"), "") : 0);
    }

    private static int count(Path dir, String suffix) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(suffix) && !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
