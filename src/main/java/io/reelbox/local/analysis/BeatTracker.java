package io.reelbox.local.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the beats of a music track: Ellis's 2007 method (librosa's {@code beat_track}). The onset envelope's
 * autocorrelation, weighted by a log-normal prior around 120 BPM, gives the tempo; dynamic programming then picks the
 * beat times that best sit on onsets while keeping that period; each beat is refined to its onset peak between
 * frames. Written here because the tracker of TarsosDSP is GPL; the FFT underneath is commons-math's.
 */
public final class BeatTracker {

    private static final double MIN_BPM = 40;
    private static final double MAX_BPM = 220;
    /** Ellis's tightness: how hard the path resists a beat interval off the tempo. */
    private static final double TIGHTNESS = 100;
    /** Off-beat energy this close to the beat's own means the pulse is twice as fast (a click on every beat). */
    private static final double DOUBLE_IF_OFFBEAT = 0.7;
    /** Every other pulse this much weaker means those are off-beats (eighth-note hi-hats): the beat is twice as slow. */
    private static final double HALVE_IF_OFFBEAT = 0.35;
    /** A beat's onset, in dB of rise summed over the bands, that counts as a clear one: a drum hit or a strum. */
    private static final double SOUND_RISE = 30;

    public Beats track(Onsets onsets) {
        double[] env = normalised(onsets.all());
        double fps = onsets.frameRate();
        if (env.length < fps * 3) {
            return Beats.none(0);
        }
        double[] ac = autocorrelation(env, (int) Math.ceil(fps * 60 / MIN_BPM) + 2);
        double period = period(ac, fps);
        if (period <= 0) {
            return Beats.none(0);
        }
        period = octave(env, normalised(onsets.accent()), period, fps);
        // How far the sound's self-similarity rises again at the beat after its lowest point within the beat: a pulse
        // has a trough between its peaks, a slow swell (whose autocorrelation falls steadily) and speech have none.
        double trough = Double.MAX_VALUE;
        for (int lag = (int) Math.ceil(period / 8); lag < period && lag < ac.length; lag++) {
            trough = Math.min(trough, ac[lag]);
        }
        double periodic = ac[0] <= 0 || trough == Double.MAX_VALUE ? 0 : Math.max(0, (interpolate(ac, period) - trough) / ac[0]);
        List<Double> frames = dynamicProgramme(env, period);
        double[] beats = frames.stream().mapToDouble(f -> refine(env, f) / fps + onsets.latency()).toArray();
        if (beats.length < 2) {
            return Beats.none(0);
        }
        double bpm = 60 / slope(beats);
        // And the beats must stand out: onsets on them several times the envelope's mean, and real rises of sound
        // (dB summed over the bands), not a swell's fraction of a dB that the normalisation blew up.
        double[] raw = onsets.all();
        double rise = median(frames.stream().mapToDouble(f -> peakNear(raw, f, 1)).toArray());
        double clarity = Math.min(periodic, Math.min(Math.max(0, (standOut(env, frames) - 1) / 4), rise / SOUND_RISE));
        return new Beats(bpm, beats, downbeats(beats, onsets.low(), fps), clarity);
    }

    /** The lag (in frames, between frames) of the autocorrelation's best peak under the tempo prior. */
    private static double period(double[] ac, double fps) {
        int lo = (int) Math.floor(fps * 60 / MAX_BPM);
        int hi = Math.min(ac.length - 2, (int) Math.ceil(fps * 60 / MIN_BPM));
        int best = -1;
        double bestScore = 0;
        for (int lag = Math.max(1, lo); lag <= hi; lag++) {
            if (ac[lag] > ac[lag - 1] && ac[lag] >= ac[lag + 1]) {
                double bpm = 60 * fps / lag;
                double prior = Math.exp(-0.5 * Math.pow(Math.log(bpm / 120) / Math.log(2), 2));
                double score = ac[lag] * prior;
                if (score > bestScore) {
                    bestScore = score;
                    best = lag;
                }
            }
        }
        if (best < 0) {
            return -1;
        }
        double a = ac[best - 1];
        double b = ac[best];
        double c = ac[best + 1];
        double denominator = a - 2 * b + c;
        return denominator == 0 ? best : best + 0.5 * (a - c) / denominator;
    }

