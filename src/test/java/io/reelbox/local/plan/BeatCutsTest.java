package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.analysis.Beats;

/**
 * Cuts on the beat, in the plan: the cuts (or each transition's middle) land on beats, the video keeps its length,
 * photo durations are whole beats, and every reason to keep even timing is said in the reply.
 */
class BeatCutsTest {

    private final Planner planner = new Planner();

    /** A steady beat from {@code offset}, bars every four beats, over {@code seconds}. */
    static Beats grid(double bpm, double offset, double seconds) {
        List<Double> beats = new ArrayList<>();
        for (double t = offset; t < seconds; t += 60 / bpm) {
            beats.add(t);
        }
        double[] all = beats.stream().mapToDouble(Double::doubleValue).toArray();
        double[] bars = new double[(all.length + 3) / 4];
        for (int i = 0; i < bars.length; i++) {
            bars[i] = all[i * 4];
        }
        return new Beats(bpm, all, bars, 0.8);
    }

    private static List<MediaInfo> photosAnd(int photos, Beats beats, double musicSeconds) {
        List<MediaInfo> m = new ArrayList<>();
        for (int i = 1; i <= photos; i++) {
            m.add(new MediaInfo("p" + i + ".jpg", Path.of("p" + i + ".jpg"), MediaKind.Category.IMAGE, 0, 1920, 1080, 25, false));
        }
        m.add(new MediaInfo("song.mp3", Path.of("song.mp3"), MediaKind.Category.AUDIO, musicSeconds, 0, 0, 0, true).withBeats(beats));
        return m;
    }

    /** Where each cut's first frame is, or each transition's middle, in seconds. */
    static List<Double> cuts(JsonNode draft) {
        List<Double> out = new ArrayList<>();
        JsonNode sg = draft.path("t").get(0).path("sg");
        for (int i = 1; i < sg.size(); i++) {
            int start = Timeline.frames(sg.get(i).path("st").asLong());
            int td = Timeline.frames(sg.get(i - 1).path("td").asLong(0));
            out.add((start + td / 2) / (double) Timeline.FPS);
        }
        return out;
    }

    /** Where the plan starts the music, in seconds into it. */
    static double musicIn(JsonNode draft) {
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt() == 1) {
                return t.path("sg").get(0).path("in").asLong() / 1000.0;
            }
        }
        return 0;
    }

    /** The track's beats as heard in the video, which starts the music {@code in} seconds in. */
    static double[] heard(double[] beats, double in) {
        return java.util.Arrays.stream(beats).map(b -> b - in).filter(b -> b >= 0).toArray();
    }

    static double nearestBeatGap(double t, double[] beats) {
        double best = Double.MAX_VALUE;
        for (double b : beats) {
            best = Math.min(best, Math.abs(b - t));
        }
        return best;
    }

    @Test
    void eightPhotosWithHardCutsAt100BpmCutOnEveryBeatAndKeepTheLength() {
        Beats beats = grid(100, 0.25, 60);
        Planner.Plan plan = planner.plan("a 20 second slideshow of my photos with hard cuts", null, photosAnd(8, beats, 60));
        assertEquals(20 * Timeline.FPS, Timeline.frames(plan.draft().path("d").asLong()));
        List<Double> cuts = cuts(plan.draft());
        assertEquals(7, cuts.size());
        double in = musicIn(plan.draft());
        for (double c : cuts) {
            assertTrue(nearestBeatGap(c, heard(beats.beats(), in)) <= 0.04, "cut at " + c + " s is on a beat: " + cuts);
        }
        // The music starts 1.85 s in, so the bar at 21.85 s of the song falls on the video's last moment: its fade ends there.
        assertEquals(1.85, in, 0.001);
        assertTrue(nearestBeatGap(20 + in, beats.downbeats()) < 0.001);
        // Whole beats: every photo between two cuts lasts a whole number of beats (within a frame's rounding).
        JsonNode sg = plan.draft().path("t").get(0).path("sg");
        for (int i = 1; i < sg.size() - 1; i++) {
            double beatsLong = sg.get(i).path("d").asLong() / 1000.0 / 0.6;
            assertEquals(Math.round(beatsLong), beatsLong, 0.06, "photo " + i + " lasts whole beats: " + beatsLong);
        }
        assertTrue(plan.reply().contains("Every cut falls on the beat of song.mp3 (100 BPM), which starts 1.9 s in so that its fade ends on a bar."),
                plan.reply());
    }

    @Test
    void transitionsPeakOnTheBeatAndLongSegmentsPreferBars() {
        Beats beats = grid(120, 0.1, 90);
        Planner.Plan plan = planner.plan("a 40 second video with 1 second fades", null, photosAnd(4, beats, 90));
        assertEquals(40 * Timeline.FPS, Timeline.frames(plan.draft().path("d").asLong()));
        for (double c : cuts(plan.draft())) {
            assertTrue(nearestBeatGap(c, heard(beats.downbeats(), musicIn(plan.draft()))) <= 0.04, "a 10 s segment ends on a bar: " + c);
        }
        assertTrue(plan.reply().contains("Each transition peaks on the beat of song.mp3 (120 BPM)"), plan.reply());
    }

    @Test
    void evenTimingWhenAskedWhenThereIsNoBeatOrWhenTheAnalysisFailed() {
        String prompt = "a 20 second slideshow with hard cuts";
        Planner.Plan asked = planner.plan(prompt + ", even timing", null, photosAnd(8, grid(100, 0.25, 60), 60));
        assertTrue(asked.reply().contains("Cuts are evenly timed, as asked"), asked.reply());
        assertEquals(List.of(2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 17.5), cuts(asked.draft()));
        Planner.Plan german = planner.plan("20 Sekunden, harte Schnitte, gleichmäßig", "de", photosAnd(8, grid(100, 0.25, 60), 60));
        assertTrue(german.reply().contains("evenly timed, as asked"), german.reply());

        Planner.Plan speech = planner.plan(prompt, null, photosAnd(8, Beats.none(0.05), 60));
        assertTrue(speech.reply().contains("song.mp3 has no clear beat, so the cuts are evenly timed."), speech.reply());
        Planner.Plan broken = planner.plan(prompt, null, photosAnd(8, Beats.failed(), 60));
        assertTrue(broken.reply().contains("I could not analyse the beat of song.mp3"), broken.reply());
        Planner.Plan loops = planner.plan(prompt, null, photosAnd(8, grid(100, 0.25, 8), 8));
        assertTrue(loops.reply().contains("shorter than the video and loops"), loops.reply());
        for (Planner.Plan p : List.of(speech, broken, loops)) {
            assertEquals(20 * Timeline.FPS, Timeline.frames(p.draft().path("d").asLong()));
        }
    }

    @Test
    void aClipIsNeverStretchedPastItsEndToReachABeat() {
        // Two clips, 2 s planned each; the first is 61 frames long. Beats at 1.0 s and 2.2 s: 2.2 s is nearer the even
        // cut, but past the first clip's end, so the cut moves back to 1.0 s.
        Beats beats = new Beats(50, new double[] {1.0, 2.2, 3.4}, new double[] {1.0}, 0.8);
        int[] d = BeatCuts.align(beats, new boolean[] {false, false}, new int[] {61, 200}, new int[] {60, 60}, 0, 120, 30);
        assertEquals(List.of(30, 90), List.of(d[0], d[1]));
        assertEquals(null, BeatCuts.align(beats, new boolean[] {false, false}, new int[] {61, 61}, new int[] {60, 60}, 0, 120, 30),
                "no beat fits both clips: even timing");
    }
}
