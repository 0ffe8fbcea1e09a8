package io.reelbox.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the parts of a draft ({@code t} tracks, {@code tt} type, {@code sg} segments, {@code d} ms, {@code m}
 * metadata) that the contract documents. Everything else in the cloud's draft is opaque and passed on unchanged.
 */
public final class DraftSummary {

    private DraftSummary() {
    }

    /** A draft's fingerprint: the same draft, the same hash ("none" for no draft). */
    public static String fingerprint(JsonNode draft) {
        if (draft == null) {
            return "none";
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(draft.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A draft is ready to export when it has tracks and at least one track has segments. */
    public static boolean ready(JsonNode draft) {
        if (draft == null || !draft.path("t").isArray()) {
            return false;
        }
        for (JsonNode track : draft.path("t")) {
            if (track.path("sg").isArray() && !track.path("sg").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Plain words for a timeline, used when the agent edited without saying anything. */
    public static String describe(JsonNode draft) {
        if (!ready(draft)) {
            return "The timeline is empty.";
        }
        List<String> tracks = new ArrayList<>();
        long longest = draft.path("d").asLong(0);
        for (JsonNode track : draft.path("t")) {
            int segments = track.path("sg").size();
            String type = switch (track.path("tt").asInt(-1)) {
                case 0 -> "video";
                case 1 -> "audio";
                case 7 -> "text";
                default -> "other";
            };
            tracks.add(type + " (" + segments + " segment" + (segments == 1 ? "" : "s") + ")");
            longest = Math.max(longest, track.path("d").asLong(0));
            for (JsonNode sg : track.path("sg")) {
                long end = sg.path("st").asLong(0) + sg.path("d").asLong(0);
                longest = Math.max(longest, end);
            }
        }
        StringBuilder sb = new StringBuilder("The agent edited without comment; the timeline now has ")
                .append(tracks.size()).append(" track").append(tracks.size() == 1 ? "" : "s").append(": ")
                .append(String.join(", ", tracks));
        if (longest > 0) {
            sb.append(String.format(Locale.ROOT, ", %.1f s long", longest / 1000.0));
        }
        JsonNode m = draft.path("m");
        if (m.has("width") && m.has("height")) {
            sb.append(", ").append(m.path("width").asInt()).append('x').append(m.path("height").asInt());
        }
        if (m.hasNonNull("title")) {
            sb.append(", titled \"").append(m.path("title").asText()).append('"');
        }
        return sb.append('.').toString();
    }
}
