package io.reelbox.local.plan;

import java.util.Locale;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.analysis.Beats;

/**
 * Puts a plan's cuts on the music's beat: each hard cut's first frame, or each transition's middle, moves to the beat
 * nearest where even timing put it (to a bar's first beat when the segments are a bar or longer), within what the
 * segments allow: none shorter than the shortest a plan shows, no clip past its own end, the video exactly as long.
 * Photo durations so become whole beats. The music starts as far in as puts a bar's first beat at the video's end, so
 * its fade-out ends on a bar. When the music has no clear beat, or the cuts cannot all fit, the timing stays even and
 * the reply says why.
 */
final class BeatCuts {

    /**
     * The segment lengths to use (frames), where the music starts (seconds into it), and what the reply says about
     * them (empty: nothing to say).
     */
    record Timing(int[] d, double musicIn, String says, int[] beats) {
        Timing(int[] d, String says) {
            this(d, 0, says, new int[0]);
        }
    }

    private BeatCuts() {
    }

    static Timing of(boolean evenAsked, MediaInfo music, boolean[] still, int[] natural, int[] d, int tt, int total, int minSeg) {
        if (music == null || d.length < 2 || music.beats() == null) {
            return new Timing(d, "");
        }
        String name = music.file().getFileName().toString();
        Beats beats = music.beats();
        if (evenAsked) {
            return new Timing(d, "Cuts are evenly timed, as asked, not on the beat. ");
        }
        if (beats.isFailed()) {
            return new Timing(d, "I could not analyse the beat of " + name + ", so the cuts are evenly timed. ");
        }
        if (!beats.clear()) {
            return new Timing(d, name + " has no clear beat, so the cuts are evenly timed. ");
        }
        if (music.duration() * Timeline.FPS < total) {
            return new Timing(d, name + " is shorter than the video and loops, so the cuts are evenly timed. ");
        }
        double in = barAtTheEnd(beats, total / (double) Timeline.FPS, music.duration());
        Beats heard = shifted(beats, in);
        int[] aligned = align(heard, still, natural, d, tt, total, minSeg);
        if (aligned == null) {
            return new Timing(d, "The cuts could not all fall on the beat of " + name + " within these lengths, so they are evenly timed. ");
        }
        return new Timing(aligned, in, String.format(Locale.ROOT, "%s on the beat of %s (%.0f BPM)%s. ",
                tt > 0 ? "Each transition peaks" : "Every cut falls", name, beats.bpm(),
                in > 0 ? String.format(Locale.ROOT, ", which starts %.1f s in so that its fade ends on a bar", in) : ""), frames(heard.beats()));
    }

    /** How far into the music to start so that a bar begins where the video ends; 0 when the music is too short for it. */
    private static double barAtTheEnd(Beats beats, double end, double musicSeconds) {
        for (double bar : beats.downbeats()) {
            if (bar >= end) {
                return bar <= musicSeconds - 0.05 ? bar - end : 0;
            }
        }
        return 0;
    }

    /** The beats as the video hears them when the music starts {@code in} seconds in. */
    private static Beats shifted(Beats beats, double in) {
        return new Beats(beats.bpm(), java.util.Arrays.stream(beats.beats()).map(b -> b - in).filter(b -> b >= 0).toArray(),
                java.util.Arrays.stream(beats.downbeats()).map(b -> b - in).filter(b -> b >= 0).toArray(), beats.clarity());
    }

    /** The new segment lengths, or null when some cut finds no beat within its bounds. */
    static int[] align(Beats beats, boolean[] still, int[] natural, int[] d, int tt, int total, int minSeg) {
        int n = d.length;
        int[] beatFrames = frames(beats.beats());
        int[] barFrames = frames(beats.downbeats());
        double beatLength = 60.0 / beats.bpm() * Timeline.FPS;
        int[] start = new int[n];
        int[] evenStart = new int[n];
        for (int k = 1; k < n; k++) {
            evenStart[k] = evenStart[k - 1] + d[k - 1] - tt;
        }
        for (int k = 0; k < n - 1; k++) {
            int lo = start[k] + minSeg - tt;
            int hi = total - ((n - 1 - k) * minSeg - (n - 2 - k) * tt);
            if (!still[k]) {
                hi = Math.min(hi, start[k] + natural[k] - tt);
            }
            if (k == n - 2 && !still[n - 1]) {
                lo = Math.max(lo, total - natural[n - 1]);
            }
            int half = tt / 2;
            int target = evenStart[k + 1] + half;
            boolean long_ = d[k] >= 4 * beatLength;
            int chosen = nearest(long_ ? barFrames : beatFrames, target, lo + half, hi + half, long_ ? 2 * beatLength : Double.MAX_VALUE);
            if (chosen < 0 && long_) {
                chosen = nearest(beatFrames, target, lo + half, hi + half, Double.MAX_VALUE);
            }
            if (chosen < 0) {
                return null;
            }
            start[k + 1] = chosen - half;
        }
        int[] out = new int[n];
        for (int k = 0; k < n - 1; k++) {
            out[k] = start[k + 1] - start[k] + tt;
        }
        out[n - 1] = total - start[n - 1];
        return out[n - 1] >= Math.min(minSeg, d[n - 1]) ? out : null;
    }

    /** The beat frame nearest {@code target} within [lo, hi] and {@code within} of it; -1 when there is none. */
    private static int nearest(int[] frames, int target, int lo, int hi, double within) {
        int best = -1;
        for (int f : frames) {
            if (f >= lo && f <= hi && Math.abs(f - target) <= within && (best < 0 || Math.abs(f - target) < Math.abs(best - target))) {
                best = f;
            }
        }
        return best;
    }

    private static int[] frames(double[] seconds) {
        int[] f = new int[seconds.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (int) Math.round(seconds[i] * Timeline.FPS);
        }
        return f;
    }
}
