package io.reelbox.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.JobRegistry;

/**
 * What one GET /api/jobs costs on an outbox of months: 10,000 finished jobs and 1,000 failed ones (BENCHMARKS.md,
 * "What watching it costs"). Prints the time of each read; not a pass/fail timing. Run:
 * mvn -B test -Dtest=JobBoardBench -Dgroups=bench -Dreelbox.excludedGroups=
 */
@Tag("bench")
class JobBoardBench {

    @TempDir
    Path root;

    @Test
    void theJobViewOfAnOutboxOfMonths() throws Exception {
        Path outbox = Files.createDirectories(root.resolve("outbox"));
        Path failed = Files.createDirectories(root.resolve("inbox/.failed"));
        for (int i = 0; i < 10_000; i++) {
            Files.writeString(outbox.resolve("v" + i + ".json"), "{\"job\":\"v" + i + "\",\"job_id\":\"id" + i
                    + "\",\"status\":\"completed\",\"video\":\"v" + i + ".mp4\",\"finished_at\":\"2026-11-24T10:00:00Z\","
                    + "\"renders\":[{\"duration_seconds\":10}]}");
            Files.writeString(outbox.resolve("v" + i + ".mp4"), "x");
        }
        for (int i = 0; i < 1_000; i++) {
            Path f = Files.createDirectories(failed.resolve("f" + i));
            Files.writeString(f.resolve("error.json"), "{\"job\":\"f" + i + "\",\"job_id\":\"fid" + i
                    + "\",\"code\":\"x\",\"failed_at\":\"2026-11-24T10:00:00Z\"}");
        }
        JobBoard board = new JobBoard(new JobRegistry(), new InboxScanner(new InboxScanner.Layout(root.resolve("inbox")),
                java.time.Clock.systemUTC(), "bench"), outbox, JobBoard.JSON::createObjectNode, List::of);
        // The folders were written just now: the first reads cannot trust their times (FolderListing.RACY_MILLIS) and read it all.
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(2_100)).until(() -> true);
        for (int r = 1; r <= 6; r++) {
            long t0 = System.nanoTime();
            var view = board.all();
            System.out.printf("BENCH read %d of the job view (10,000 done, 1,000 failed): %.1f ms%n", r,
                    (System.nanoTime() - t0) / 1e6);
            assertEquals(50, view.get("done").size());
        }
        // A busy daemon: a new report now and then. Each one makes the outbox be read again (with its parsed reports kept).
        for (int n = 1; n <= 5; n++) {
            Files.writeString(outbox.resolve("new" + n + ".json"), "{\"job\":\"new\",\"job_id\":\"new" + n
                    + "\",\"status\":\"completed\",\"video\":\"new.mp4\",\"finished_at\":\"2026-11-25T10:00:0" + n + "Z\"}");
            long t0 = System.nanoTime();
            assertEquals("new" + n, board.all().get("done").get(0).get("id").asText(), "a new report is seen at once");
            System.out.printf("BENCH the read after new report %d: %.1f ms%n", n, (System.nanoTime() - t0) / 1e6);
        }
    }
}
