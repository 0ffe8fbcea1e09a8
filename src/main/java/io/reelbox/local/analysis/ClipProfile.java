package io.reelbox.local.analysis;

/**
 * What a clip shows and sounds like, {@link #RATE} times a second, and where its shots change: what the planner
 * needs to keep a clip's best seconds rather than its first.
 *
 * @param motion    mean change of a small blurred grey picture from the previous sample, 0–255 (a cut's own jump
 *                  left out)
 * @param luma      mean brightness, 0–255
 * @param black     the picture is black (98 % of it under a tenth of the range, as ffmpeg's {@code blackdetect})
 * @param sharpness variance of the Laplacian of a 160×90 grey picture (ffmpeg 4.4 has no {@code blurdetect})
 * @param loudness  the sound's level in dBFS per sample; {@link #SILENT} where there is none
 * @param level     the sound's level in dBFS, {@link #LEVEL_RATE} times a second, to find the pauses in speech
 * @param cuts      the samples that start a new shot (ffmpeg's scene score over {@link #CUT_SCORE})
 * @param seconds   how much of the clip could be decoded: past it the picture is unknown
 */
public record ClipProfile(double[] motion, double[] luma, boolean[] black, double[] sharpness, double[] loudness,
                          double[] level, int[] cuts, double seconds) {

    public static final int RATE = 5;
    public static final int LEVEL_RATE = 20;
    public static final double SILENT = -90;
    static final double CUT_SCORE = 0.25;
    /** Under this much change a picture counts as still (ffmpeg's {@code freezedetect} allows about this noise). */
    static final double STILL = 0.5;
    /** A still picture this long or longer is frozen. */
    static final int FROZEN_SAMPLES = 2 * RATE;

    public static ClipProfile failed() {
        return new ClipProfile(new double[0], new double[0], new boolean[0], new double[0], new double[0], new double[0], new int[0], -1);
    }

    public boolean isFailed() {
        return seconds < 0;
    }

    public int samples() {
        return motion.length;
    }

    /**
     * How much sample {@code i} is worth keeping, 0 to 1: lively, loud and sharp, and not dark, black, frozen or
     * silent. The weights favour what a viewer notices first, movement, over sound and focus.
     */
    public double worth(int i) {
        if (i < 0 || i >= samples() || black[i]) {
            return 0;
        }
        double bright = clamp((luma[i] - 30) / 40);
        double moving = frozen(i) ? 0 : clamp(motion[i] / 8);
        double loud = clamp((loudness[i] + 50) / 30);
        double sharp = clamp(Math.log(Math.max(1, sharpness[i]) / 30) / Math.log(600 / 30.0));
        return bright * (0.5 * moving + 0.25 * loud + 0.25 * sharp);
    }

    /** Whether sample {@code i} lies in a run of still pictures at least {@link #FROZEN_SAMPLES} long. */
    public boolean frozen(int i) {
        if (motion[i] >= STILL) {
            return false;
        }
        int from = i;
        while (from > 0 && motion[from - 1] < STILL) {
            from--;
        }
        int to = i;
        while (to < samples() - 1 && motion[to + 1] < STILL) {
            to++;
        }
        return to - from + 1 >= FROZEN_SAMPLES;
    }

    /** Whether the sound around {@code seconds} into the clip is a pause: silent, or well under the clip's usual level. */
    public boolean pauseAt(double seconds) {
        return pauseAt(seconds, pauseLevel());
    }

    /** The same, against a {@link #pauseLevel} found once: a search that asks many times need not sort the sound each time. */
    public boolean pauseAt(double seconds, double pauseLevel) {
        int i = (int) Math.floor(seconds * LEVEL_RATE);
        return level.length == 0 || i < 0 || i >= level.length || level[i] < pauseLevel;
    }

    /** The level (dBFS) under which the sound is a pause: 15 dB under the clip's usual level, and never over -50. */
    public double pauseLevel() {
        return Math.max(-50, usualLevel() - 15);
    }

    /** The median level of the clip's sounding parts, in dBFS. */
    double usualLevel() {
        double[] sounding = java.util.Arrays.stream(level).filter(l -> l > -50).sorted().toArray();
        return sounding.length == 0 ? SILENT : sounding[sounding.length / 2];
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
