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

    /** Ellis's tightness: how hard the path resists a beat interval off the tempo. */
    private static final double TIGHTNESS = 100;
    /** A beat's onset, in dB of rise summed over the bands, that counts as a clear one: a drum hit or a strum. */
    private static final double SOUND_RISE = 30;

    public Beats track(Onsets onsets) {
        double[] env = normalised(onsets.all());
        double fps = onsets.frameRate();
        if (env.length < fps * 3) {
            return Beats.none(0);
        }
        double[] ac = Tempo.autocorrelation(env, (int) Math.ceil(fps * 60 / Tempo.MIN_BPM) + 2);
        double period = Tempo.period(ac, fps);
        if (period <= 0) {
            return Beats.none(0);
        }
        period = Tempo.octave(env, normalised(onsets.accent()), period, fps);
        // How far the sound's self-similarity rises again at the beat after its lowest point within the beat: a pulse
        // has a trough between its peaks, a slow swell (whose autocorrelation falls steadily) and speech have none.
        double trough = Double.MAX_VALUE;
        for (int lag = (int) Math.ceil(period / 8); lag < period && lag < ac.length; lag++) {
            trough = Math.min(trough, ac[lag]);
        }
        double periodic = ac[0] <= 0 || trough == Double.MAX_VALUE ? 0 : Math.max(0, (Tempo.interpolate(ac, period) - trough) / ac[0]);
        List<Double> frames = dynamicProgramme(env, period);
        double[] beats = frames.stream().mapToDouble(f -> refine(env, f) / fps + onsets.latency()).toArray();
        if (beats.length < 2) {
            return Beats.none(0);
        }
        double bpm = 60 / slope(beats);
        // And the beats must stand out: onsets on them several times the envelope's mean, and real rises of sound
        // (dB summed over the bands), not a swell's fraction of a dB that the normalisation blew up.
        double[] raw = onsets.all();
        double rise = median(frames.stream().mapToDouble(f -> Tempo.peakNear(raw, f, 1)).toArray());
        double clarity = Math.min(periodic, Math.min(Math.max(0, (standOut(env, frames) - 1) / 4), rise / SOUND_RISE));
        return new Beats(bpm, beats, downbeats(beats, onsets.low(), fps), clarity);
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
            strength[i % 4] += Tempo.peakNear(low, beats[i] * fps, 2);
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
        return mean <= 0 ? 0 : median(beats.stream().mapToDouble(b -> Tempo.peakNear(env, b, 1)).toArray()) / mean;
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

}
