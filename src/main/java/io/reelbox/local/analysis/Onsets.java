package io.reelbox.local.analysis;

import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Onset strength: how much new sound starts in each frame. The spectrum (Hann window, {@link #FFT} samples, a frame
 * every {@link #HOP}) is grouped into bands spaced evenly on a log-frequency scale, taken in dB, and the rises from
 * one frame to the next are summed (spectral flux, as librosa's {@code onset_strength} and Ellis 2007). A second
 * envelope holds only the low bands, where the kick drum of a bar's first beat sits, and a third all of them; those two
 * in amplitude rather than dB, so that an accent (a kick, a snare) stands out from a soft hi-hat: the dB envelope times
 * onsets well but hears every hit alike.
 *
 * @param all       the onset strength of each frame, all bands, in dB
 * @param low       the rise of amplitude under 200 Hz
 * @param accent    the rise of amplitude over all bands
 * @param frameRate frames per second
 */
public record Onsets(double[] all, double[] low, double[] accent, double frameRate) {

    static final int FFT = 1024;
    static final int HOP = 256;
    private static final int BANDS = 48;
    private static final double LOWEST = 30;
    private static final double HIGHEST = 8000;
    private static final double LOW_BANDS_UNDER = 200;
    private static final double FLOOR_DB = 50;

    /**
     * Seconds from a frame's start to the onset it reports. In dB even the window's faint far end hears a hit come in
     * out of quiet, so the rise peaks about when the onset enters that end: a window on, less half a hop (measured on
     * the click and drum tracks: within 3 ms).
     */
    public double latency() {
        return (FFT - HOP / 2.0) / HOP / frameRate;
    }

    public static Onsets of(Pcm pcm) {
        float[] x = pcm.samples();
        int frames = Math.max(0, (x.length - FFT) / HOP + 1);
        double[] window = new double[FFT];
        for (int i = 0; i < FFT; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / FFT);
        }
        int[] bandOf = bands(pcm.rate());
        double[] previous = null;
        double previousLow = 0;
        double previousAmplitude = 0;
        double[] all = new double[frames];
        double[] low = new double[frames];
        double[] accent = new double[frames];
        double[][] ri = new double[2][FFT];
        FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < FFT; i++) {
                ri[0][i] = x[f * HOP + i] * window[i];
                ri[1][i] = 0;
            }
            FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.FORWARD);
            double[] band = new double[BANDS];
            double lowAmplitude = 0;
            double amplitude = 0;
            for (int k = 1; k < FFT / 2; k++) {
                if (bandOf[k] >= 0) {
                    double power = ri[0][k] * ri[0][k] + ri[1][k] * ri[1][k];
                    band[bandOf[k]] += power;
                    amplitude += Math.sqrt(power);
                    if (centre(bandOf[k]) < LOW_BANDS_UNDER) {
                        lowAmplitude += Math.sqrt(power);
                    }
                }
            }
            for (int b = 0; b < BANDS; b++) {
                band[b] = 10 * Math.log10(band[b] + 1e-10);
            }
            if (previous != null) {
                // Rises only, and nothing deeper than 50 dB under the louder frame's loudest band: below that lie
                // silence and the window's leakage, whose swings (two close partials beating) are no onsets.
                double floor = Math.max(max(band), max(previous)) - FLOOR_DB;
                for (int b = 0; b < BANDS; b++) {
                    all[f] += Math.max(0, Math.max(band[b], floor) - Math.max(previous[b], floor));
                }
                low[f] = Math.max(0, lowAmplitude - previousLow);
                accent[f] = Math.max(0, amplitude - previousAmplitude);
            }
            previous = band;
            previousLow = lowAmplitude;
            previousAmplitude = amplitude;
        }
        return new Onsets(detrend(all, pcm.rate()), detrend(low, pcm.rate()), detrend(accent, pcm.rate()), pcm.rate() / (double) HOP);
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The band of each FFT bin, or -1 outside the range. */
    private static int[] bands(int rate) {
        int[] of = new int[FFT / 2];
        for (int k = 0; k < FFT / 2; k++) {
            double hz = k * rate / (double) FFT;
            of[k] = hz < LOWEST || hz >= HIGHEST ? -1
                    : (int) Math.min(BANDS - 1, Math.floor(BANDS * Math.log(hz / LOWEST) / Math.log(HIGHEST / LOWEST)));
        }
        return of;
    }

    private static double centre(int band) {
        return LOWEST * Math.pow(HIGHEST / LOWEST, (band + 0.5) / BANDS);
    }

    /** Removes the slow level (a moving mean over about 0.4 s), keeping what rises above it. */
    private static double[] detrend(double[] e, int rate) {
        int half = Math.max(1, (int) Math.round(0.2 * rate / HOP));
        double[] out = new double[e.length];
        double sum = 0;
        int count = 0;
        int lo = 0;
        int hi = -1;
        for (int i = 0; i < e.length; i++) {
            while (hi < Math.min(e.length - 1, i + half)) {
                sum += e[++hi];
                count++;
            }
            while (lo < i - half) {
                sum -= e[lo++];
                count--;
            }
            out[i] = Math.max(0, e[i] - sum / count);
        }
        return out;
    }
}
