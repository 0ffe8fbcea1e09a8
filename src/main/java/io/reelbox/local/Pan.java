package io.reelbox.local;

import java.util.Locale;

/**
 * A photo that moves: framed once on a canvas a little larger than the frame along the frame's long side, then a
 * frame-sized window slides across it a whole pixel at a time. Cropping costs nothing per frame and a shift by whole
 * pixels is what an encoder predicts best, so a moving photo costs little more than a still one (BENCHMARKS.md);
 * {@code zoompan} rescales every frame and makes every pixel change. The slide travels at most {@link #TRAVEL} of the
 * long side, a pixel every {@code step} frames, so a long photo moves slowly rather than far.
 *
 * @param direction right, left, down or up (the way the window moves over the photo); empty: no movement
 * @param offset    frames of the movement already shown (the second half of a photo cut in two for a split render)
 */
record Pan(String direction, int frameWidth, int frameHeight, int canvasWidth, int canvasHeight, int travel, int step, int offset) {

    static final double TRAVEL = 0.12;

    /** The pan for a photo shown {@code length} frames in all, from frame {@code offset} of it. */
    static Pan of(String direction, int w, int h, int length, int offset) {
        boolean horizontal = direction.equals("right") || direction.equals("left");
        boolean vertical = direction.equals("down") || direction.equals("up");
        if (!horizontal && !vertical || length < 2) {
            return new Pan("", w, h, w, h, 0, 1, 0);
        }
        int axis = horizontal ? w : h;
        int most = Math.max(2, (int) Math.round(axis * TRAVEL));
        int step = Math.max(1, (int) Math.ceil((length - 1) / (double) most));
        int travel = (length - 1) / step;
        // The other side grows in proportion, so the photo keeps its shape; both stay even for 4:2:0 video.
        double scale = (axis + travel) / (double) axis;
        int cw = horizontal ? even(w + travel) : even((int) Math.ceil(w * scale));
        int ch = vertical ? even(h + travel) : even((int) Math.ceil(h * scale));
        return new Pan(direction, w, h, cw, ch, travel, step, offset);
    }

    boolean moves() {
        return !direction.isEmpty();
    }

    /** The crop that slides the window, with a comma in front; empty for a photo that does not move. */
    String crop() {
        if (!moves()) {
            return "";
        }
        String slide = String.format(Locale.ROOT, "min(%d,floor((n+%d)/%d))", travel, offset, step);
        String back = travel + "-" + slide;
        String x = switch (direction) {
            case "right" -> slide;
            case "left" -> back;
            default -> String.valueOf((canvasWidth - frameWidth) / 2);
        };
        String y = switch (direction) {
            case "down" -> slide;
            case "up" -> back;
            default -> String.valueOf((canvasHeight - frameHeight) / 2);
        };
        // exact=1: odd offsets too, or the picture would move two pixels every other frame.
        return String.format(Locale.ROOT, ",crop=%d:%d:x='%s':y='%s':exact=1", frameWidth, frameHeight, x, y);
    }

    private static int even(int v) {
        return v % 2 == 0 ? v : v + 1;
    }
}
