package io.reelbox.local.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.testing.Probe;

/**
 * The delivery check against files made to miss: each miss is named, and a file made to the spec passes with its
 * figures in the report's {@code delivery} block.
 */
class DeliveryCheckTest {

    @TempDir
    Path dir;

    private final DeliveryCheck check = new DeliveryCheck(Probe.ffmpeg());

    @Test
    void ffmpegsDefaultsMissTheSpecAndEachMissIsNamed() throws Exception {
        Path off = dir.resolve("defaults.mp4");
        // What a plain ffmpeg command makes: Constrained Baseline (ultrafast), a keyframe every 250 frames, an edit
        // list, moov at the end, untagged colour, 44.1 kHz mono, a quiet tone; and 640x360 at 25 fps.
        Probe.make("-f", "lavfi", "-i", "testsrc2=s=640x360:r=25", "-f", "lavfi", "-i", "sine=f=440:r=44100", "-t", "12",
                "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-ac", "1", off.toString());
        Delivery d = check.check(off, new Target(1920, 1080, 30, 12.0, -14));
        assertFalse(d.passed());
        String all = String.join("\n", d.problems());
        for (String miss : List.of("moov", "edit list", "not High", "colour is unknown", "640x360", "frame rate is 25",
                "keyframes are up to 10.00 s apart", "44100 Hz", "channels is mono", "LUFS, not the target -14.0")) {
            assertTrue(all.contains(miss), "names '" + miss + "' among:\n" + all);
        }
    }

    @Test
    void aCutShortVideoIsCaught() throws Exception {
        Path shortOne = dir.resolve("short.mp4");
        Probe.make("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "3",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p", "-colorspace", "smpte170m",
                "-color_primaries", "smpte170m", "-color_trc", "smpte170m", "-color_range", "tv", "-c:a", "aac",
                "-use_editlist", "0", "-movflags", "+faststart+negative_cts_offsets", shortOne.toString());
        Delivery d = check.check(shortOne, new Target(640, 360, 30, 8.0, -14));
        assertEquals(1, d.problems().size(), "everything else meets the spec (SD, silent: no loudness to hold it to): " + d.problems());
        assertTrue(d.problems().get(0).matches("the video is cut short: 3\\.0\\d s of the planned 8\\.00 s"), d.problems().get(0));
    }

    @Test
    void aVideoToSpecPassesAndReportsItsFigures() throws Exception {
        Path good = dir.resolve("good.mp4");
        Probe.make("-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30", "-f", "lavfi", "-i", "sine=f=440:r=48000,volume=2.6", "-t", "5",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p", "-vf", "scale=out_color_matrix=bt709:out_range=tv",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
                "-c:a", "aac", "-ar", "48000", "-ac", "2", "-use_editlist", "0", "-movflags", "+faststart+negative_cts_offsets", good.toString());
        Delivery d = check.check(good, new Target(1280, 720, 30, 5.0, Double.NaN));
        assertTrue(d.passed(), d.problems().toString());
        JsonNode j = d.json(new ObjectMapper());
        assertEquals("High", j.path("video").path("profile").asText());
        assertTrue(j.path("video").path("level").asDouble() >= 3.1, j.toString());
        assertEquals("tv, bt709", j.path("video").path("colour").asText());
        assertEquals(2.0, j.path("video").path("largest_keyframe_gap_seconds").asDouble(), 0.001);
        assertEquals(48000, j.path("audio").path("sample_rate").asInt());
        assertFalse(j.path("container").path("edit_list").asBoolean(true));
        assertTrue(j.path("loudness").path("integrated_lufs").isNumber());
    }

    @Test
    void theLevelNeededFollowsFrameAndRate() {
        assertEquals(31, new Target(1280, 720, 30, 1, -14).minimumLevel());
        assertEquals(40, new Target(1920, 1080, 30, 1, -14).minimumLevel());
        assertEquals(40, new Target(1080, 1920, 30, 1, -14).minimumLevel());
        assertEquals(42, new Target(1920, 1080, 60, 1, -14).minimumLevel());
        assertEquals(51, new Target(3840, 2160, 30, 1, -14).minimumLevel());
        assertEquals("smpte170m", new Target(854, 480, 30, 1, -14).colour());
    }
}
