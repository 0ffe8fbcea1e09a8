package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;

/** Platforms named in a prompt (or the sidecar's hint, appended in plain words): their frame and their length limits. */
class PlatformTest {

    private final Planner planner = new Planner();

    private static MediaInfo clip(String id, double seconds) {
        return new MediaInfo(id, Path.of(id), MediaKind.Category.VIDEO, seconds, 1920, 1080, 30, true);
    }

    private static List<MediaInfo> clips(double... seconds) {
        return java.util.stream.IntStream.range(0, seconds.length).mapToObj(i -> clip("c" + i + ".mp4", seconds[i])).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "make a video for TikTok                            | 1080 | 1920 | vertical for TikTok",
            "a reel for instagram reels please                  | 1080 | 1920 | vertical for Instagram Reels",
            "cut this into a YouTube Short                      | 1080 | 1920 | vertical for YouTube Shorts",
            "one for my Instagram story                         | 1080 | 1920 | vertical for Stories",
            "a video for youtube                                | 1920 | 1080 | landscape for YouTube",
            "un vídeo para TikTok                               | 1080 | 1920 | vertical for TikTok",
            "ein Video für YouTube                              | 1920 | 1080 | landscape for YouTube",
            "做一个抖音 TikTok 视频                                | 1080 | 1920 | vertical for TikTok",
            "combine my clips\\n\\nRequirements: for TikTok.     | 1080 | 1920 | vertical for TikTok",
    })
    void aPlatformChoosesTheFrameAndTheReplySaysWhy(String prompt, int w, int h, String reason) {
        Planner.Plan plan = planner.plan(prompt.replace("\\n", "\n"), null, clips(20));
        assertEquals(w, plan.draft().path("m").path("width").asInt(), plan.reply());
        assertEquals(h, plan.draft().path("m").path("height").asInt(), plan.reply());
        assertTrue(plan.reply().contains(reason.substring(0, 1).toUpperCase() + reason.substring(1)), plan.reply());
    }

    @Test
    void mediaLongerThanAShortAreFitToItsLimitWhenNoLengthWasAsked() {
        Planner.Plan plan = planner.plan("make a YouTube Short", null, clips(120, 150));
        assertEquals(180_000, plan.draft().path("d").asLong(), 40, plan.reply());
        assertTrue(plan.reply().contains("made it 180 s, the longest YouTube Shorts takes"), plan.reply());
    }

    @Test
    void anAskedLengthOverTheLimitIsKeptAndTheReplySaysSo() {
        Planner.Plan plan = planner.plan("a 15 minute video for TikTok", null, clips(600, 600));
        assertEquals(900_000, plan.draft().path("d").asLong(), 40, "the asked length is kept");
        assertTrue(plan.reply().contains("it takes 3 to 600 s, and I kept the 900.0 s you asked for; ask for 600 seconds or less"),
                plan.reply());
    }

    @Test
    void withinTheLimitsNothingIsSaidAndAWordThatOnlyLooksLikeOneIsNoPlatform() {
        Planner.Plan tiktok = planner.plan("a 30 second TikTok", null, clips(60));
        assertFalse(tiktok.reply().contains("takes"), tiktok.reply());
        Planner.Plan reel = planner.plan("a 30 second highlight reel", null, clips(60));
        assertEquals(1920, reel.draft().path("m").path("width").asInt(), "one 'reel' is a video, not Instagram Reels: " + reel.reply());
        Planner.Plan story = planner.plan("tell the story of our trip in 30 seconds", null, clips(60));
        assertEquals(1920, story.draft().path("m").path("width").asInt(), story.reply());
    }
}
