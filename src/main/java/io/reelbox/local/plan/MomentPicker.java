package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.reelbox.local.Timeline;
import io.reelbox.local.analysis.ClipProfile;

/**
 * Chooses which frames of a clip to keep when it must be shortened: the stretch, or up to {@link #MAX_RUNS}
 * stretches in their order, whose pictures and sound are worth most ({@link ClipProfile#worth}), found exactly by
 * dynamic programming over {@link #UNIT}-frame units. Each stretch lasts at least {@link #MIN_SECONDS}; a second one
 * must earn its jump cut. Then each stretch moves up to half a second to start and end on a shot's cut rather than
 * just across it, and on a pause rather than into a word; with music, the jump between two stretches moves to the
 * nearest beat.
 */
public final class MomentPicker {

    static final int FPS = Timeline.FPS;
    /** Frames per unit of the search: two profile samples, 0.4 s. */
    static final int UNIT = 2 * FPS / ClipProfile.RATE;
    static final double MIN_SECONDS = 1.5;
    static final int MAX_RUNS = 8;
    private static final int SNAP = FPS / 2;
    /** Under this average worth nothing in a clip stands out, and its start is as good as any part. */
    static final double DULL = 0.1;

    private MomentPicker() {
    }

    /** One kept stretch: its first frame in the clip, and how many frames it lasts. */
    public record Moment(int in, int length) {
        public int end() {
            return in + length;
        }
    }

    /**
     * The stretches to keep, in order, and whether they were chosen; when not, the clip's start, and why: a sentence
     * with {@code %s} for the clip's name (empty when there is nothing to say).
     */
    public record Choice(List<Moment> moments, boolean chosen, String why) {
    }

    /**
     * @param natural the clip's usable frames
     * @param budget  the frames the plan gives it (less than {@code natural})
     * @param beats   the music's beats as frames from the start of the clip's place in the video; empty without music
     */
    public static Choice pick(ClipProfile profile, int natural, int budget, int[] beats) {
        List<Moment> start = List.of(new Moment(0, budget));
        if (profile == null) {
            return new Choice(start, false, "");
        }
        if (profile.isFailed()) {
            return new Choice(start, false, "I could not analyse %s");
        }
        int usable = Math.min(natural, (int) Math.floor(profile.seconds() * FPS));
        if (usable < budget) {
            return new Choice(start, false, "%s could be decoded only in part");
        }
        double[] value = unitValues(profile, usable / UNIT);
        int units = Math.max(1, Math.round(budget / (float) UNIT));
        if (Arrays.stream(value).max().orElse(0) < DULL * 2) {
            return new Choice(start, false, "Nothing in %s stands out (it is dark, still or silent throughout)");
        }
        // Rounding to whole units may take half a unit off a stretch: the minimum allows for it.
        int minRun = Math.min(units, (int) Math.ceil((MIN_SECONDS * FPS + UNIT / 2.0) / UNIT));
        int[][] runs = BestRuns.of(value, units, minRun, Math.max(1, Math.min(MAX_RUNS, units / minRun)));
        List<Moment> moments = toFrames(runs, budget, usable);
        moments = snapToShotsAndPauses(moments, profile, usable);
        moments = jumpsOnTheBeat(moments, beats, Math.min(budget, (int) Math.ceil(MIN_SECONDS * FPS)), usable);
        return new Choice(moments, true, "");
    }

    /** The worth of each unit: the sum of its samples'. */
    static double[] unitValues(ClipProfile profile, int units) {
        int per = UNIT * ClipProfile.RATE / FPS;
        double[] value = new double[units];
        for (int u = 0; u < units; u++) {
            for (int s = 0; s < per; s++) {
                value[u] += profile.worth(u * per + s);
            }
        }
        return value;
    }

    /** The runs in frames, the longest lengthened or shortened by the rounding so that they add up to {@code budget}. */
    static List<Moment> toFrames(int[][] runs, int budget, int usable) {
        List<Moment> out = new ArrayList<>();
        int used = 0;
        int longest = 0;
        for (int[] r : runs) {
            out.add(new Moment(r[0] * UNIT, r[1] * UNIT));
            used += r[1] * UNIT;
            longest = r[1] > runs[longest][1] ? out.size() - 1 : longest;
        }
        Moment m = out.get(longest);
        int length = m.length() + budget - used;
        int hi = longest == out.size() - 1 ? usable : out.get(longest + 1).in() - 1;
        out.set(longest, new Moment(Math.max(0, Math.min(m.in(), hi - length)), length));
        return out;
    }

