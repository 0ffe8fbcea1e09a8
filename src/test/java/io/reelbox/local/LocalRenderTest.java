package io.reelbox.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.testing.Probe;

/**
 * Real renders of media made here with ffmpeg's synthetic sources, checked the way a viewer would notice:
 * length to the frame, exact size, codecs, sound as long as picture, the title there and gone, music under speech.
 */
class LocalRenderTest {

    private static final double FRAME = 1.0 / Planner.FPS;

    @TempDir
    static Path media;
    @TempDir
    Path work;

    @BeforeAll
    static void makeMedia() throws IOException {
        Probe.still(media.resolve("navy.jpg"), "color=c=0x000060:s=1280x720");
        Probe.still(media.resolve("maroon.png"), "color=c=0x600000:s=800x600");
        Probe.still(media.resolve("tall.jpg"), "color=c=0x003000:s=600x1000");
        // Odd frame rates and sample rates, mono and stereo: every one must be normalised before joining.
        Probe.clip(media.resolve("c24.mp4"), "testsrc2=s=640x360:r=24,hue=s=0", "sine=f=1000:r=44100", 3.0);
        Probe.clip(media.resolve("c2997.mp4"), "testsrc2=s=720x480:r=30000/1001,hue=s=0", "sine=f=1000:r=22050", 3.0);
        Probe.clip(media.resolve("c25.mp4"), "testsrc2=s=320x240:r=25,hue=s=0", "sine=f=1000:r=48000,aformat=channel_layouts=stereo", 2.5);
        Probe.tone(media.resolve("music.mp3"), "sine=f=200:r=44100", 4.0);
    }

    private Path render(String prompt, String... names) throws Exception {
        Ffmpeg ff = Probe.ffmpeg();
        List<MediaInfo> infos = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String n : names) {
            Path p = media.resolve(n);
            infos.add(MediaInfo.probe(ff, n, p, MediaKind.byName(n).orElseThrow()));
            files.put(n, p);
        }
        Planner.Plan plan = new Planner().plan(prompt, null, infos);
        Path out = work.resolve("out.mp4");
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        RenderCommand.Command cmd = RenderCommand.build(plan.draft(), files, LocalSetup.font(work), scratch, out);
        Process p = ff.start(cmd.args(), scratch.resolve("log"));
        Ffmpeg.readProgress(p, us -> { });
        assertEquals(0, p.waitFor(), () -> {
            try {
                return Files.readString(scratch.resolve("log"));
            } catch (IOException e) {
                return e.toString();
            }
        });
        return out;
    }

    private static void assertLength(Path out, double seconds) throws IOException {
        Probe.Info info = Probe.info(out);
        assertEquals(seconds, info.duration(), FRAME, "container duration");
        double[] lengths = Probe.streamLengths(out, Planner.FPS);
        assertEquals(seconds, lengths[0], FRAME / 2, "video frames");
        assertEquals(lengths[0], lengths[1], FRAME, "audio as long as the picture: no drift");
    }

    @Test
    void stillsMusicTitleAndTransitionsInVertical720p() throws Exception {
        Path out = render("an 8-second vertical 720p video with transitions, titled 'Hello', music at 30%", "navy.jpg", "maroon.png", "tall.jpg", "music.mp3");
        Probe.Info info = Probe.info(out);
        assertEquals("h264", info.videoCodec());
        assertEquals(720, info.width());
        assertEquals(1280, info.height());
        assertEquals(30.0, info.fps());
        assertEquals("aac", info.audioCodec());
        assertEquals(48000, info.sampleRate());
        assertEquals("stereo", info.channels());
        assertLength(out, 8.0);
        // The title: white text over dark stills at 1 s, gone at 4 s.
        double at1 = Probe.whiteShare(Probe.frame(out, 1.0, 720, 1280));
        assertTrue(at1 > 0.002, "title visible at 1 s: " + at1);
        assertEquals(0.0, Probe.whiteShare(Probe.frame(out, 4.0, 720, 1280)), 0.0005, "title gone at 4 s");
    }

    @Test
    void everyAspectHasItsExactSize() throws Exception {
        String[][] cases = {{"square 480p", "480x480"}, {"landscape 480p", "854x480"}};
        for (String[] c : cases) {
            Probe.Info info = Probe.info(render("a 2 second " + c[0] + " video", "maroon.png"));
            assertEquals(c[1], info.width() + "x" + info.height(), c[0]);
        }
    }

    @Test
    void clipsAtOddRatesJoinWithoutDriftPerTransition() throws Exception {
        Path out = render("a 480p video with transitions, no music", "c24.mp4", "c2997.mp4", "navy.jpg", "c25.mp4");
        // Nothing to trim: clips run their full length (one frame short), the still gets the default 4 s.
        Probe.Info info = Probe.info(out);
        double planned = (89 + 89 + 120 + 74 - 3 * 30) / 30.0;
        assertEquals(planned, info.duration(), FRAME);
        assertLength(out, planned);
    }

    @Test
    void musicSitsUnderTheClipsOwnSound() throws Exception {
        Path out = render("a 480p video, no transitions, music at 20%", "c24.mp4", "music.mp3");
        double clipTone = Probe.meanVolume(out, 0.5, 2.5, "highpass=f=700");
        double musicTone = Probe.meanVolume(out, 0.5, 2.5, "lowpass=f=350");
        assertTrue(musicTone < clipTone - 6, "music (" + musicTone + " dB) well under the clip (" + clipTone + " dB)");
    }

    @Test
    void slowZoomOnPhotos() throws Exception {
        Path out = render("a 3 second 480p video with a slow zoom", "maroon.png");
        assertLength(out, 3.0);
    }
}
