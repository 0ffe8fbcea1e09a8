package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import io.reelbox.local.analysis.ClipProfile;
import io.reelbox.local.plan.MomentPicker.Choice;
import io.reelbox.local.plan.MomentPicker.Moment;

/** Choosing the best stretches of profiles whose lively windows, shot cuts and pauses are set by the test. */
class MomentPickerTest {

    private static final int FPS = 30;
    private static final int R = ClipProfile.RATE;

    /** A profile of {@code seconds}: lively (moving, bright, sharp, loud) inside the windows, dark and still outside. */
    static ClipProfile profile(double seconds, int[] cutSamples, double[]... windows) {
        int n = (int) Math.round(seconds * R);
        double[] motion = new double[n];
        double[] luma = new double[n];
        double[] sharp = new double[n];
        double[] loud = new double[n];
        double[] level = new double[(int) (seconds * ClipProfile.LEVEL_RATE)];
        Arrays.fill(luma, 20);
        Arrays.fill(loud, ClipProfile.SILENT);
        Arrays.fill(level, ClipProfile.SILENT);
        for (double[] w : windows) {
            for (int i = (int) Math.round(w[0] * R); i < Math.min(n, Math.round(w[1] * R)); i++) {
                motion[i] = 8;
                luma[i] = 110;
                sharp[i] = 800;
                loud[i] = -20;
            }
            for (int i = (int) Math.round(w[0] * ClipProfile.LEVEL_RATE); i < Math.min(level.length, Math.round(w[1] * ClipProfile.LEVEL_RATE)); i++) {
                level[i] = -20;
            }
        }
        return new ClipProfile(motion, luma, new boolean[n], sharp, loud, level, cutSamples, n / (double) R);
    }

    private static double livelyShare(List<Moment> moments, double[]... windows) {
        int inside = 0;
        int all = 0;
        for (Moment m : moments) {
            for (int f = m.in(); f < m.end(); f++) {
                all++;
                double t = f / (double) FPS;
                for (double[] w : windows) {
                    if (t >= w[0] && t < w[1]) {
                        inside++;
                        break;
                    }
                }
            }
        }
        return inside / (double) all;
    }

    @Test
    void aShortenedClipKeepsItsLivelyWindowNotItsStart() {
        double[] window = {11, 16};
        Choice c = MomentPicker.pick(profile(20, new int[0], window), 20 * FPS - 1, 4 * FPS, new int[0]);
        assertTrue(c.chosen());
        assertEquals(1, c.moments().size(), c.moments().toString());
        assertEquals(4 * FPS, c.moments().get(0).length());
        assertEquals(1.0, livelyShare(c.moments(), window), 1e-9, c.moments().toString());
    }

    @Test
    void twoWindowsApartGiveTwoMomentsInTheirOrder() {
        double[] a = {2, 6};
        double[] b = {14, 18};
        Choice c = MomentPicker.pick(profile(20, new int[0], a, b), 20 * FPS - 1, 8 * FPS, new int[0]);
        assertEquals(2, c.moments().size(), c.moments().toString());
        assertTrue(c.moments().get(0).end() <= c.moments().get(1).in(), "in order, apart");
        assertEquals(8 * FPS, c.moments().stream().mapToInt(Moment::length).sum(), "exactly the budget");
        assertTrue(livelyShare(c.moments(), a, b) >= 0.95, c.moments().toString());
    }

    @Test
    void aSecondMomentMustEarnItsJumpCut() {
        // The second window is only a fifth of a second lively beyond what one stretch reaches: not worth a jump.
        double[] a = {2, 7.8};
        double[] b = {12, 12.4};
        Choice c = MomentPicker.pick(profile(20, new int[0], a, b), 20 * FPS - 1, 6 * FPS, new int[0]);
        assertEquals(1, c.moments().size(), c.moments().toString());
    }

    @RepeatedTest(20)
    void everyChoiceKeepsTheRules(org.junit.jupiter.api.RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        double seconds = 5 + random.nextInt(60);
        double[][] windows = new double[1 + random.nextInt(4)][];
        for (int i = 0; i < windows.length; i++) {
            double from = random.nextDouble() * seconds;
            windows[i] = new double[] {from, from + 0.5 + random.nextDouble() * 6};
        }
        int natural = (int) (seconds * FPS) - 1;
        int budget = 10 + random.nextInt(natural - 10);
        Choice c = MomentPicker.pick(profile(seconds, new int[0], windows), natural, budget, new int[0]);
        List<Moment> m = c.moments();
        assertEquals(budget, m.stream().mapToInt(Moment::length).sum(), "exactly the budget: " + m);
        assertTrue(m.size() <= MomentPicker.MAX_RUNS);
        for (int j = 0; j < m.size(); j++) {
            assertTrue(m.get(j).in() >= 0 && m.get(j).end() <= natural, "inside the clip: " + m);
            assertTrue(m.size() == 1 || m.get(j).length() >= MomentPicker.MIN_SECONDS * FPS, "each at least 1.5 s: " + m);
            if (j > 0) {
                assertTrue(m.get(j - 1).end() < m.get(j).in(), "in order and apart: " + m);
            }
        }
    }

