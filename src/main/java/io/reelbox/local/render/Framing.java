package io.reelbox.local.render;

import io.reelbox.local.delivery.Colour;

/**
 * Fits one segment's picture into the w×h frame. A picture of the frame's shape is scaled; one of another shape is
 * filled as the draft says: {@code blur} (a darkened, blurred copy of itself behind it, blurred at an eighth of
 * the size so the fill costs little per frame), {@code black} bars, or {@code crop} to cover the frame. The first
 * scale of each path converts to the frame's {@link Colour}.
 */
record Framing(int w, int h, String fill, int mediaWidth, int mediaHeight, int index, Colour colour) {

    boolean fits() {
        return mediaWidth <= 0 || mediaHeight <= 0 || Math.abs((double) mediaWidth / mediaHeight - (double) w / h) <= 0.02;
    }

    String chain(String in, String before, String after, String out) {
        String scaled = "scale=" + w + ":" + h + ":force_original_aspect_ratio=decrease" + colour.scaling();
        if (fits() || fill.equals("black")) {
            return in + before + scaled + ",pad=" + w + ":" + h + ":(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p"
                    + after + out + ";\n";
        }
        if (fill.equals("crop")) {
            return in + before + "scale=" + w + ":" + h + ":force_original_aspect_ratio=increase" + colour.scaling() + ",crop=" + w + ":" + h
                    + ",setsar=1,format=yuv420p" + after + out + ";\n";
        }
        int bw = Math.max(2, w / 8 / 2 * 2);
        int bh = Math.max(2, h / 8 / 2 * 2);
        String fg = "fg" + index;
        String bg = "bg" + index;
        return in + before + "split[" + fg + "][" + bg + "];\n"
                + "[" + bg + "]scale=" + bw + ":" + bh + ":force_original_aspect_ratio=increase" + colour.scaling() + ",crop=" + bw + ":" + bh
                + ",boxblur=4:2,eq=brightness=-0.15:saturation=0.8,scale=" + w + ":" + h + ",setsar=1[" + bg + "b];\n"
                + "[" + fg + "]" + scaled + ",setsar=1[" + fg + "s];\n"
                + "[" + bg + "b][" + fg + "s]overlay=(W-w)/2:(H-h)/2,format=yuv420p" + after + out + ";\n";
    }
}
