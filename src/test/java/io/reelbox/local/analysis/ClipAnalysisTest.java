package io.reelbox.local.analysis;

import static io.reelbox.testing.Footage.Kind.FLOOR;
import static io.reelbox.testing.Footage.Kind.LIVELY;
import static io.reelbox.testing.Footage.Kind.TALK;
import static io.reelbox.testing.Footage.Kind.WALL;
import static io.reelbox.testing.Footage.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.testing.Footage;
import io.reelbox.testing.Probe;

/** The profile of generated clips whose dull and lively stretches, shot cuts and pauses are known. */
class ClipAnalysisTest {

    @TempDir
    Path dir;

    private ClipProfile profile(Path file) throws Exception {
        MediaInfo clip = MediaInfo.probe(Probe.ffmpeg(), "c", file, MediaKind.MP4);
        MediaInfo analysed = new MediaAnalysis().analyse(Probe.ffmpeg(), clip);
        return analysed.profile();
    }

    @Test
    void theLivelyStretchIsWorthMostAndItsEdgesAreShotCuts() throws Exception {
        ClipProfile p = profile(Footage.clip(dir.resolve("a.mp4"), 640, 360, part(FLOOR, 6), part(LIVELY, 5), part(WALL, 6)));
        assertEquals(17, p.seconds(), 0.3);
        int rate = ClipProfile.RATE;
        // The stretches' insides, a sample clear of each edge.
        for (int i = 0; i < p.samples(); i++) {
            double t = i / (double) rate;
            if (t > 6.2 && t < 10.8) {
                assertTrue(p.worth(i) > 0.6, "lively at " + t + " s: " + p.worth(i));
            } else if (t < 5.8 || t > 11.2) {
                assertTrue(p.worth(i) < 0.05, "dull at " + t + " s: " + p.worth(i));
            }
        }
        assertEquals(2, p.cuts().length, "the two edges are shot cuts, steady movement is none: " + Arrays.toString(p.cuts()));
        assertEquals(6 * rate, p.cuts()[0], 1);
        assertEquals(11 * rate, p.cuts()[1], 1);
        assertTrue(p.frozen(14 * rate), "the grey wall does not move");
        assertFalse(p.frozen(8 * rate));
        assertTrue(p.black()[2 * rate], "the floor is black");
        assertFalse(p.black()[8 * rate]);
        assertTrue(p.sharpness()[8 * rate] > 100 * Math.max(1, p.sharpness()[14 * rate]), "the pattern is sharp, the wall flat");
        assertTrue(p.loudness()[8 * rate] > -35 && p.loudness()[2 * rate] < -60, "loud tone, near-silent floor");
    }

    @Test
    void speechHasItsPausesFound() throws Exception {
        ClipProfile p = profile(Footage.clip(dir.resolve("talk.mp4"), 320, 180, part(TALK, 6)));
        for (double t = 0.1; t < 5.9; t += 0.1) {
            double inWord = t % 1.0;
            if (inWord > 0.1 && inWord < 0.5) {
                assertFalse(p.pauseAt(t), "a word at " + t + " s");
            } else if (inWord > 0.7 && inWord < 0.9) {
                assertTrue(p.pauseAt(t), "a pause at " + t + " s");
            }
        }
    }

    @Test
    void aClipWithoutSoundOrOfHalfASecondStillHasAProfile() throws Exception {
        Path silent = dir.resolve("silent.mp4");
        Probe.make("-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=3", "-an", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                silent.toString());
        ClipProfile p = profile(silent);
        assertEquals(3, p.seconds(), 0.3);
        assertEquals(ClipProfile.SILENT, p.loudness()[5]);
        assertTrue(p.worth(5) > 0.3, "moving and sharp without sound: " + p.worth(5));
        ClipProfile half = profile(Footage.clip(dir.resolve("half.mp4"), 320, 180, part(LIVELY, 0.5)));
        assertEquals(0.5, half.seconds(), 0.25);
    }

    @Test
    void aFileThatIsNoClipIsMarkedFailedNotThrown() throws Exception {
        Path fake = java.nio.file.Files.write(dir.resolve("fake.mp4"), new byte[4096]);
        MediaInfo info = new MediaInfo("f", fake, MediaKind.Category.VIDEO, 10, 640, 360, 30, true);
        assertTrue(new MediaAnalysis().analyse(Probe.ffmpeg(), info).profile().isFailed());
    }
}
