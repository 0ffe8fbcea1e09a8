package io.reelbox.local.render;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Small pieces of filtergraph text and the draft reading that every render command shares. */
final class Filters {

    private Filters() {
    }

    /**
     * The clockwise quarter turn a player would give the picture, as filters followed by a comma, to put in front of
     * a chain (ffmpeg's autorotate is off for clips and does not read a photo's EXIF); empty when upright.
     */
    static String turn(int rotation) {
        return switch (rotation) {
            case 90 -> "transpose=clock,";
            case 180 -> "hflip,vflip,";
            case 270 -> "transpose=cclock,";
            default -> "";
        };
    }

    /** The draft's track of {@code type} (0 video, 1 audio, 7 text), or null. */
    static JsonNode track(JsonNode draft, int type) {
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt(-1) == type) {
                return t;
            }
        }
        return null;
    }

    static Path source(Map<String, Path> media, JsonNode sg) {
        Path p = media.get(sg.path("src").asText());
        if (p == null) {
            throw new IllegalArgumentException("the draft names media '" + sg.path("src").asText() + "' that this session does not have");
        }
        return p;
    }

    static String safeTransition(String kind) {
        return switch (kind) {
            case "fade", "dissolve", "wipeleft", "wiperight", "slideleft", "slideright", "fadeblack", "fadewhite" -> kind;
            default -> "fade";
        };
    }

    static String quoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("'")) {
            throw new IllegalArgumentException("paths with a quote cannot be used in a filtergraph: " + s);
        }
        return s;
    }

    static int even(int v) {
        return v % 2 == 0 ? v : v + 1;
    }

    static String secs(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
