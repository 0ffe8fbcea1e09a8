package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;

/**
 * The follow-up table (src/test/resources/planner-followups.txt): a first prompt planned, then a follow-up applied to
 * that plan; the drafts before and after must differ in exactly the aspects the row names, to the values it names,
 * and in nothing else. Beside the planner's prompt table (PromptTableTest).
 */
class FollowUpTableTest {

    private static final List<String> LANGUAGES = List.of("en", "es", "de", "fr", "zh", "ja");

    record Row(int line, String language, String first, String followUp, Map<String, String> changes) {
    }

    static List<MediaInfo> media() {
        List<MediaInfo> m = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            m.add(new MediaInfo("p" + i + ".jpg", Path.of("p" + i + ".jpg"), MediaKind.Category.IMAGE, 0, 1920, 1080, 25, false));
        }
        m.add(new MediaInfo("c1.mp4", Path.of("c1.mp4"), MediaKind.Category.VIDEO, 10, 1920, 1080, 30, true));
        m.add(new MediaInfo("song.mp3", Path.of("song.mp3"), MediaKind.Category.AUDIO, 60, 0, 0, 0, true));
        return m;
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/planner-followups.txt"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] cols = l.split("\\s\\|\\s", 4);
            if (cols.length != 4) {
                throw new IllegalStateException("planner-followups.txt line " + (i + 1) + " needs four columns: " + l);
            }
            Map<String, String> changes = new LinkedHashMap<>();
            if (!cols[3].strip().equals("nothing")) {
                for (String c : cols[3].split(";")) {
                    String[] kv = c.strip().split("=", 2);
                    changes.put(kv[0].strip(), kv[1].strip());
                }
            }
            rows.add(new Row(i + 1, cols[0].strip(), cols[1].strip(), cols[2].strip(), changes));
        }
        return rows;
    }

    @Test
    void theTableHasSixtyRowsOrMoreInEveryLanguage() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() >= 60, rows.size() + " rows");
        for (String lang : LANGUAGES) {
            assertTrue(rows.stream().filter(r -> r.language().equals(lang)).count() >= 5, lang);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFollowUpChangesOnlyWhatItMentions() throws IOException {
        Planner planner = new Planner();
        FollowUp followUp = new FollowUp();
        return rows().stream().map(row -> DynamicTest.dynamicTest("line " + row.line() + " [" + row.language() + "] " + row.followUp(), () -> {
            Planner.Plan before = planner.plan(row.first(), null, media());
            Planner.Plan after = followUp.apply(row.followUp(), null, media(), before);
            Map<String, String> got = new LinkedHashMap<>();
            DraftDiff.Summary a = DraftDiff.Summary.of(before.draft());
            DraftDiff.Summary b = DraftDiff.Summary.of(after.draft());
            put(got, "length", a.length(), b.length());
            put(got, "frame", a.frame(), b.frame());
            put(got, "transitions", a.transitions(), b.transitions());
            put(got, "music", a.music(), b.music());
            put(got, "title", a.title(), b.title());
            put(got, "fill", a.fill(), b.fill());
            put(got, "photos", a.photos(), b.photos());
            put(got, "sound", a.clipSound(), b.clipSound());
            put(got, "order", String.join(",", a.order()), String.join(",", b.order()));
            assertEquals(row.changes(), got, row.first() + " → " + row.followUp() + "\nreply: " + after.reply());
            if (row.changes().isEmpty()) {
                assertTrue(after.reply().startsWith("Nothing to change"), after.reply());
                assertEquals(before.draft(), after.draft(), "the draft stays as it was");
            } else {
                assertTrue(after.reply().startsWith("Changed from the previous version: "), after.reply());
            }
        }));
    }

    private static void put(Map<String, String> got, String what, String a, String b) {
        if (!a.equals(b)) {
            got.put(what, b);
        }
    }
}