    @Test
    void aMomentStartsAfterAShotCutNotOnTheFramesBeforeIt() {
        // Lively from 10 s, where a new shot starts (sample 50); the search's units alone would start a few frames early.
        double[] w = {10, 20};
        Choice c = MomentPicker.pick(profile(30, new int[] {50, 101}, w), 30 * FPS - 1, 3 * FPS + 7, new int[0]);
        Moment m = c.moments().get(0);
        int firstOfShot = 50 * FPS / R;
        assertTrue(m.in() >= firstOfShot, "starts inside the new shot: " + m);
        assertTrue(m.in() - firstOfShot <= FPS / 2, "and close to its start: " + m);
    }

    @Test
    void aMomentEndsInAPauseWhenOneIsWithinHalfASecond() {
        // Words of 0.7 s and pauses of 0.3 s, the picture lively from 5 s: the best 3.1 s from there ends mid-word.
        ClipProfile base = profile(20, new int[0], new double[] {5, 15});
        double[] level = base.level().clone();
        for (int i = 0; i < level.length; i++) {
            double t = i / (double) ClipProfile.LEVEL_RATE;
            level[i] = t % 1 >= 0.7 ? ClipProfile.SILENT : -20;
        }
        ClipProfile talk = new ClipProfile(base.motion(), base.luma(), base.black(), base.sharpness(), base.loudness(), level,
                base.cuts(), base.seconds());
        Choice c = MomentPicker.pick(talk, 20 * FPS - 1, 3 * FPS + 3, new int[0]);
        Moment m = c.moments().get(0);
        for (int boundary : new int[] {m.in(), m.end()}) {
            double t = boundary / (double) FPS;
            assertTrue(talk.pauseAt(t - 0.025) || talk.pauseAt(t + 0.025), "no word cut at " + t + " s: " + m);
        }
    }

    @Test
    void theJumpBetweenTwoMomentsFallsOnABeat() {
        double[] a = {2, 6};
        double[] b = {14, 18};
        // A beat every 0.6 s (18 frames), from the clip's place in the video, offset so that 4 s (120) is off the beat.
        int[] beats = java.util.stream.IntStream.range(0, 20).map(k -> 9 + 18 * k).toArray();
        Choice c = MomentPicker.pick(profile(20, new int[0], a, b), 20 * FPS - 1, 8 * FPS, beats);
        assertEquals(2, c.moments().size());
        int jump = c.moments().get(0).length();
        assertTrue(Arrays.stream(beats).anyMatch(f -> f == jump), "the jump at frame " + jump + " is a beat");
        assertEquals(8 * FPS, c.moments().stream().mapToInt(Moment::length).sum());
    }

    @Test
    void aDullOrUnanalysedClipStartsFromItsBeginningAndSaysWhy() {
        Choice dull = MomentPicker.pick(profile(60, new int[0]), 60 * FPS - 1, 5 * FPS, new int[0]);
        assertFalse(dull.chosen());
        assertEquals(List.of(new Moment(0, 5 * FPS)), dull.moments());
        assertTrue(dull.why().contains("stands out"), dull.why());
        Choice failed = MomentPicker.pick(ClipProfile.failed(), 60 * FPS - 1, 5 * FPS, new int[0]);
        assertTrue(failed.why().startsWith("I could not analyse"), failed.why());
        Choice none = MomentPicker.pick(null, 60 * FPS - 1, 5 * FPS, new int[0]);
        assertEquals("", none.why(), "a clip never analysed says nothing");
        // Only 4 s of a 20 s clip decoded: the rest of it is unknown, so nothing is chosen from it.
        ClipProfile partly = profile(4, new int[0], new double[] {1, 3});
        Choice part = MomentPicker.pick(partly, 20 * FPS - 1, 6 * FPS, new int[0]);
        assertTrue(part.why().contains("only in part"), part.why());
    }

    @Test
    void aBudgetUnderTheMinimumIsOneStretch() {
        Choice c = MomentPicker.pick(profile(20, new int[0], new double[] {12, 13}), 20 * FPS - 1, 20, new int[0]);
        assertEquals(1, c.moments().size());
        assertEquals(20, c.moments().get(0).length());
        assertTrue(c.moments().get(0).in() >= 11 * FPS && c.moments().get(0).end() <= 13.5 * FPS, c.moments().toString());
    }

    @Test
    void aTenMinuteClipIsSearchedQuickly() {
        double[][] windows = new double[40][];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new double[] {i * 15 + 3, i * 15 + 6};
        }
        Choice c = MomentPicker.pick(profile(600, new int[0], windows), 600 * FPS - 1, 20 * FPS, new int[0]);
        assertEquals(20 * FPS, c.moments().stream().mapToInt(Moment::length).sum());
        assertTrue(c.moments().size() >= 6, "a highlight of its many lively moments: " + c.moments());
        assertTrue(livelyShare(c.moments(), windows) >= 0.9, c.moments().toString());
    }
}
