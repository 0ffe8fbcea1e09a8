package io.reelbox.local.render;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final mix brought to a target loudness (EBU R128: integrated LUFS, true peak at most {@link #TRUE_PEAK} dBTP), in
 * two passes as the loudness tools of Tdarr and HandBrake's users do: a first, quick pass on the sound alone measures
 * it with ffmpeg's {@code loudnorm}, the render then applies {@code loudnorm} with those measurements, as one gain when
 * the peaks allow ({@code linear=true}), else raising a quiet mix without clipping. Silence stays silence.
 *
 * @param target   integrated loudness to reach, LUFS
 * @param measured the first pass's figures, or null when there is nothing to bring up (silence, or no target)
 */
public record Loudness(double target, Measured measured) {

    public static final double TRUE_PEAK = -1.0;
    /** Loudness range to keep, as loudnorm's default: a mix of music and speech keeps its dynamics. */
    static final double RANGE = 11;
    /** Under this a mix is silence (EBU R128's absolute gate is -70 LUFS). */
    static final double SILENCE = -70;

    /** What the first pass measured: integrated loudness, true peak, loudness range, the gate, and loudnorm's offset. */
    public record Measured(double integrated, double truePeak, double range, double threshold, double offset) {
    }

    private static final Pattern FIELD = Pattern.compile("\"(input_i|input_tp|input_lra|input_thresh|target_offset)\"\\s*:\\s*\"([^\"]*)\"");

    /** The filter of the first pass, which prints its measurements as JSON at the end of ffmpeg's log. */
    static String measuring(double target) {
        return String.format(Locale.ROOT, "loudnorm=I=%.1f:TP=%.1f:LRA=%.0f:print_format=json", target, TRUE_PEAK, RANGE);
    }

    /** The first pass's measurements, read from its log; none for silence. Throws when the log holds none. */
    static Loudness read(double target, String log) {
        double[] v = new double[5];
        int found = 0;
        Matcher m = FIELD.matcher(log);
        while (m.find()) {
            int k = switch (m.group(1)) {
                case "input_i" -> 0;
                case "input_tp" -> 1;
                case "input_lra" -> 2;
                case "input_thresh" -> 3;
                default -> 4;
            };
            v[k] = parse(m.group(2));
            found++;
        }
        if (found < 5) {
            throw new IllegalStateException("the loudness pass printed no measurements");
        }
        if (!(v[0] > SILENCE) || Double.isInfinite(v[1])) {
            return new Loudness(target, null);
        }
        return new Loudness(target, new Measured(v[0], v[1], v[2], v[3], v[4]));
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return s.contains("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
    }

    /** The second pass's chain, with a comma in front; empty when there is nothing to do. */
    String applying() {
        if (measured == null) {
            return "";
        }
        // loudnorm works at 192 kHz inside: back to 48 kHz for AAC.
        return String.format(Locale.ROOT, ",loudnorm=I=%.1f:TP=%.1f:LRA=%.0f:measured_I=%.2f:measured_TP=%.2f:measured_LRA=%.2f"
                + ":measured_thresh=%.2f:offset=%.2f:linear=true:print_format=none,aresample=48000", target, TRUE_PEAK, RANGE,
                measured.integrated(), measured.truePeak(), measured.range(), measured.threshold(), measured.offset());
    }
}
