package io.reelbox.local.render;

import java.util.ArrayList;
import java.util.List;

import io.reelbox.local.delivery.Colour;

/**
 * How every video is encoded, and the container it is written in (README, "What every video meets"): H.264 High
 * (veryfast, CRF 23) with a keyframe at least every 2 s, yuv420p in the colour standard of its size; AAC-LC 160 kb/s
 * 48 kHz stereo; an MP4 with its index first and no edit list.
 */
final class Encoding {

    /**
     * The MP4's flags, as YouTube's upload spec asks: the index (moov) first, no edit list. Without an edit list nothing
     * hides the encoders' delays, so the picture's B-frame delay is written as negative composition offsets, and the
     * sound gives up its first {@link #AAC_PRIMING} samples (RenderCommand's sound chain).
     */
    static final List<String> MP4 = List.of("-use_editlist", "0", "-movflags", "+faststart+negative_cts_offsets",
            "-map_metadata", "-1", "-f", "mp4");
    /** The silent samples AAC's encoder puts before the sound; a player without an edit list plays them. */
    static final int AAC_PRIMING = 1024;
    /** YouTube's recommended upload bitrate for 1080p30, bits a second: a capped zoom never starves below it. */
    private static final long YOUTUBE_1080P30 = 8_000_000;

    private Encoding() {
    }

    /** The picture's encoder arguments; {@code half}: one of two halves made side by side; {@code zoom}: it has a slow zoom. */
    static List<String> video(int w, int h, int fps, boolean half, boolean zoom, Colour colour) {
        // A keyframe at least every 2 s (closed GOPs, x264's default), so a player seeks where it is asked to.
        List<String> out = new ArrayList<>(List.of("-map", "[vout]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                "-g", String.valueOf(2 * fps)));
        if (half) {
            // Two encoder threads each fill two cores, with about 25 MB less memory per encoder than x264's own choice.
            out.addAll(List.of("-threads", "2"));
        }
        if (zoom) {
            // A slow zoom changes every pixel of every frame: at CRF 23 it would take ten times the bits of the rest.
            // The cap costs x264 time (about 4 % on the reference job), so only zooms pay it; it scales YouTube's 8 Mb/s
            // at 1080p30 with the frame's pixels and rate.
            long maxrate = YOUTUBE_1080P30 * w * h * fps / (1920L * 1080 * 30);
            out.addAll(List.of("-maxrate", String.valueOf(maxrate), "-bufsize", String.valueOf(maxrate * 2)));
        }
        out.addAll(List.of("-pix_fmt", "yuv420p", "-r", String.valueOf(fps)));
        out.addAll(colour.tags());
        return out;
    }

    /** The sound's encoder arguments. */
    static List<String> audio() {
        return List.of("-map", "[aout]", "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2");
    }
}
