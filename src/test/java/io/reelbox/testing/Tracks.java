package io.reelbox.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Music with a known pulse, synthesised sample by sample into a WAV: a click track, a drum pattern (an accented kick
 * on the bar's first beat, a softer one on the third, a snare on two and four, hi-hats on the eighths), and tracks
 * with no beat (speech-like bursts, slow pads). Each returns the truth a detector is scored against.
 */
public final class Tracks {

    public static final int RATE = 44100;

    /** A written track: its file, its beat times and the beats that start a bar (empty for tracks with no beat). */
    public record Track(Path file, double[] beats, double[] downbeats) {
    }

    private Tracks() {
    }

    public static Track clicks(Path file, double bpm, double offset, double seconds) throws IOException {
        float[] x = new float[(int) (seconds * RATE)];
        List<Double> beats = grid(bpm, offset, seconds);
        for (double b : beats) {
            tone(x, b, 1000, 0.02, 0.8);
        }
        return write(file, x, beats, bars(beats));
    }

    public static Track drums(Path file, double bpm, double offset, double seconds, long seed) throws IOException {
        float[] x = new float[(int) (seconds * RATE)];
        Random random = new Random(seed);
        List<Double> beats = grid(bpm, offset, seconds);
        for (int i = 0; i < beats.size(); i++) {
            double t = beats.get(i);
            switch (i % 4) {
                case 0 -> kick(x, t, 0.9);
                case 2 -> kick(x, t, 0.55);
                default -> noise(x, t, 0.12, 0.45, random, false);
            }
            noise(x, t, 0.03, 0.12, random, true);
            noise(x, t + 30 / bpm, 0.03, 0.08, random, true);
        }
        return write(file, x, beats, bars(beats));
    }

    /** Syllable-like noise bursts at irregular times, as speech has: no pulse. */
    public static Track speechLike(Path file, double seconds, long seed) throws IOException {
        float[] x = new float[(int) (seconds * RATE)];
        Random random = new Random(seed);
        for (double t = 0.2; t < seconds - 0.5; t += 0.08 + random.nextDouble() * 0.45) {
            noise(x, t, 0.05 + random.nextDouble() * 0.2, 0.2 + random.nextDouble() * 0.3, random, false);
        }
        return write(file, x, List.of(), List.of());
    }

    /** Slow chords that swell and fade over seconds: no onset to speak of. */
    public static Track pads(Path file, double seconds) throws IOException {
        float[] x = new float[(int) (seconds * RATE)];
        double[] notes = {220, 277.2, 329.6, 196, 246.9, 293.7};
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) RATE;
            int chord = (int) (t / 4) % 2;
            double swell = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / 4);
            double v = 0;
            for (int k = 0; k < 3; k++) {
                v += Math.sin(2 * Math.PI * notes[chord * 3 + k] * t);
            }
            x[i] = (float) (0.15 * swell * v);
        }
        return write(file, x, List.of(), List.of());
    }

    private static List<Double> grid(double bpm, double offset, double seconds) {
        List<Double> beats = new ArrayList<>();
        for (double t = offset; t < seconds - 0.3; t += 60 / bpm) {
            beats.add(t);
        }
        return beats;
    }

    private static List<Double> bars(List<Double> beats) {
        List<Double> bars = new ArrayList<>();
        for (int i = 0; i < beats.size(); i += 4) {
            bars.add(beats.get(i));
        }
        return bars;
    }

    private static void tone(float[] x, double at, double hz, double length, double gain) {
        int start = (int) Math.round(at * RATE);
        int n = (int) (length * RATE);
        for (int i = 0; i < n && start + i < x.length; i++) {
            x[start + i] += (float) (gain * Math.exp(-i / (n / 5.0)) * Math.sin(2 * Math.PI * hz * i / RATE));
        }
    }

    private static void kick(float[] x, double at, double gain) {
        int start = (int) Math.round(at * RATE);
        int n = (int) (0.18 * RATE);
        double phase = 0;
        for (int i = 0; i < n && start + i < x.length; i++) {
            double hz = 50 + 70 * Math.exp(-i / (0.03 * RATE));
            phase += 2 * Math.PI * hz / RATE;
            x[start + i] += (float) (gain * Math.exp(-i / (0.05 * RATE)) * Math.sin(phase));
        }
    }

    private static void noise(float[] x, double at, double length, double gain, Random random, boolean bright) {
        int start = (int) Math.round(at * RATE);
        int n = (int) (length * RATE);
        double last = 0;
        for (int i = 0; i < n && start + i < x.length; i++) {
            double w = random.nextDouble() * 2 - 1;
            double v = bright ? w - last : w;   // a first difference tilts the noise up, like a hi-hat
            last = w;
            x[start + i] += (float) (gain * Math.exp(-i / (n / 4.0)) * v);
        }
    }

    private static Track write(Path file, float[] x, List<Double> beats, List<Double> bars) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + x.length * 2).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(x.length * 2);
        for (float v : x) {
            b.putShort((short) Math.max(-32767, Math.min(32767, Math.round(v * 32767))));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return new Track(file, beats.stream().mapToDouble(Double::doubleValue).toArray(),
                bars.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** MIREX's beat F-measure: a detection within {@code tolerance} of a truth beat is a hit, each used once. */
    public static double fMeasure(double[] truth, double[] found, double tolerance) {
        if (truth.length == 0 || found.length == 0) {
            return 0;
        }
        boolean[] used = new boolean[truth.length];
        int hits = 0;
        for (double f : found) {
            for (int i = 0; i < truth.length; i++) {
                if (!used[i] && Math.abs(truth[i] - f) <= tolerance) {
                    used[i] = true;
                    hits++;
                    break;
                }
            }
        }
        double precision = hits / (double) found.length;
        double recall = hits / (double) truth.length;
        return hits == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
