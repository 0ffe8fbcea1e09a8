package io.reelbox.local.delivery;

import java.util.List;

/**
 * The colour standard of a frame size, as players assume it (the renderer converts to it, the delivery check expects it): BT.709 from HD (1280×720 pixels or more, in either
 * orientation) up, BT.601 below. Every picture is converted to the standard's matrix and to limited range where it is
 * first scaled ({@code in_color_matrix} stays {@code auto}: a tagged clip, or a full-range JPEG, is read as tagged; an
 * untagged clip as BT.601, as ffmpeg itself writes one), and the stream is tagged with its primaries, transfer and
 * matrix, so no player has to guess.
 */
public record Colour(boolean hd) {

    public static Colour of(int width, int height) {
        return new Colour((long) width * height >= 1280L * 720);
    }

    /** The standard's name as ffmpeg prints and tags it. */
    public String standard() {
        return hd ? "bt709" : "smpte170m";
    }

    /** The options to append to a {@code scale} filter that meets a source picture. */
    public String scaling() {
        return ":out_color_matrix=" + (hd ? "bt709" : "bt601") + ":out_range=tv";
    }

    /** The encoder's tags. */
    public List<String> tags() {
        return List.of("-colorspace", standard(), "-color_primaries", standard(), "-color_trc", standard(), "-color_range", "tv");
    }
}
