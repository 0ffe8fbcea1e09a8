package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a follow-up changed, read from the two drafts themselves (not from what was asked): length, frame,
 * transitions, music, title, fill, the photos' movement, the clips' own sound and the order of the media.
 */
final class DraftDiff {

    /** The aspects of a draft a viewer notices, as words. */
    record Summary(String length, String frame, String transitions, String music, String title, String fill, String photos,
                   String clipSound, List<String> order) {

        static Summary of(JsonNode draft) {
            JsonNode m = draft.path("m");
            JsonNode video = track(draft, 0);
            String transitions = "none";
            String photos = "none";
            String clipSound = "none";
            List<String> order = new ArrayList<>();
            for (JsonNode sg : video.path("sg")) {
                if (sg.path("td").asLong(0) > 0) {
                    transitions = String.format(Locale.ROOT, "%.1f s %s", sg.path("td").asLong() / 1000.0, sg.path("fx").asText("fade"));
                }
                if ("image".equals(sg.path("kind").asText())) {
                    photos = sg.path("zoom").asBoolean(false) ? "a slow zoom" : sg.has("pan") ? "panning" : "still";
                } else {
                    clipSound = sg.path("mute").asBoolean(false) ? "off" : "on";
                }
                String src = sg.path("src").asText();
                if (order.isEmpty() || !order.get(order.size() - 1).equals(src)) {
                    order.add(src);
                }
            }
            JsonNode music = track(draft, 1).path("sg").path(0);
            JsonNode title = track(draft, 7).path("sg").path(0);
            return new Summary(String.format(Locale.ROOT, "%.1f s", draft.path("d").asLong() / 1000.0),
                    m.path("width").asInt() + "x" + m.path("height").asInt(), transitions,
                    music.isMissingNode() ? "off" : music.path("src").asText() + " at " + Math.round(music.path("v").asDouble() * 100) + "%",
                    title.isMissingNode() ? "none" : "\"" + title.path("text").asText() + "\"", m.path("fill").asText("blur"), photos,
                    clipSound, order);
        }
    }

    private DraftDiff() {
    }

    /** Each change from {@code before} to {@code after}, as "what: old → new"; empty when they look the same. */
    static List<String> between(JsonNode before, JsonNode after) {
        Summary a = Summary.of(before);
        Summary b = Summary.of(after);
        List<String> out = new ArrayList<>();
        add(out, "length", a.length(), b.length());
        add(out, "frame", a.frame(), b.frame());
        add(out, "transitions", a.transitions(), b.transitions());
        add(out, "music", a.music(), b.music());
        add(out, "title", a.title(), b.title());
        add(out, "fill", a.fill(), b.fill());
        add(out, "photos", a.photos(), b.photos());
        add(out, "the clips' own sound", a.clipSound(), b.clipSound());
        add(out, "order", String.join(", ", a.order()), String.join(", ", b.order()));
        return out;
    }

    private static void add(List<String> out, String what, String a, String b) {
        if (!Objects.equals(a, b)) {
            out.add(what + " " + a + " → " + b);
        }
    }

    private static JsonNode track(JsonNode draft, int type) {
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt() == type) {
                return t;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