    /**
     * Half the period when the off-beats carry nearly as many onsets as the beats (a click on every beat); twice the
     * period when every other pulse is much softer in amplitude (eighth-note hi-hats between kicks and snares). Only
     * within the tempo range.
     */
    private static double octave(double[] env, double[] accent, double period, double fps) {
        while (60 * fps / (period / 2) <= MAX_BPM - 20 && offBeatShare(env, period) >= DOUBLE_IF_OFFBEAT) {
            period /= 2;
        }
        while (60 * fps / (period * 2) >= MIN_BPM + 20 && offBeatShare(accent, period * 2) < HALVE_IF_OFFBEAT) {
            period *= 2;
        }
        return period;
    }

    /** The onset strength half-way between pulses of {@code period}, as a share of the strength on them. */
    private static double offBeatShare(double[] env, double period) {
        double on = 0;
        double off = 0;
        for (double t = bestPhase(env, period); t + period / 2 < env.length; t += period) {
            on += peakNear(env, t, period / 16);
            off += peakNear(env, t + period / 2, period / 16);
        }
        return on <= 0 ? 1 : off / on;
    }

    /** Where in the period the onsets fall: the offset (in frames) whose pulse train meets the most onset strength. */
    private static double bestPhase(double[] env, double period) {
        double best = 0;
        double bestSum = -1;
        for (double shift = 0; shift < period; shift += period / 16) {
            double sum = 0;
            for (double t = shift; t < env.length; t += period) {
                sum += peakNear(env, t, period / 16);
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = shift;
            }
        }
        return best;
    }

    private static double peakNear(double[] env, double t, double radius) {
        double max = 0;
        for (int i = (int) Math.floor(t - radius); i <= (int) Math.ceil(t + radius); i++) {
            if (i >= 0 && i < env.length) {
                max = Math.max(max, env[i]);
            }
        }
        return max;
    }

