package io.reelbox.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's hidden temp files when several daemons share it (nodes of a cluster, or two daemons on one inbox):
 * each removes only its own leftovers at start, and another's only once nobody has written them for an hour.
 */
class OutboxTest {

    @TempDir
    Path dir;

    private Path file(String name, Duration age) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "x");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    private Set<String> left() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void tempNamesCarryTheDaemonsTagAndStayHidden() throws Exception {
        Path temp = new Outbox(dir, "0a1b2c3d").tempFor("promo.mp4");
        assertTrue(temp.getFileName().toString().matches("\\.promo\\.mp4\\.0a1b2c3d\\.[0-9a-f]{8}\\.part"), temp.toString());
        assertThrows(IllegalArgumentException.class, () -> new Outbox(dir, "node-1"), "the tag is what the temp names carry");
    }

    @Test
    void atStartADaemonRemovesItsOwnLeftoversButNotAnotherDaemonsDownloadInProgress() throws Exception {
        Outbox mine = new Outbox(dir, "aaaaaaaa");
        Path myOld = Files.writeString(mine.tempFor("a.mp4"), "killed mid-download");
        Path otherFresh = Files.writeString(new Outbox(dir, "bbbbbbbb").tempFor("b.mp4"), "downloading now");
        Path otherAbandoned = Files.writeString(new Outbox(dir, "cccccccc").tempFor("c.mp4"), "its node died");
        Files.setLastModifiedTime(otherAbandoned, FileTime.from(Instant.now().minus(Outbox.ABANDONED).minusSeconds(60)));
        file(".legacy.mp4.1234abcd.part", Duration.ofHours(2));          // before owner tags: nobody's, long untouched
        file(".recent.mp4.1234abcd.part", Duration.ofMinutes(5));        // before owner tags, but written lately
        file(".holiday.mp4.part", Duration.ofDays(3));                    // the user's own: never ours
        file("promo.mp4", Duration.ofDays(3));
        file(".notes.aaaaaaaa.txt", Duration.ofDays(3));

        assertEquals(3, mine.removeStaleTemps());

        assertFalse(Files.exists(myOld));
        assertFalse(Files.exists(otherAbandoned));
        assertTrue(Files.exists(otherFresh), "another daemon's download in progress is left alone");
        assertEquals(new TreeSet<>(Set.of(otherFresh.getFileName().toString(), ".recent.mp4.1234abcd.part", ".holiday.mp4.part",
                "promo.mp4", ".notes.aaaaaaaa.txt")), left());
    }

    @Test
    void whileRunningOnlyAbandonedTempsGoNeverTheDaemonsOwn() throws Exception {
        Outbox mine = new Outbox(dir, "aaaaaaaa");
        Path myDownload = Files.writeString(mine.tempFor("a.mp4"), "downloading now");
        Files.setLastModifiedTime(myDownload, FileTime.from(Instant.now().minus(Duration.ofHours(3))));   // a slow one
        Path otherAbandoned = Files.writeString(new Outbox(dir, "cccccccc").tempFor("c.mp4"), "its node died");
        Files.setLastModifiedTime(otherAbandoned, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path otherFresh = Files.writeString(new Outbox(dir, "bbbbbbbb").tempFor("b.mp4"), "downloading now");

        assertEquals(1, mine.removeAbandonedTemps());

        assertTrue(Files.exists(myDownload));
        assertTrue(Files.exists(otherFresh));
        assertFalse(Files.exists(otherAbandoned));
    }
}
