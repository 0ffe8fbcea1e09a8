package io.reelbox.local;

/**
 * The local backend's one clock: every length on a timeline is a whole number of frames at {@link #FPS}, so a video is
 * exactly as long as planned; drafts carry milliseconds, as the contract's drafts do.
 */
public final class Timeline {

    public static final int FPS = 30;

    private Timeline() {
    }

    /** {@code frames} in whole milliseconds. */
    public static long ms(long frames) {
        return Math.round(frames * 1000.0 / FPS);
    }

    /** {@code ms} in whole frames, to the nearest. */
    public static int frames(long ms) {
        return (int) Math.round(ms * FPS / 1000.0);
    }
}