    /** Each moment shifted (up to half a second) to where its ends cross no shot cut and cut into no word. */
    static List<Moment> snapToShotsAndPauses(List<Moment> moments, ClipProfile profile, int usable) {
        List<Moment> out = new ArrayList<>(moments);
        double pause = profile.pauseLevel();
        for (int j = 0; j < out.size(); j++) {
            Moment m = out.get(j);
            int lo = j == 0 ? 0 : out.get(j - 1).end();
            int hi = j == out.size() - 1 ? usable : out.get(j + 1).in();
            Moment best = m;
            double bestCost = Double.MAX_VALUE;
            for (int s = -SNAP; s <= SNAP; s++) {
                int in = m.in() + s;
                if (in < lo || in + m.length() > hi) {
                    continue;
                }
                double cost = crossesCut(profile, in, true) + crossesCut(profile, in + m.length(), false)
                        + cutsIntoSound(profile, in, pause) + cutsIntoSound(profile, in + m.length(), pause) + Math.abs(s) * 0.01
                        - worthSeconds(profile, in, m.length());
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new Moment(in, m.length());
                }
            }
            out.set(j, best);
        }
        return out;
    }

    /** The worth of {@code length} frames from {@code in}, in seconds of the liveliest picture. */
    private static double worthSeconds(ClipProfile profile, int in, int length) {
        double sum = 0;
        for (int f = in; f < in + length; f++) {
            sum += profile.worth(f * ClipProfile.RATE / FPS);
        }
        return sum / FPS;
    }

    /** 1 when sound goes on across the boundary frame (a word cut in two); 0 when it starts or ends on a pause. */
    private static double cutsIntoSound(ClipProfile profile, int boundary, double pause) {
        double t = boundary / (double) FPS;
        double half = 0.5 / ClipProfile.LEVEL_RATE;
        return profile.pauseAt(t - half, pause) || profile.pauseAt(t + half, pause) ? 0 : 1;
    }

    /**
     * 3 when the half second inside a moment's start (or end) holds a shot cut: the moment would open (or close) on a
     * few frames of another shot. A cut is known to within a sample, so a moment starts at the first sample past it
     * and ends at the last sample before it.
     */
    private static double crossesCut(ClipProfile profile, int boundary, boolean start) {
        int perSample = FPS / ClipProfile.RATE;
        for (int c : profile.cuts()) {
            int before = (c - 1) * perSample + 1;
            int after = c * perSample;
            boolean crosses = start ? boundary < after && boundary + SNAP > before : boundary > before && boundary - SNAP < after;
            if (crosses) {
                return 3;
            }
        }
        return 0;
    }

    /** Each jump between two moments moved to the nearest beat within half a beat, where both keep their minimum. */
    static List<Moment> jumpsOnTheBeat(List<Moment> moments, int[] beats, int minLength, int usable) {
        if (beats.length < 2 || moments.size() < 2) {
            return moments;
        }
        int beat = beats[1] - beats[0];
        List<Moment> out = new ArrayList<>(moments);
        int at = 0;
        for (int j = 0; j + 1 < out.size(); j++) {
            Moment a = out.get(j);
            Moment b = out.get(j + 1);
            at += a.length();
            int best = 0;
            for (int f : beats) {
                int delta = f - at;
                boolean fits = Math.abs(delta) <= beat / 2 && a.length() + delta >= minLength && b.length() - delta >= minLength
                        && b.in() + delta >= a.end() + delta && b.in() + delta >= 0 && a.end() + delta <= usable;
                if (fits && (best == 0 || Math.abs(delta) < Math.abs(best))) {
                    best = delta;
                }
            }
            out.set(j, new Moment(a.in(), a.length() + best));
            out.set(j + 1, new Moment(b.in() + best, b.length() - best));
            at += best;
        }
        return out;
    }
}
