package io.reelbox.local.render;

import java.util.Locale;

/**
 * A photo that moves: framed once on a canvas a little larger than the frame along the pan's axis, then a frame-sized
 * window slides across it two pixels every {@code step} frames. Cropping costs nothing per frame, and a shift by an
 * even number of pixels moves the half-size colour planes of 4:2:0 video by whole pixels too: exactly what the
 * encoder predicts, so a moving photo encodes about as fast as a still one (measured: an odd shift costs 30 % more
 * and twice the bytes; {@code zoompan} rescales and changes every pixel of every frame). The slide travels at most
 * {@link #TRAVEL} of the axis and at most 30 pixels a second, so a long photo moves slowly rather than far.
 *
 * @param direction right, left, down or up (the way the window moves over the photo); empty: no movement
 * @param offset    frames of the movement already shown (the second half of a photo cut in two for a split render)
 */
record Pan(String direction, int frameWidth, int frameHeight, int canvasWidth, int canvasHeight, int travel, int step, int offset) {

    static final double TRAVEL = 0.15;

    /** The pan for a photo shown {@code length} frames in all, from frame {@code offset} of it. */
    static Pan of(String direction, int w, int h, int length, int offset) {
        boolean horizontal = direction.equals("right") || direction.equals("left");
        boolean vertical = direction.equals("down") || direction.equals("up");
        if (!horizontal && !vertical || length < 2) {
            return new Pan("", w, h, w, h, 0, 1, 0);
        }
        int axis = horizontal ? w : h;
        int mostSteps = Math.max(1, (int) Math.round(axis * TRAVEL / 2));
        int step = Math.max(2, (int) Math.ceil((length - 1) / (double) mostSteps));
        int travel = 2 * ((length - 1) / step);
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
        String slide = String.format(Locale.ROOT, "2*min(%d,floor((n+%d)/%d))", travel / 2, offset, step);
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
        return String.format(Locale.ROOT, ",crop=%d:%d:x='%s':y='%s'", frameWidth, frameHeight, x, y);
    }

    private static int even(int v) {
        return v % 2 == 0 ? v : v + 1;
    }
}
