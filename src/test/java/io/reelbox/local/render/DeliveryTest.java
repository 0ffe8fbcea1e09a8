package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.plan.Planner;
import io.reelbox.testing.Probe;

/**
 * What every video delivers, measured on the MP4 the render queue publishes (two loudness passes, then one run or a
 * split render): its sound at -14 LUFS with a true peak at most -1 dBTP whether its sources were quiet or loud, silence
 * kept silent, a keyframe at least every 2 s and the moov box first.
 */
class DeliveryTest {

    @TempDir
    static Path media;
    @TempDir
    Path work;

    @BeforeAll
    static void makeMedia() throws Exception {
        Probe.still(media.resolve("a.jpg"), "testsrc2=s=640x360");
        Probe.still(media.resolve("b.jpg"), "color=c=0x336699:s=640x360");
        // A whisper: a tone 40 dB under full scale, in a clip of its own.
        Probe.clip(media.resolve("quiet.mp4"), "testsrc2=s=640x360:r=30", "sine=f=300:r=48000,volume=0.01", 4.0);
        // Music at full scale: a loud square-ish tone with a pulse.
        Probe.tone(media.resolve("loud.mp3"), "aevalsrc='0.99*sgn(sin(2*PI*220*t))*(0.6+0.4*sin(2*PI*2*t))':s=44100", 20);
    }

    private Path render(String prompt, int parts, String... names) throws Exception {
        List<MediaInfo> infos = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String n : names) {
            infos.add(MediaInfo.probe(Probe.ffmpeg(), n, media.resolve(n), MediaKind.byName(n).orElseThrow()));
            files.put(n, media.resolve(n));
        }
        JsonNode draft = new Planner().plan(prompt, null, infos).draft();
        try (RenderQueue queue = new RenderQueue(Probe.ffmpeg(), LocalSetup.font(work), work.resolve("renders"), 1, parts, -14)) {
            assertTrue(queue.submit("r1", draft, files));
            RenderQueue.Render r = queue.get("r1");
            assertTrue(r.awaitEnd(java.time.Duration.ofMinutes(2)), "the render ends");
            assertEquals("completed", r.status, r.error);
            return r.output;
        }
    }

    private static void assertDelivered(Path video, String what) throws Exception {
        double[] loudness = Probe.loudness(video);
        assertEquals(-14, loudness[0], 1.0, what + ": integrated loudness");
        assertTrue(loudness[1] <= -0.8, what + ": true peak " + loudness[1] + " dBTP");
    }

    @Test
    void aWhisperIsRaisedToMinus14LufsWithoutClipping() throws Exception {
        Path video = render("a 6 second video, no music", 1, "quiet.mp4", "a.jpg");
        assertDelivered(video, "quiet clip");
    }

    @Test
    void loudMusicIsBroughtDownToMinus14InASplitRender() throws Exception {
        Path video = render("a 14 second slideshow", 2, "a.jpg", "b.jpg", "loud.mp3");
        assertDelivered(video, "loud music");
        List<Double> keys = Probe.keyframes(video);
        double gap = 0;
        for (int i = 1; i < keys.size(); i++) {
            gap = Math.max(gap, keys.get(i) - keys.get(i - 1));
        }
        gap = Math.max(gap, Probe.info(video).duration() - keys.get(keys.size() - 1));
        assertTrue(keys.size() >= 7 && gap <= 2.0 + 0.01, "a keyframe at least every 2 s: " + keys);
        List<String> boxes = Probe.boxes(video);
        assertTrue(boxes.indexOf("moov") >= 0 && boxes.indexOf("moov") < boxes.indexOf("mdat"), "moov first: " + boxes);
    }

    @Test
    void silenceStaysSilent() throws Exception {
        Path video = render("a 4 second video", 1, "a.jpg", "b.jpg");
        double[] loudness = Probe.loudness(video);
        assertTrue(loudness[0] <= -70 && loudness[1] == Double.NEGATIVE_INFINITY, "no sound raised from nothing: " + loudness[0] + " LUFS");
        assertTrue(Files.size(video) > 0);
    }
}
