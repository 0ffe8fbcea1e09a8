package io.reelbox.local.analysis;

/**
 * The tempo half of the beat tracker: the onset envelope's autocorrelation, its best peak under a log-normal prior
 * around 120 BPM (Ellis 2007), and the check of the metrical level a pure autocorrelation cannot make (a click on every
 * beat, or hi-hats between the beats).
 */
final class Tempo {

    static final double MIN_BPM = 40;
    static final double MAX_BPM = 220;
    /** Off-beat energy this close to the beat's own means the pulse is twice as fast (a click on every beat). */
    private static final double DOUBLE_IF_OFFBEAT = 0.7;
    /** Every other pulse this much weaker means those are off-beats (eighth-note hi-hats): the beat is twice as slow. */
    private static final double HALVE_IF_OFFBEAT = 0.35;

    private Tempo() {
    }

    /** The lag (in frames, between frames) of the autocorrelation's best peak under the tempo prior. */
    static double period(double[] ac, double fps) {
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
    static double octave(double[] env, double[] accent, double period, double fps) {
        while (60 * fps / (period / 2) <= MAX_BPM - 20 && offBeatShare(env, period) >= DOUBLE_IF_OFFBEAT) {
            period /= 2;
        }
        while (60 * fps / (period * 2) >= MIN_BPM + 20 && offBeatShare(accent, period * 2) < HALVE_IF_OFFBEAT) {
            period *= 2;
        }
        return period;
    }

    /** The onset strength half-way between pulses of {@code period}, as a share of the strength on them. */
    static double offBeatShare(double[] env, double period) {
        double on = 0;
        double off = 0;
        for (double t = bestPhase(env, period); t + period / 2 < env.length; t += period) {
            on += peakNear(env, t, period / 16);
            off += peakNear(env, t + period / 2, period / 16);
        }
        return on <= 0 ? 1 : off / on;
    }

    /** Where in the period the onsets fall: the offset (in frames) whose pulse train meets the most onset strength. */
    static double bestPhase(double[] env, double period) {
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

    static double peakNear(double[] env, double t, double radius) {
        double max = 0;
        for (int i = (int) Math.floor(t - radius); i <= (int) Math.ceil(t + radius); i++) {
            if (i >= 0 && i < env.length) {
                max = Math.max(max, env[i]);
            }
        }
        return max;
    }

    /** Autocorrelation of the mean-removed envelope, lags 0 to {@code maxLag}. */
    static double[] autocorrelation(double[] e, int maxLag) {
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

    static double interpolate(double[] a, double x) {
        int i = (int) Math.floor(x);
        if (i < 0 || i + 1 >= a.length) {
            return 0;
        }
        return a[i] + (x - i) * (a[i + 1] - a[i]);
    }
}
