package io.reelbox.local.delivery;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a finished render measured, and how it missed its {@link Target} ({@code problems}, empty when it did not):
 * the report's {@code delivery} block.
 */
public record Delivery(Stream video, Stream audio, Mp4Layout layout, double integratedLufs, double truePeakDbtp,
                       double loudnessTarget, List<String> problems) {

    /** One stream as ffmpeg reads it: codec and profile, pixel or sample format, colour, size or rate and channels. */
    public record Stream(String codec, String profile, String format, String colour, int width, int height, double fps,
                         int sampleRate, String channels) {
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    public ObjectNode json(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("checked", true).put("passed", passed());
        if (video != null) {
            n.putObject("video").put("codec", video.codec()).put("profile", video.profile())
                    .put("level", layout.avcLevel() / 10.0).put("pixel_format", video.format()).put("colour", video.colour())
                    .put("width", video.width()).put("height", video.height()).put("fps", video.fps())
                    .put("largest_keyframe_gap_seconds", Math.round(layout.largestKeyframeGap() * 1000) / 1000.0)
                    .put("keyframes", layout.keyframes());
        }
        if (audio != null) {
            n.putObject("audio").put("codec", audio.codec()).put("profile", audio.profile())
                    .put("sample_rate", audio.sampleRate()).put("channels", audio.channels());
            ObjectNode l = n.putObject("loudness");
            putLevel(l, "integrated_lufs", integratedLufs);
            putLevel(l, "true_peak_dbtp", truePeakDbtp);
            if (!Double.isNaN(loudnessTarget)) {
                l.put("target_lufs", loudnessTarget);
            }
        }
        n.putObject("container").put("moov_first", layout.moovFirst()).put("edit_list", layout.editList());
        problems.forEach(n.putArray("problems")::add);
        return n;
    }

    private static void putLevel(ObjectNode n, String name, double v) {
        if (Double.isFinite(v)) {
            n.put(name, Math.round(v * 10) / 10.0);
        } else {
            n.putNull(name);   // silence: no level to give
        }
    }
}
