package io.reelbox.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.failure.Failure;
import io.reelbox.testing.Media;
import io.reelbox.testing.MutableClock;

class InboxScannerTest {

    @TempDir
    Path root;
    Path inbox;
    final MutableClock clock = new MutableClock();
    InboxScanner scanner;
    final InboxScanner.Rules rules = new InboxScanner.Rules(Duration.ofSeconds(2), Duration.ofMinutes(10), 10_000);

    @BeforeEach
    void setUp() throws Exception {
        inbox = Files.createDirectories(root.resolve("inbox"));
        scanner = new InboxScanner(new InboxScanner.Layout(inbox), clock, "test");
    }

    /** Two scans stable-for apart: the first sees the files, the second may claim them. */
    private List<ClaimedJob> settle() throws Exception {
        scanner.claimReady(10, rules);
        clock.advance(Duration.ofSeconds(3));
        return scanner.claimReady(10, rules);
    }

    @Test
    void flatJobWaitsForStabilityThenMovesIntoProcessing() throws Exception {
        Media.mp4(inbox.resolve("beach.mp4"));
        Files.writeString(inbox.resolve("beach.yaml"), "prompt: p");
        assertTrue(scanner.claimReady(10, rules).isEmpty(), "just arrived: not stable yet");
        clock.advance(Duration.ofSeconds(3));
        List<ClaimedJob> jobs = scanner.claimReady(10, rules);
        assertEquals(1, jobs.size());
        ClaimedJob job = jobs.get(0);
        assertEquals("beach", job.name());
        assertEquals(List.of(Path.of("beach.mp4")), job.media());
        assertTrue(Files.exists(job.workDir().resolve("beach.mp4")));
        assertFalse(Files.exists(inbox.resolve("beach.yaml")));
        assertTrue(job.workDir().startsWith(inbox.resolve(".processing")));
        assertTrue(scanner.claimReady(10, rules).isEmpty(), "claimed once");
    }

    @Test
    void aGrowingFileIsNotTaken() throws Exception {
        Path clip = Media.mp4(inbox.resolve("beach.mp4"));
        Files.writeString(inbox.resolve("beach.yaml"), "prompt: p");
        scanner.claimReady(10, rules);
        clock.advance(Duration.ofSeconds(3));
        Files.write(clip, new byte[100], java.nio.file.StandardOpenOption.APPEND);
        assertTrue(scanner.claimReady(10, rules).isEmpty(), "still being written");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(1, scanner.claimReady(10, rules).size());
    }

    @Test
    void listedMediaInOrderAndUnrelatedFilesLeftAlone() throws Exception {
        Media.jpg(inbox.resolve("b.jpg"));
        Media.jpg(inbox.resolve("a.jpg"));
        Media.mp3(inbox.resolve("song.mp3"));
        Media.jpg(inbox.resolve("other.jpg"));
        Files.writeString(inbox.resolve("promo.yaml"), "prompt: p\nmedia: [b.jpg, a.jpg, song.mp3]");
        ClaimedJob job = settle().get(0);
        assertEquals(List.of(Path.of("b.jpg"), Path.of("a.jpg"), Path.of("song.mp3")), job.media());
        assertTrue(Files.exists(inbox.resolve("other.jpg")), "media with no sidecar are left alone");
    }

    @Test
    void folderJobTakesEverySupportedFileSortedByName() throws Exception {
        Path folder = Files.createDirectories(inbox.resolve("promo"));
        Media.jpg(folder.resolve("2.jpg"));
        Media.jpg(folder.resolve("1.jpg"));
        Files.writeString(folder.resolve("notes.md"), "not media");
        Files.writeString(folder.resolve("job.yaml"), "prompt: p");
        ClaimedJob job = settle().get(0);
        assertTrue(job.folderJob());
        assertEquals(List.of(Path.of("1.jpg"), Path.of("2.jpg")), job.media());
        assertFalse(Files.exists(folder));
    }

    @Test
    void folderWithSeveralSidecarsAndNoJobFileIsRefused() throws Exception {
        Path folder = Files.createDirectories(inbox.resolve("promo"));
        Files.writeString(folder.resolve("a.yaml"), "prompt: p");
        Files.writeString(folder.resolve("b.txt"), "p");
        ClaimedJob job = settle().get(0);
        assertEquals(Failure.BAD_SIDECAR, job.intakeFailure().failure());
        assertTrue(job.intakeFailure().getMessage().contains("job.yaml"));
    }

    @Test
    void dotFilesAndTempNamesAreIgnored() throws Exception {
        Files.writeString(inbox.resolve(".hidden.yaml"), "prompt: p");
        Files.writeString(inbox.resolve("~lock.yaml"), "prompt: p");
        Files.writeString(inbox.resolve("x.yaml.part"), "prompt: p");
        Files.writeString(inbox.resolve("y.tmp"), "prompt: p");
        assertTrue(settle().isEmpty());
    }

    @Test
    void missingMediaFailAfterTheTimeoutListingTheNames() throws Exception {
        Media.jpg(inbox.resolve("a.jpg"));
        Files.writeString(inbox.resolve("promo.yaml"), "prompt: p\nmedia: [a.jpg, late.jpg]");
        assertTrue(settle().isEmpty(), "waits for late.jpg");
        clock.advance(Duration.ofMinutes(10));
        ClaimedJob job = scanner.claimReady(10, rules).get(0);
        assertEquals(Failure.MEDIA_MISSING, job.intakeFailure().failure());
        assertTrue(job.intakeFailure().getMessage().contains("late.jpg"));
        assertNull(job.spec());
        assertTrue(Files.exists(job.workDir().resolve("a.jpg")), "what did arrive goes with it");
    }

