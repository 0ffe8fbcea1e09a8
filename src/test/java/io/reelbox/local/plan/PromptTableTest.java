package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.prompt.PromptReader;
import io.reelbox.local.prompt.Request;

/**
 * The planner against src/test/resources/planner-prompts.txt: each prompt, as people write them in six languages, with
 * the concepts it must yield. A concept a row does not name must stay unset, so a word read as the wrong thing fails
 * the row. Each row is then planned for five landscape photos and a minute of music, and the draft must honour it.
 */
class PromptTableTest {

    private static final Pattern EXPECT = Pattern.compile("([a-z]+)(?:=(\"[^\"]*\"|\\S+))?");
    private static final Map<String, String> NAMES = Map.of("en", "English", "es", "Spanish", "de", "German", "fr", "French",
            "zh", "Chinese", "ja", "Japanese");

    record Row(int line, String language, String prompt, Map<String, String> expect) {
        String get(String key) {
            return expect.get(key);
        }

        boolean has(String key) {
            return expect.containsKey(key);
        }

        Double number(String key) {
            return has(key) ? Double.valueOf(get(key)) : null;
        }
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = PromptTableTest.class.getResourceAsStream("/planner-prompts.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] cols = l.split("\\s\\|\\s", 3);
                if (cols.length != 3) {
                    throw new IllegalStateException("planner-prompts.txt line " + (i + 1) + " needs three columns: " + l);
                }
                Map<String, String> expect = new LinkedHashMap<>();
                Matcher m = EXPECT.matcher(cols[2].strip());
                while (m.find()) {
                    String v = m.group(2) == null ? "true" : m.group(2);
                    expect.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                }
                rows.add(new Row(i + 1, cols[0].strip(), cols[1].strip(), expect));
            }
        }
        return rows;
    }

    @Test
    void theTableIsBigEnoughAndCoversEveryLanguage() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() >= 150, rows.size() + " rows");
        for (String lang : NAMES.keySet()) {
            assertTrue(rows.stream().filter(r -> r.language().equals(lang)).count() >= 20, lang);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPromptGivesItsPlan() throws IOException {
        PromptReader reader = new PromptReader();
        Planner planner = new Planner();
        List<MediaInfo> media = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            media.add(new MediaInfo("s" + i + ".jpg", Path.of("s" + i + ".jpg"), MediaKind.Category.IMAGE, 0, 1920, 1080, 25, false));
        }
        media.add(new MediaInfo("song.mp3", Path.of("song.mp3"), MediaKind.Category.AUDIO, 60, 0, 0, 0, true));
        return rows().stream().map(row -> DynamicTest.dynamicTest("line " + row.line() + " [" + row.language() + "] " + row.prompt(), () -> {
            Request r = reader.read(row.prompt(), row.get("session"));
            String why = row.prompt() + " → " + r;
            boolean cuts = row.has("cuts");
            Boolean transitions = cuts ? Boolean.FALSE : row.has("tx") || row.has("fx") || row.has("td") ? Boolean.TRUE : null;
            assertAll(why,
                () -> assertEquals(row.number("len"), r.seconds(), "length"),
                () -> assertEquals(row.has("res") ? Integer.valueOf(row.get("res")) : null, r.shortSide(), "resolution"),
                () -> assertEquals(row.get("aspect"), r.aspect(), "aspect"),
                () -> assertEquals(transitions, r.transitions(), "transitions on/off"),
                () -> assertEquals(row.get("fx"), r.transitionKind(), "transition kind"),
                () -> assertEquals(row.number("td"), r.transitionSeconds(), "transition length"),
                () -> assertEquals(row.has("music") ? Integer.valueOf(row.get("music")) : null, r.musicVolume(), "music volume"),
                () -> assertEquals(row.has("nomusic"), r.noMusic(), "no music"),
                () -> assertEquals(row.get("title"), r.title(), "title"),
                () -> assertEquals(row.number("tlen"), r.titleSeconds(), "title length"),
                () -> assertEquals(row.has("mute"), r.mute(), "mute"),
                () -> assertEquals(row.has("zoom"), r.zoom(), "zoom"),
                () -> assertEquals(row.has("even"), r.evenTiming(), "even timing"),
                () -> assertEquals(row.has("static"), r.staticPhotos(), "static photos"),
                () -> assertEquals(row.has("noduck"), r.noDucking(), "no ducking"),
                () -> assertEquals(row.get("fill"), r.fill(), "fill"),
                () -> assertEquals(row.get("platform"), r.platform() == null ? null : r.platform().name().toLowerCase(java.util.Locale.ROOT), "platform"),
                () -> assertEquals(row.number("each"), r.stillSeconds(), "seconds per photo"),
                () -> assertEquals(row.has("conflict"), !r.adjustments().isEmpty(), "contradictions " + r.adjustments()),
                () -> assertEquals(row.has("unknown"), !r.understood(), "understood"),
                () -> assertEquals(row.get("unsupported"), r.unsupported().isEmpty() ? null : String.join(",", r.unsupported()), "unsupported"),
                () -> {
                    if (!row.has("unknown")) {
                        assertEquals(NAMES.get(row.language()), r.language(), "language");
                    }
                });

            JsonNode draft = planner.plan(row.prompt(), row.get("session"), media).draft();
            String reply = planner.plan(row.prompt(), row.get("session"), media).reply();
            JsonNode first = draft.path("t").get(0).path("sg").get(0);
            int shortSide = row.has("res") ? Integer.parseInt(row.get("res")) : 1080;
            int longSide = (int) Math.round(shortSide * 16 / 9.0 / 2) * 2;
            String aspect = row.has("aspect") ? row.get("aspect") : "16:9";
            String size = switch (aspect) {
                case "9:16" -> shortSide + "x" + longSide;
                case "1:1" -> shortSide + "x" + shortSide;
                default -> longSide + "x" + shortSide;
            };
            assertAll(why + "\n" + draft + "\n" + reply,
                () -> assertEquals(size, draft.path("m").path("width").asInt() + "x" + draft.path("m").path("height").asInt(), "frame"),
                () -> {
                    if (row.has("len") && row.number("len") >= 10 && !row.has("changed") && !row.has("conflict")) {
                        assertEquals(row.number("len") * 1000, draft.path("d").asDouble(), 34, "planned length");
                    }
                },
                () -> assertEquals(cuts, !first.has("fx"), "cuts in the draft"),
                () -> {
                    if (!cuts) {
                        assertEquals(row.has("fx") ? row.get("fx") : "fade", first.path("fx").asText(), "transition in the draft");
                    }
                },
                () -> {
                    if (row.has("nomusic")) {
                        assertFalse(draft.path("t").toString().contains("song.mp3"), "no music track");
                    } else {
                        double v = draft.path("t").get(1).path("sg").get(0).path("v").asDouble();
                        assertEquals((row.has("music") ? Integer.parseInt(row.get("music")) : 35) / 100.0, v, 1e-9, "music level");
                    }
                },
                () -> assertEquals(row.has("zoom"), first.path("zoom").asBoolean(false), "zoom in the draft"),
                () -> assertEquals(!row.has("zoom") && !row.has("static"), first.has("pan"), "a photo pans unless zoomed or static"),
                () -> assertEquals(row.has("fill") ? row.get("fill") : "blur", draft.path("m").path("fill").asText(), "fill in the draft"),
                () -> assertEquals(row.has("changed") || row.has("conflict"), reply.contains("Changed: "), "the reply says what it changed"),
                () -> assertEquals(row.has("unknown"), reply.contains("I do not understand"), "the reply says what it could not read"));
        }));
    }
}
