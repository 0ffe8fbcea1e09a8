package io.reelbox.local.analysis;

/**
 * A music track's pulse: its tempo, the time of each beat, the beats that begin a bar (4/4 assumed), and how clearly
 * the track has a beat at all (speech and ambient music have none worth cutting to).
 *
 * @param bpm       beats per minute (0 when there is no clear beat)
 * @param beats     beat times in seconds, ascending
 * @param downbeats the beats that start a bar
 * @param clarity   0 to 1: how strongly the sound repeats at the beat's period
 */
public record Beats(double bpm, double[] beats, double[] downbeats, double clarity) {

    /** Below this, the track's pulse is too weak to cut on (measured: speech and pads score under 0.2). */
    public static final double CLEAR = 0.3;

    public static Beats none(double clarity) {
        return new Beats(0, new double[0], new double[0], clarity);
    }

    /** The analysis could not run (the sound would not decode): the plan falls back to even timing and says why. */
    public static Beats failed() {
        return new Beats(0, new double[0], new double[0], -1);
    }

    public boolean isFailed() {
        return clarity < 0;
    }

    public boolean clear() {
        return clarity >= CLEAR && beats.length >= 4;
    }
}
