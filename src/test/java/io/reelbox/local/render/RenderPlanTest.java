package io.reelbox.local.render;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import io.reelbox.local.Timeline;
import io.reelbox.local.plan.Planner;
import io.reelbox.testing.Probe;

/** A long render made as two halves side by side plus its sound: the same video as one run makes, to the frame. */
class RenderPlanTest {

    @TempDir
    static Path media;
    @TempDir
    Path work;

    private static final Planner PLANNER = new Planner();

    @BeforeAll
    static void makeMedia() throws IOException {
        Probe.still(media.resolve("a.jpg"), "color=c=0x602000:s=1280x720");
        Probe.still(media.resolve("b.jpg"), "testsrc2=s=1280x720");
        // The clip crosses the middle, so the second half starts inside it: its in-point must move with the cut.
        Probe.clip(media.resolve("clip.mp4"), "testsrc2=s=640x360:r=30", "sine=f=900:r=48000", 8.0);
        Probe.tone(media.resolve("music.mp3"), "sine=f=200:r=44100", 20.0);
    }

    private static List<MediaInfo> infos(String... names) throws IOException {
        List<MediaInfo> infos = new ArrayList<>();
        for (String n : names) {
            infos.add(MediaInfo.probe(Probe.ffmpeg(), n, media.resolve(n), MediaKind.byName(n).orElseThrow()));
        }
        return infos;
    }

    private static int frames(JsonNode draft) {
        int total = 0;
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt() == 0) {
                for (JsonNode sg : t.path("sg")) {
                    total += Timeline.frames(sg.path("d").asLong()) - Timeline.frames(sg.path("td").asLong(0));
                }
            }
        }
        return total;
    }

    @Test
    void theCutFallsInThePlainPartOfASegmentNearTheMiddle() throws IOException {
        JsonNode draft = PLANNER.plan("a 20 second 480p video with 1 second transitions, titled 'Seam'", null,
                infos("a.jpg", "clip.mp4", "b.jpg", "music.mp3")).draft();
        JsonNode[] halves = RenderPlan.halves(draft).orElseThrow();
        assertEquals(600, frames(halves[0]) + frames(halves[1]), "no frame lost or doubled");
        assertEquals(300, frames(halves[0]), 15, "near the middle");
        JsonNode seamFirst = halves[0].path("t").get(0).path("sg");
        assertFalse(seamFirst.get(seamFirst.size() - 1).has("fx"), "the first half ends without a transition");
        assertTrue(halves[0].path("t").toString().contains("Seam"), "the title is in the first half");
        assertFalse(halves[1].path("t").toString().contains("Seam"), "and not in the second");
        assertEquals(Timeline.ms(frames(halves[0])), halves[0].path("d").asLong());
    }

    @Test
    void shortVideosAndAllZoomAreOneRun() throws IOException {
        assertTrue(RenderPlan.halves(PLANNER.plan("a 6 second video", null, infos("a.jpg", "b.jpg")).draft()).isEmpty(), "short");
        assertTrue(RenderPlan.halves(PLANNER.plan("a 20 second video with a slow zoom", null, infos("a.jpg")).draft()).isEmpty(),
                "a zoom would restart at the cut");
    }

    private Path render(JsonNode draft, int parts, Map<String, Path> files) throws Exception {
        Path dir = Files.createDirectories(work.resolve("parts-" + parts));
        try (RenderQueue queue = new RenderQueue(Probe.ffmpeg(), LocalSetup.font(work), dir, 1, parts, -14)) {
            assertTrue(queue.submit("r", draft, files));
            await().atMost(Duration.ofMinutes(2)).until(() -> !queue.get("r").status.matches("pending|processing"));
            assertEquals("completed", queue.get("r").status, () -> queue.get("r").error);
            return queue.get("r").output;
        }
    }

    @Test
    void twoHalvesMakeTheSameVideoAsOneRun() throws Exception {
        List<MediaInfo> infos = infos("a.jpg", "clip.mp4", "b.jpg", "music.mp3");
        JsonNode draft = PLANNER.plan("a 20 second 480p video with 1 second transitions, titled 'Seam', music at 30%", null, infos).draft();
        Map<String, Path> files = new HashMap<>();
        infos.forEach(m -> files.put(m.id(), m.file()));
        Path split = render(draft, 2, files);
        Path whole = render(draft, 1, files);
        double[] lengths = Probe.streamLengths(split, Timeline.FPS);
        assertEquals(20.0, lengths[0], 1e-9, "every frame, once");
        assertEquals(lengths[0], lengths[1], 1.0 / Timeline.FPS, "sound as long as the picture");
        assertEquals(20.0, Probe.info(split).duration(), 1.0 / Timeline.FPS);
        double ssim = Probe.ssim(split, whole);
        assertTrue(ssim > 0.99, "the same picture, frame by frame: SSIM " + ssim);
        assertTrue(Probe.whiteShare(Probe.frame(split, 1.0, 854, 480)) > 0.001, "the title");
        assertEquals(Probe.meanVolume(whole, 2, 18, "anull"), Probe.meanVolume(split, 2, 18, "anull"), 0.2, "the same sound");
    }
}