    @Test
    void pathsOutsideTheInboxAreRefusedAndNeverMoved() throws Exception {
        Path outside = Media.jpg(root.resolve("secret.jpg"));
        Files.createSymbolicLink(inbox.resolve("link.jpg"), outside);
        for (String entry : new String[] {"../secret.jpg", outside.toString(), "link.jpg"}) {
            Files.writeString(inbox.resolve("bad.yaml"), "prompt: p\nmedia: [\"" + entry + "\"]");
            ClaimedJob job = settle().get(0);
            assertEquals(Failure.BAD_SIDECAR, job.intakeFailure().failure(), entry);
            assertTrue(Files.exists(outside), entry);
        }
        assertTrue(Files.isSymbolicLink(inbox.resolve("link.jpg")), "the link itself stays put");
    }

    @Test
    void slotsLimitClaims() throws Exception {
        for (String n : new String[] {"a", "b", "c"}) {
            Media.jpg(inbox.resolve(n + ".jpg"));
            Files.writeString(inbox.resolve(n + ".yaml"), "prompt: p");
        }
        scanner.claimReady(1, rules);
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of("a"), scanner.claimReady(1, rules).stream().map(ClaimedJob::name).toList());
        assertEquals(List.of("b", "c"), scanner.claimReady(5, rules).stream().map(ClaimedJob::name).toList());
    }

    @Test
    void aDropMovedInWholeIsTakenAtOnce() throws Exception {
        // Written elsewhere, then renamed into the inbox: a folder job and a flat one.
        Path staging = Files.createDirectories(root.resolve("staging"));
        Path folder = Files.createDirectories(staging.resolve("trip"));
        Media.jpg(folder.resolve("a.jpg"));
        Files.writeString(folder.resolve("job.yaml"), "prompt: p");
        Media.mp4(staging.resolve("beach.mp4"));
        Files.writeString(staging.resolve("beach.yaml"), "prompt: p");
        awaitNextClockTick(staging);
        Files.move(folder, inbox.resolve("trip"));
        Files.move(staging.resolve("beach.mp4"), inbox.resolve("beach.mp4"));
        Files.move(staging.resolve("beach.yaml"), inbox.resolve("beach.yaml"));
        assertEquals(List.of("beach", "trip"), scanner.claimReady(10, rules).stream().map(ClaimedJob::name).sorted().toList(),
                "no stable-for wait: the rename proves the files were complete");
    }

    @Test
    void aFolderStillBeingFilledAfterItArrivedWaits() throws Exception {
        Path folder = Files.createDirectories(root.resolve("staging").resolve("trip"));
        Files.writeString(folder.resolve("job.yaml"), "prompt: p");
        awaitNextClockTick(folder);
        Files.move(folder, inbox.resolve("trip"));
        awaitNextClockTick(inbox.resolve("trip"));
        Media.jpg(inbox.resolve("trip").resolve("a.jpg"));
        assertTrue(scanner.claimReady(10, rules).isEmpty(), "a file written into it after it arrived");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(1, scanner.claimReady(10, rules).size(), "then stable-for as usual");
    }

    @Test
    void aFileRewrittenAfterItWasMovedInWaits() throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging"));
        Media.mp4(staging.resolve("beach.mp4"));
        Files.writeString(staging.resolve("beach.yaml"), "prompt: p");
        awaitNextClockTick(staging);
        Files.move(staging.resolve("beach.mp4"), inbox.resolve("beach.mp4"));
        Files.move(staging.resolve("beach.yaml"), inbox.resolve("beach.yaml"));
        awaitNextClockTick(inbox);
        Files.write(inbox.resolve("beach.mp4"), new byte[100], java.nio.file.StandardOpenOption.APPEND);
        assertTrue(scanner.claimReady(10, rules).isEmpty(), "still being written after the move");
    }

    /**
     * File times tick in steps of the kernel's clock (a few ms): wait until a file made now gets a later time than
     * {@code dir}'s, so that a rename right after is seen as later than the writes before it.
     */
    private static void awaitNextClockTick(Path dir) throws Exception {
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(dir);
        Path probe = dir.resolveSibling(".tick-" + System.nanoTime());
        org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(2)).until(() -> {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            return Files.getLastModifiedTime(probe).compareTo(before) > 0;
        });
        Files.deleteIfExists(probe);
    }

    @Test
    void claimsThatADeadNodeNeverRecordedGoBackToTheInboxOnceOldEnough() throws Exception {
        // Any node's folder (in a cluster, jobs of every node share .processing/), claimed at the time in its name.
        java.time.format.DateTimeFormatter idTime = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .withZone(java.time.ZoneOffset.UTC);
        Path processing = Files.createDirectories(inbox.resolve(".processing"));
        Path orphan = Files.createDirectories(processing.resolve("promo-" + idTime.format(clock.instant()) + "-0a1b@deadbeef"));
        Files.writeString(orphan.resolve("promo.yaml"), "prompt: a video\n");
        Path recorded = Files.createDirectories(processing.resolve("reel-" + idTime.format(clock.instant()) + "-0c2d@deadbeef"));
        java.util.function.Predicate<Path> known = dir -> dir.equals(recorded);

        scanner.returnOrphans(known, Duration.ofMinutes(2));
        assertTrue(Files.isDirectory(orphan), "a young claim may still be on its way to the journal");

        clock.advance(Duration.ofMinutes(3));
        scanner.returnOrphans(known, Duration.ofMinutes(2));
        assertTrue(Files.exists(inbox.resolve("promo/promo.yaml")), "back in the inbox under its name, to be taken again");
        assertFalse(Files.exists(orphan));
        assertTrue(Files.isDirectory(recorded), "a claim a journal knows is left to its node");
    }
}
