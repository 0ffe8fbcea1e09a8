package io.reelbox.local.plan;

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
import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;

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
            sum += Timeline.frames(sg.path("d").asLong()) - Timeline.frames(sg.path("td").asLong(0));
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
        Planner.Plan p = planner.plan("combine my clips into a 60-second video with transitions, titled 'Urban Dreams', music at 35%", null,
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
        assertEquals(30_000, planner.plan("make a 30s reel", null, m).draft().path("d").asLong());
        assertEquals(60_000, planner.plan("one minute please", null, m).draft().path("d").asLong());
        assertEquals(90_000, planner.plan("a 1.5 minute video", null, m).draft().path("d").asLong());
        assertEquals(20_000, planner.plan("make it 20 seconds long with 2-second dissolve transitions", null, m).draft().path("d").asLong());
        assertEquals(2000, track(planner.plan("make it 20 seconds long with 2-second dissolve transitions", null, m).draft(), 0)
                .path("sg").get(0).path("td").asLong());
        assertEquals(45_000, planner.plan("make a 10 second video\n\nRequirements: duration 45 seconds.", null, m).draft().path("d").asLong(),
                "the sidecar's duration hint wins");
        assertEquals(15_000, planner.plan("show the title for the first 5 seconds, 15 s total", null, m).draft().path("d").asLong());
    }

    @Test
    void sizesForEveryAspectAndResolution() {
        List<MediaInfo> m = List.of(still("a.jpg"));
        String[][] cases = {{"vertical 720p", "720x1280"}, {"for TikTok", "1080x1920"}, {"a square 1080p post", "1080x1080"},
            {"4K landscape", "3840x2160"}, {"9:16 Reels in 4k", "2160x3840"}, {"1:1", "1080x1080"}, {"", "1920x1080"},
            {"Shorts", "1080x1920"}};
        for (String[] c : cases) {
            JsonNode meta = planner.plan(c[0], null, m).draft().path("m");
            assertEquals(c[1], meta.path("width").asInt() + "x" + meta.path("height").asInt(), c[0]);
        }
    }

    @Test
    void transitionsOnOffAndTheirKind() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"));
        assertFalse(track(planner.plan("no transitions, 10 seconds", null, m).draft(), 0).path("sg").get(0).has("fx"));
        assertFalse(track(planner.plan("hard cuts only", null, m).draft(), 0).path("sg").get(0).has("fx"));
        assertEquals("wipeleft", track(planner.plan("wipe between photos", null, m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertEquals("slideleft", track(planner.plan("slide transitions", null, m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertEquals("fade", track(planner.plan("crossfade", null, m).draft(), 0).path("sg").get(0).path("fx").asText());
        assertTrue(planner.plan("just make something", null, m).reply().contains("fade transitions (my default)"));
    }

    @Test
    void clipsAreTrimmedAndStillsShareWhatIsLeft() {
        List<MediaInfo> m = List.of(clip("a.mp4", 20, true), still("b.jpg"), clip("c.mp4", 20, true), music("m.mp3", 10));
        JsonNode d = planner.plan("a 30-second video, mute the clips", null, m).draft();
        assertEquals(900, frames(d));
        JsonNode sg = track(d, 0).path("sg");
        assertTrue(sg.get(0).path("d").asLong() < 20_000, "clips trimmed to fit");
        assertEquals(sg.get(0).path("d").asLong(), sg.get(2).path("d").asLong(), 40, "trimmed alike");
        assertTrue(sg.get(0).path("mute").asBoolean());
        assertTrue(track(d, 1).path("sg").get(0).path("loop").asBoolean(), "10 s of music loops under 30 s");

        JsonNode loose = planner.plan("a 60 second video", null, List.of(clip("a.mp4", 10, false), still("b.jpg"), still("c.jpg"))).draft();
        assertEquals(1800, frames(loose));
        JsonNode lsg = track(loose, 0).path("sg");
        assertEquals(Timeline.frames(lsg.get(1).path("d").asLong()), Timeline.frames(lsg.get(2).path("d").asLong()), 1, "stills share alike");
        assertTrue(lsg.get(0).path("mute").asBoolean(), "a clip without sound");
    }

    @Test
    void clipsTooShortForTheTargetAreNotStretchedAndTheReplySaysSo() {
        Planner.Plan p = planner.plan("make a 60-second video", null, List.of(clip("a.mp4", 5, true), clip("b.mp4", 5, true)));
        assertTrue(p.draft().path("d").asLong() < 10_000);
        assertTrue(p.reply().contains("Not done: the 60 s you asked for: your clips are shorter"), p.reply());
    }

    @Test
    void titlesMuteZoomMusicVolume() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"), music("m.mp3", 60));
        assertEquals("Summer “26”", track(planner.plan("with the title \"Summer “26”\"", null, m).draft(), 7).path("sg").get(0).path("text").asText()
, "quotes inside are kept");
        assertEquals("Urban Dreams", track(planner.plan("a reel titled Urban Dreams, 20 s", null, m).draft(), 7).path("sg").get(0).path("text").asText());
        assertNull(track(planner.plan("a reel", null, m).draft(), 7));
        JsonNode z = planner.plan("slow zoom on the photos, background music at 20%", null, m).draft();
        assertTrue(track(z, 0).path("sg").get(0).path("zoom").asBoolean());
        assertEquals(0.2, track(z, 1).path("sg").get(0).path("v").asDouble());
        assertNull(track(planner.plan("no music", null, m).draft(), 1));
    }

    @Test
    void whatItCannotDoIsSaid() {
        Planner.Plan p = planner.plan("add subtitles and a logo, color grade it, 10 seconds", null, List.of(still("a.jpg")));
        assertTrue(p.reply().contains("Not done: subtitles"), p.reply());
        assertTrue(p.reply().contains("a logo") && p.reply().contains("colour grading"), p.reply());
    }

    @Test
    void noPictureNoPlan() {
        Planner.Plan p = planner.plan("make a video", null, List.of(music("m.mp3", 30)));
        assertNull(p.draft());
        assertTrue(p.reply().contains("need at least one clip or photo"));
    }

    private static MediaInfo portraitClip(String id, double seconds) {
        // As a phone records it: landscape pixels plus a 90° flag, reported as displayed.
        return new MediaInfo(id, Path.of(id), MediaKind.Category.VIDEO, seconds, 1080, 1920, 30, true, 90);
    }

    @Test
    void aReplyNeverClaimsARequestThatWasNotMade() {
        Planner.Plan p = planner.plan("make a short video from this clip", null, List.of(clip("tiny.mp4", 0.4, true)));
        assertFalse(p.reply().contains("asked for"), p.reply());
        assertFalse(p.reply().contains("Not done"), p.reply());
        Planner.Plan two = planner.plan("make a video", null, List.of(clip("a.mp4", 0.4, true), clip("b.mp4", 3, true)));
        assertTrue(two.reply().contains("with straight cuts (your shortest clip (0.4 s) is too short for transitions)"), two.reply());
        assertFalse(two.reply().contains("Changed"), "no transitions were asked for, so none were changed: " + two.reply());
    }

    @Test
    void theFrameFollowsTheMediaWhenNoAspectIsAsked() {
        Planner.Plan mostlyPortrait = planner.plan("make a video", null,
                List.of(portraitClip("p1.mp4", 5), portraitClip("p2.mp4", 5), clip("l.mp4", 5, true)));
        assertEquals(1080, mostlyPortrait.draft().path("m").path("width").asInt());
        assertEquals(1920, mostlyPortrait.draft().path("m").path("height").asInt());
        assertTrue(mostlyPortrait.reply().contains("Vertical because 2 of your 3 pictures are portrait"), mostlyPortrait.reply());
        assertEquals(90, track(mostlyPortrait.draft(), 0).path("sg").get(0).path("rot").asInt(), "the render turns the picture too");

        Planner.Plan tie = planner.plan("make a video", null, List.of(portraitClip("p.mp4", 5), clip("l.mp4", 5, true)));
        assertEquals(1920, tie.draft().path("m").path("width").asInt(), "a tie is landscape");
        assertTrue(tie.reply().contains("Landscape because as many of your pictures are portrait as landscape"), tie.reply());

        Planner.Plan asked = planner.plan("a landscape video", null, List.of(portraitClip("p.mp4", 5)));
        assertEquals(1920, asked.draft().path("m").path("width").asInt(), "asking wins over the media");
        assertFalse(asked.reply().contains("because"), asked.reply());
    }

    @Test
    void mediaOfAnotherShapeAreFilledAsAsked() {
        List<MediaInfo> m = List.of(portraitClip("p.mp4", 5));
        Planner.Plan blur = planner.plan("a landscape video", null, m);
        assertEquals("blur", blur.draft().path("m").path("fill").asText());
        assertTrue(blur.reply().contains("One item does not fill the frame: a blurred copy fills the rest"), blur.reply());
        assertEquals("black", planner.plan("a landscape video with black bars", null, m).draft().path("m").path("fill").asText());
        assertEquals("crop", planner.plan("a landscape video\n\nRequirements: fill crop.", null, m).draft().path("m").path("fill").asText(),
                "the sidecar's fill hint");
        assertFalse(planner.plan("a vertical video", null, m).reply().contains("fill the frame"), "a clip that fits needs no fill");
    }

    @Test
    void sidecarHintsWinOverThePrompt() {
        List<MediaInfo> m = List.of(still("a.jpg"), still("b.jpg"), music("m.mp3", 60));
        JsonNode d = planner.plan("a vertical 20 second video, music at 10%\n\nRequirements: aspect ratio 1:1; resolution 720p; "
                + "duration 12 seconds; title \"Hint\"; background music at 60%.", null, m).draft();
        assertEquals(12_000, d.path("d").asLong());
        assertEquals("720x720", d.path("m").path("width").asInt() + "x" + d.path("m").path("height").asInt());
        assertEquals("Hint", track(d, 7).path("sg").get(0).path("text").asText());
        assertEquals(0.6, track(d, 1).path("sg").get(0).path("v").asDouble());
    }

    @Test
    void contradictionsGetTheClosestPlanAndTheReplySaysWhatChanged() {
        List<MediaInfo> five = fiveStillsAndMusic();
        Planner.Plan p = planner.plan("a 10 second video with 20 second fades", null, five);
        assertEquals(10_000, p.draft().path("d").asLong(), "the length is kept");
        long td = track(p.draft(), 0).path("sg").get(0).path("td").asLong();
        assertTrue(td > 0 && td <= 1667, "transitions shortened to fit (10 s over 6): " + td);
        assertTrue(p.reply().contains("Changed: 20 s transitions do not fit a 10 s video of 5 items, so they last 1.7 s"), p.reply());

        Planner.Plan both = planner.plan("a vertical landscape video", null, five);
        assertEquals(1080, both.draft().path("m").path("width").asInt());
        assertTrue(both.reply().contains("you asked for both vertical (9:16) and landscape (16:9); I used the first"), both.reply());

        Planner.Plan cuts = planner.plan("no transitions, but 2 second fades", null, five);
        assertFalse(track(cuts.draft(), 0).path("sg").get(0).has("fx"));
        assertTrue(cuts.reply().contains("no transitions and for 2 s ones; I used straight cuts"), cuts.reply());
    }

    @Test
    void aLanguageItDoesNotKnowGetsItsLengthTheDefaultsAndAListOfUnreadWords() {
        Planner.Plan p = planner.plan("fai un video di 30 secondi con transizioni", "it", fiveStillsAndMusic());
        assertEquals(30_000, p.draft().path("d").asLong(), "digits with a unit are read in any language");
        assertTrue(p.reply().contains("I do not understand Italian yet, so everything else is my default"), p.reply());
        assertTrue(p.reply().contains("words I could not read: fai, un, video, di, con, transizioni"), p.reply());
        Planner.Plan none = planner.plan("fai un video con transizioni", "it", fiveStillsAndMusic());
        assertEquals(20_000 - 4 * 1000, none.draft().path("d").asLong(), "no length: the default, 4 s per photo less the overlaps");
        Planner.Plan russian = planner.plan("сделай видео на 30 секунд", null, fiveStillsAndMusic());
        assertTrue(russian.reply().contains("I do not understand Russian"), russian.reply());
    }

    @Test
    void theSessionLanguageDecidesWhatTheTextCannot() {
        // Han characters alone are Chinese or Japanese; the session says which.
        assertTrue(planner.plan("30秒 動画", "ja", fiveStillsAndMusic()).reply().contains("(Read as Japanese.)"));
        assertTrue(planner.plan("30秒 视频", null, fiveStillsAndMusic()).reply().contains("(Read as Chinese.)"));
    }

    @Test
    void aTitleWithoutWordsIsNotInventedAndTheReplySaysHowToGiveIt() {
        Planner.Plan p = planner.plan("add a title please", null, fiveStillsAndMusic());
        assertNull(track(p.draft(), 7));
        assertTrue(p.reply().contains("Not done: a title, because I could not find its words"), p.reply());
        assertFalse(planner.plan("no title please", null, fiveStillsAndMusic()).reply().contains("a title"));
    }
}