    /** Ellis's dynamic programme: for each frame, its onset plus the best previous beat about a period before. */
    private static List<Double> dynamicProgramme(double[] env, double period) {
        int n = env.length;
        double[] score = new double[n];
        int[] from = new int[n];
        int lo = (int) Math.round(period / 2);
        int hi = (int) Math.round(period * 2);
        for (int t = 0; t < n; t++) {
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int prev = t - hi; prev <= t - lo; prev++) {
                if (prev < 0) {
                    continue;
                }
                double penalty = Math.log((t - prev) / period);
                double s = score[prev] - TIGHTNESS * penalty * penalty;
                if (s > best) {
                    best = s;
                    arg = prev;
                }
            }
            score[t] = env[t] + (arg >= 0 ? Math.max(0, best) : 0);
            from[t] = arg >= 0 && best > 0 ? arg : -1;
        }
        // The last beat: the best score within the final period whose onset is not negligible.
        int end = n - 1;
        double best = Double.NEGATIVE_INFINITY;
        for (int t = Math.max(0, n - (int) Math.ceil(period)); t < n; t++) {
            if (score[t] > best) {
                best = score[t];
                end = t;
            }
        }
        List<Double> beats = new ArrayList<>();
        for (int t = end; t >= 0; t = from[t]) {
            beats.add(0, (double) t);
            if (from[t] < 0) {
                break;
            }
        }
        return trimmed(env, beats);
    }

    /** Leading and trailing beats over silence (before the music starts, after it ends) are dropped. */
    private static List<Double> trimmed(double[] env, List<Double> beats) {
        double rms = 0;
        for (double b : beats) {
            double v = env[(int) (double) b];
            rms += v * v;
        }
        double threshold = 0.5 * Math.sqrt(rms / Math.max(1, beats.size()));
        int first = 0;
        int last = beats.size() - 1;
        while (first < last && env[(int) (double) beats.get(first)] < threshold) {
            first++;
        }
        while (last > first && env[(int) (double) beats.get(last)] < threshold) {
            last--;
        }
        return new ArrayList<>(beats.subList(first, last + 1));
    }

    /** The onset peak's position between frames (a parabola through the frame and its neighbours). */
    private static double refine(double[] env, double frame) {
        int f = (int) Math.round(frame);
        int best = f;
        for (int i = f - 1; i <= f + 1; i++) {
            if (i > 0 && i < env.length - 1 && env[i] > env[best]) {
                best = i;
            }
        }
        if (best <= 0 || best >= env.length - 1 || env[best] <= 0) {
            return frame;
        }
        double a = env[best - 1];
        double b = env[best];
        double c = env[best + 1];
        double denominator = a - 2 * b + c;
        return denominator >= 0 ? best : best + 0.5 * (a - c) / denominator;
    }

    /** 4/4: of the four phases, the beats where the low bands (the kick) are strongest start the bars. */
    private static double[] downbeats(double[] beats, double[] low, double fps) {
        double[] strength = new double[4];
        for (int i = 0; i < beats.length; i++) {
            strength[i % 4] += peakNear(low, beats[i] * fps, 2);
        }
        int phase = 0;
        for (int p = 1; p < 4; p++) {
            if (strength[p] > strength[phase] * 1.05) {
                phase = p;
            }
        }
        List<Double> bars = new ArrayList<>();
        for (int i = phase; i < beats.length; i += 4) {
            bars.add(beats[i]);
        }
        return bars.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The median onset strength at the beats, as a multiple of the envelope's mean: most beats of a pulse carry an
     * onset, while a path laid over a few scattered ones (a chord change every few seconds) mostly does not.
     */
    private static double standOut(double[] env, List<Double> beats) {
        double mean = 0;
        for (double v : env) {
            mean += v;
        }
        mean /= env.length;
        return mean <= 0 ? 0 : median(beats.stream().mapToDouble(b -> peakNear(env, b, 1)).toArray()) / mean;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /** Seconds per beat: the least-squares slope of beat time against beat number. */
    private static double slope(double[] beats) {
        int n = beats.length;
        double mx = (n - 1) / 2.0;
        double my = 0;
        for (double b : beats) {
            my += b;
        }
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mx) * (beats[i] - my);
            sxx += (i - mx) * (i - mx);
        }
        return sxy / sxx;
    }

    private static double[] normalised(double[] e) {
        double mean = 0;
        for (double v : e) {
            mean += v;
        }
        mean /= Math.max(1, e.length);
        double var = 0;
        for (double v : e) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, e.length));
        double[] out = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            out[i] = sd == 0 ? 0 : e[i] / sd;
        }
        return out;
    }

    /** Autocorrelation of the mean-removed envelope, lags 0 to {@code maxLag}. */
    private static double[] autocorrelation(double[] e, int maxLag) {
        double mean = 0;
        for (double v : e) {
            mean += v;
        }
        mean /= e.length;
        double[] ac = new double[Math.min(maxLag, e.length - 1) + 1];
        for (int lag = 0; lag < ac.length; lag++) {
            double s = 0;
            for (int i = lag; i < e.length; i++) {
                s += (e[i] - mean) * (e[i - lag] - mean);
            }
            ac[lag] = s / (e.length - lag);
        }
        return ac;
    }

    private static double interpolate(double[] a, double x) {
        int i = (int) Math.floor(x);
        if (i < 0 || i + 1 >= a.length) {
            return 0;
        }
        return a[i] + (x - i) * (a[i + 1] - a[i]);
    }
}
