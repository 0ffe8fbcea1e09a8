package io.reelbox.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;

class PlannerTest {

    private final Planner planner = new Planner();

    private static MediaInfo still(String id) {
        return new MediaInfo(id, Path.of(id), MediaKind.Category.IMAGE, 0, 1920, 1080, 25, false);
    }

    private static MediaInfo clip(String id, double seconds, boolean audio) {
        return new MediaInfo(id, Path.of(id), MediaKind.Category.VIDEO, seconds, 1280, 720, 24, audio);
    }

    private static MediaInfo music(String id, double seconds) {
        return new MediaInfo(id, Path.of(id), MediaKind.Category.AUDIO, seconds, 0, 0, 0, true);
    }

    private static JsonNode track(JsonNode draft, int type) {
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt() == type) {
                return t;
            }
        }
        return null;
    }

    /** The planned length in frames: segments minus their overlaps. */
    private static int frames(JsonNode draft) {
        int sum = 0;
        for (JsonNode sg : track(draft, 0).path("sg")) {
            sum += Planner.frames(sg.path("d").asLong()) - Planner.frames(sg.path("td").asLong(0));
        }
        return sum;
    }

    private static List<MediaInfo> fiveStillsAndMusic() {
        List<MediaInfo> m = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            m.add(still("s" + i + ".jpg"));
        }
        m.add(music("song.mp3", 60));
        return m;
    }

    @Test
    void theReferenceJob() {
        Planner.Plan p = planner.plan("combine my clips into a 60-second video with transitions, titled 'Urban Dreams', music at 35%",
                fiveStillsAndMusic());
        JsonNode d = p.draft();
        assertEquals(60_000, d.path("d").asLong());
        assertEquals(1800, frames(d), "exactly 60 s at 30 fps");
        JsonNode sg = track(d, 0).path("sg");
        assertEquals(5, sg.size());
        assertEquals(12_800, sg.get(0).path("d").asLong(), "(60 + 4·1) / 5 = 12.8 s per still");
        assertEquals(11_800, sg.get(1).path("st").asLong(), "transition k starts at k·(D − 1)");
        assertEquals("fade", sg.get(0).path("fx").asText());
        assertFalse(sg.get(4).has("fx"), "no transition after the last segment");
        JsonNode music = track(d, 1).path("sg").get(0);
        assertEquals(0.35, music.path("v").asDouble());
        assertEquals(3000, music.path("fo").asLong());
        assertFalse(music.path("loop").asBoolean());
        assertEquals("Urban Dreams", track(d, 7).path("sg").get(0).path("text").asText());
        assertEquals(3000, track(d, 7).path("sg").get(0).path("d").asLong());
        assertEquals(1920, d.path("m").path("width").asInt());
        assertTrue(p.reply().startsWith("Planned a 60.0-second landscape video at 1920x1080 (1080p) from 5 photos"), p.reply());
        assertTrue(p.reply().contains("1.0 s fade transitions") && !p.reply().contains("default"), p.reply());
    }

    @Test
    void durationsInEveryForm() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"));
        assertEquals(30_000, planner.plan("make a 30s reel", m).draft().path("d").asLong());
        assertEquals(60_000, planner.plan("one minute please", m).draft().path("d").asLong());
        assertEquals(90_000, planner.plan("a 1.5 minute video", m).draft().path("d").asLong());
        assertEquals(20_000, planner.plan("make it 20 seconds long with 2-second dissolve transitions", m).draft().path("d").asLong());
        assertEquals(2000, track(planner.plan("make it 20 seconds long with 2-second dissolve transitions", m).draft(), 0)
                .path("sg").get(0).path("td").asLong());
        assertEquals(45_000, planner.plan("make a 10 second video\n\nRequirements: duration 45 seconds.", m).draft().path("d").asLong(),
                "the sidecar's duration hint wins");
        assertEquals(15_000, planner.plan("show the title for the first 5 seconds, 15 s total", m).draft().path("d").asLong());
    }

    @Test
    void sizesForEveryAspectAndResolution() {
        List<MediaInfo> m = List.of(still("a.jpg"));
        String[][] cases = {{"vertical 720p", "720x1280"}, {"for TikTok", "1080x1920"}, {"a square 1080p post", "1080x1080"},
            {"4K landscape", "3840x2160"}, {"9:16 Reels in 4k", "2160x3840"}, {"1:1", "1080x1080"}, {"", "1920x1080"},
            {"Shorts", "1080x1920"}};
        for (String[] c : cases) {
            JsonNode meta = planner.plan(c[0], m).draft().path("m");
            assertEquals(c[1], meta.path("width").asInt() + "x" + meta.path("height").asInt(), c[0]);
        }
    }

    @Test
    void transitionsOnOffAndTheirKind() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"));
        assertFalse(track(planner.plan("no transitions, 10 seconds", m).draft(), 0).path("sg").get(0).has("fx"));
        assertFalse(track(planner.plan("hard cuts only", m).draft(), 0).path("sg").get(0).has("fx"));
        assertEquals("wipeleft", track(planner.plan("wipe between photos", m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertEquals("slideleft", track(planner.plan("slide transitions", m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertEquals("fade", track(planner.plan("crossfade", m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertTrue(planner.plan("just make something", m).reply().contains("fade transitions (my default)"));
    }

    @Test
    void clipsAreTrimmedAndStillsShareWhatIsLeft() {
        List<MediaInfo> m = List.of(clip("a.mp4", 20, true), still("b.jpg"), clip("c.mp4", 20, true), music("m.mp3", 10));
        JsonNode d = planner.plan("a 30-second video, mute the clips", m).draft();
        assertEquals(900, frames(d));
        JsonNode sg = track(d, 0).path("sg");
        assertTrue(sg.get(0).path("d").asLong() < 20_000, "clips trimmed to fit");
        assertEquals(sg.get(0).path("d").asLong(), sg.get(2).path("d").asLong(), 40, "trimmed alike");
        assertTrue(sg.get(0).path("mute").asBoolean());
        assertTrue(track(d, 1).path("sg").get(0).path("loop").asBoolean(), "10 s of music loops under 30 s");

        JsonNode loose = planner.plan("a 60 second video", List.of(clip("a.mp4", 10, false), still("b.jpg"), still("c.jpg"))).draft();
        assertEquals(1800, frames(loose));
        JsonNode lsg = track(loose, 0).path("sg");
        assertEquals(Planner.frames(lsg.get(1).path("d").asLong()), Planner.frames(lsg.get(2).path("d").asLong()), 1, "stills share alike");
        assertTrue(lsg.get(0).path("mute").asBoolean(), "a clip without sound");
    }

    @Test
    void clipsTooShortForTheTargetAreNotStretchedAndTheReplySaysSo() {
        Planner.Plan p = planner.plan("make a 60-second video", List.of(clip("a.mp4", 5, true), clip("b.mp4", 5, true)));
        assertTrue(p.draft().path("d").asLong() < 10_000);
        assertTrue(p.reply().contains("Not done: your clips are shorter than the 60 s"), p.reply());
    }

    @Test
    void titlesMuteZoomMusicVolume() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"), music("m.mp3", 60));
        assertEquals("Summer “26”", track(planner.plan("with the title \"Summer “26”\"", m).draft(), 7).path("sg").get(0).path("text").asText()
, "quotes inside are kept");
        assertEquals("Urban Dreams", track(planner.plan("a reel titled Urban Dreams, 20 s", m).draft(), 7).path("sg").get(0).path("text").asText());
        assertNull(track(planner.plan("a reel", m).draft(), 7));
        JsonNode z = planner.plan("slow zoom on the photos, background music at 20%", m).draft();
        assertTrue(track(z, 0).path("sg").get(0).path("zoom").asBoolean());
        assertEquals(0.2, track(z, 1).path("sg").get(0).path("v").asDouble());
        assertNull(track(planner.plan("no music", m).draft(), 1));
    }

    @Test
    void whatItCannotDoIsSaid() {
        Planner.Plan p = planner.plan("add subtitles and a logo, color grade it, 10 seconds", List.of(still("a.jpg")));
        assertTrue(p.reply().contains("Not done: subtitles"), p.reply());
        assertTrue(p.reply().contains("a logo") && p.reply().contains("colour grading"), p.reply());
    }

    @Test
    void noPictureNoPlan() {
        Planner.Plan p = planner.plan("make a video", List.of(music("m.mp3", 30)));
        assertNull(p.draft());
        assertTrue(p.reply().contains("need at least one clip or photo"));
    }
}
