package io.reelbox.local.delivery;

/**
 * What a render must deliver: its frame, rate and length as planned, the colour standard of its size, and its sound's
 * loudness target (LUFS; NaN when the sound is left as mixed).
 */
public record Target(int width, int height, int fps, double seconds, double loudness) {

    /** The longest a player may wait for a keyframe when it seeks, seconds. */
    public static final double KEYFRAME_EVERY = 2.0;
    /** How far the integrated loudness may miss its target, LU (EBU R128's tolerance for a live programme). */
    public static final double LOUDNESS_TOLERANCE = 1.0;
    /** The highest true peak accepted, dBTP: the target's -1 plus what AAC's encoding may add. */
    public static final double TRUE_PEAK_LIMIT = -0.5;
    /** Under this length EBU R128's integrated loudness says too little to hold a render to it, seconds. */
    public static final double LOUDNESS_MIN_SECONDS = 3.0;

    /** The colour standard's name as ffmpeg prints and tags it. */
    public String colour() {
        return Colour.of(width, height).standard();
    }

    /**
     * The lowest H.264 level whose decoders play this frame at this rate (ITU-T H.264 table A-1: frame size and
     * macroblocks a second), as the level_idc it is written as (40 for 4.0).
     */
    public int minimumLevel() {
        long mbs = (long) ((width + 15) / 16) * ((height + 15) / 16);
        long rate = mbs * fps;
        int[][] levels = {{30, 1620, 40_500}, {31, 3600, 108_000}, {32, 5120, 216_000}, {40, 8192, 245_760},
                {42, 8704, 522_240}, {50, 22_080, 589_824}, {51, 36_864, 983_040}, {52, 36_864, 2_073_600}};
        for (int[] l : levels) {
            if (mbs <= l[1] && rate <= l[2]) {
                return l[0];
            }
        }
        return 60;
    }
}
