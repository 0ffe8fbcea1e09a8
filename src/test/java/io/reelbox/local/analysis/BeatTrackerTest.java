package io.reelbox.local.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.Probe;
import io.reelbox.testing.Tracks;
import io.reelbox.testing.Tracks.Track;

/**
 * The beat tracker on music whose beats are known: click and drum tracks from 70 to 180 BPM (F-measure at ±70 ms, as
 * MIREX scores it, and the tempo), bars on the drum tracks, and tracks with no beat, which must say so. Every track
 * goes through ffmpeg as a file would, one of each kind through MP3.
 */
class BeatTrackerTest {

    @TempDir
    static Path dir;
    static final List<String> TABLE = new ArrayList<>();

    @AfterAll
    static void print() {
        System.out.println("BEAT TRACKER (kind, true BPM, found BPM, F-measure, bar F-measure):\n" + String.join("\n", TABLE));
    }

    @Test
    void clickTracksFrom70To180Bpm() throws Exception {
        for (int bpm = 70; bpm <= 180; bpm += 10) {
            Track t = Tracks.clicks(dir.resolve("click" + bpm + ".wav"), bpm, 0.37, 20);
            check("clicks", bpm, t, bpm == 120 ? "mp3" : null);
        }
    }

    @Test
    void drumTracksFrom70To180BpmWithTheirBars() throws Exception {
        for (int bpm = 70; bpm <= 180; bpm += 10) {
            Track t = Tracks.drums(dir.resolve("drums" + bpm + ".wav"), bpm, 0.52, 20, bpm);
            Beats b = check("drums", bpm, t, bpm == 100 ? "mp3" : null);
            double bars = Tracks.fMeasure(t.downbeats(), b.downbeats(), 0.07);
            TABLE.set(TABLE.size() - 1, TABLE.get(TABLE.size() - 1) + String.format(" %.3f", bars));
            assertTrue(bars >= 0.9, "bars at " + bpm + " BPM: " + bars);
        }
    }

    @Test
    void speechAndPadsHaveNoClearBeat() throws Exception {
        for (Track t : List.of(Tracks.speechLike(dir.resolve("speech.wav"), 20, 7), Tracks.pads(dir.resolve("pads.wav"), 20))) {
            Beats b = analyse(t.file());
            TABLE.add(String.format("%s clarity %.2f bpm %.1f beats %d", t.file().getFileName(), b.clarity(), b.bpm(), b.beats().length));
            assertFalse(b.clear(), t.file().getFileName() + ": clarity " + b.clarity());
        }
    }

    @Test
    void silenceAndTinyFilesGiveNoBeatRatherThanAnError() throws Exception {
        Path silence = Probe.tone(dir.resolve("silence.wav"), "anullsrc=r=44100:cl=mono", 10);
        assertFalse(analyse(silence).clear());
        Path blip = Probe.tone(dir.resolve("blip.wav"), "sine=f=440:r=44100", 1);
        assertFalse(analyse(blip).clear());
    }

    private Beats check(String kind, int bpm, Track t, String via) throws Exception {
        Path file = t.file();
        if (via != null) {
            file = dir.resolve(kind + bpm + "." + via);
            Probe.ffmpeg().run(List.of("-y", "-i", t.file().toString(), "-b:a", "192k", file.toString()), 60);
        }
        Beats b = analyse(file);
        double f = Tracks.fMeasure(t.beats(), b.beats(), 0.07);
        double bias = bias(t.beats(), b.beats());
        assertTrue(Math.abs(bias) <= 0.015, kind + " at " + bpm + ": beats are " + Math.round(bias * 1000) + " ms off on average");
        TABLE.add(String.format("%s%s %d %.2f %.3f clarity %.2f bias %+.0f ms", kind, via == null ? "" : " (" + via + ")", bpm, b.bpm(), f,
                b.clarity(), bias(t.beats(), b.beats()) * 1000));
        assertTrue(f >= 0.95, kind + " at " + bpm + " BPM: F " + f + ", found " + b.bpm() + " BPM");
        assertEquals(bpm, b.bpm(), bpm * 0.02, kind + " tempo");
        assertTrue(b.clear(), kind + " at " + bpm + ": clarity " + b.clarity());
        return b;
    }

    /** The mean signed distance from each found beat to the nearest true one (positive: late). */
    static double bias(double[] truth, double[] found) {
        double sum = 0;
        for (double f : found) {
            double best = Double.MAX_VALUE;
            for (double t : truth) {
                if (Math.abs(f - t) < Math.abs(best)) {
                    best = f - t;
                }
            }
            sum += best;
        }
        return found.length == 0 ? 0 : sum / found.length;
    }

    static Beats analyse(Path file) throws Exception {
        return new BeatTracker().track(Onsets.of(Pcm.decode(Probe.ffmpeg(), file, 22050, 600)));
    }
}
