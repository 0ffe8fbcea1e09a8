package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.delivery.Mp4Layout;
import io.reelbox.local.plan.Planner;
import io.reelbox.testing.Probe;

/**
 * Colour and container, measured on rendered MP4s: a known bar's pixel values in the standard of the frame's size
 * (BT.709 from HD up, BT.601 below, limited range either way, a full-range JPEG included), the stream tagged with it,
 * no edit list with the moov box first, and the sound on the picture with no encoder delay added.
 */
class ColourAndContainerTest {

    @TempDir
    static Path media;
    @TempDir
    Path work;

    @BeforeAll
    static void makeMedia() throws Exception {
        // Left half pure red, right half pure green, as RGB: the bars' YCbCr values differ clearly between the standards.
        Probe.make("-f", "lavfi", "-i", "color=black:s=640x360,format=gbrp,geq=r='if(lt(X,320),255,0)':g='if(gte(X,320),255,0)':b=0",
                "-frames:v", "1", media.resolve("bars.png").toString());
        // A JPEG decodes full range (yuvj420p): white must come out at limited range's 235, black at 16.
        Probe.make("-f", "lavfi", "-i", "color=black:s=640x360,format=gbrp,geq=r='if(lt(X,320),255,0)':g='if(lt(X,320),255,0)':b='if(lt(X,320),255,0)'",
                "-frames:v", "1", "-q:v", "1", media.resolve("white-black.jpg").toString());
        // A beep at exactly 2.0 s, and a white flash on the same frame, over black.
        Probe.clip(media.resolve("sync.mp4"), "color=black:s=640x360:r=30,drawbox=enable='between(t,2,2.5)':c=white:t=fill",
                "aevalsrc='if(between(t,2,2.5),0.5*sin(2*PI*1000*t),0)':s=48000", 4.0);
    }

    private Path render(String prompt, String name) throws Exception {
        MediaInfo info = MediaInfo.probe(Probe.ffmpeg(), name, media.resolve(name), MediaKind.byName(name).orElseThrow());
        JsonNode draft = new Planner().plan(prompt, null, List.of(info)).draft();
        try (RenderQueue queue = new RenderQueue(Probe.ffmpeg(), LocalSetup.font(work), work.resolve("renders"), 1, 1, -14)) {
            assertTrue(queue.submit("r1", draft, Map.of(name, media.resolve(name))));
            RenderQueue.Render r = queue.get("r1");
            assertTrue(r.awaitEnd(java.time.Duration.ofMinutes(2)), "the render ends");
            assertEquals("completed", r.status, r.error);
            assertTrue(r.delivery.passed(), "checked on delivery: " + r.delivery.problems());
            return r.output;
        }
    }

    /** Y, Cb, Cr of the pixel at (x, y) of the frame at {@code seconds}. */
    private static int[] ycbcr(Path video, double seconds, int x, int y) throws Exception {
        Path raw = media.resolve("px-" + System.nanoTime() + ".yuv");
        Probe.make("-ss", String.valueOf(seconds), "-i", video.toString(), "-frames:v", "1", "-vf", "crop=2:2:" + x + ":" + y,
                "-f", "rawvideo", "-pix_fmt", "yuv444p", raw.toString());
        byte[] b = java.nio.file.Files.readAllBytes(raw);
        return new int[] {b[0] & 0xff, b[4] & 0xff, b[8] & 0xff};
    }

    private static void assertNear(int[] want, int[] got, String what) {
        for (int k = 0; k < 3; k++) {
            assertEquals(want[k], got[k], 3, what + ": Y Cb Cr " + java.util.Arrays.toString(got) + ", wanted "
                    + java.util.Arrays.toString(want));
        }
    }

    @Test
    void anHdRenderIsBt709LimitedRangeAndTaggedSo() throws Exception {
        Path video = render("a 3 second video, static photos", "bars.png");
        assertNear(new int[] {63, 102, 240}, ycbcr(video, 1.0, 480, 540), "red in BT.709");
        assertNear(new int[] {173, 42, 26}, ycbcr(video, 1.0, 1440, 540), "green in BT.709");
        assertTrue(Probe.ffmpeg().run(List.of("-i", video.toString()), 30).contains("yuv420p(tv, bt709)"), "tagged BT.709, limited range");
    }

    @Test
    void anSdRenderIsBt601() throws Exception {
        Path video = render("a 3 second video in 480p, static photos", "bars.png");
        String info = Probe.ffmpeg().run(List.of("-i", video.toString()), 30);
        assertTrue(info.contains("yuv420p(tv, smpte170m)") && info.contains("854x480"), info);
        assertNear(new int[] {81, 90, 240}, ycbcr(video, 1.0, 213, 240), "red in BT.601");
        assertNear(new int[] {145, 54, 34}, ycbcr(video, 1.0, 640, 240), "green in BT.601");
    }

    @Test
    void aFullRangeJpegComesOutLimitedRange() throws Exception {
        Path video = render("a 3 second video, static photos", "white-black.jpg");
        assertNear(new int[] {235, 128, 128}, ycbcr(video, 1.0, 480, 540), "white");
        assertNear(new int[] {16, 128, 128}, ycbcr(video, 1.0, 1440, 540), "black");
    }

    @Test
    void noEditListMoovFirstAndTheSoundStaysOnThePicture() throws Exception {
        Path video = render("a 4 second video, no music", "sync.mp4");
        Mp4Layout layout = Mp4Layout.read(video);
        assertFalse(layout.editList(), "no edit list: " + layout.boxes());
        assertTrue(layout.moovFirst());
        assertEquals(100, layout.avcProfile(), "H.264 High");
        assertTrue(layout.avcLevel() >= 40, "level " + layout.avcLevel() + " plays 1080p30");
        assertTrue(layout.largestKeyframeGap() <= 2.0 + 1 / 30.0, "gap " + layout.largestKeyframeGap());
        double[] lengths = Probe.streamLengths(video, 30);
        assertEquals(4.0, lengths[0], 0.05, "the picture lasts as planned (the clip's own length)");
        assertEquals(lengths[0], lengths[1], 0.022, "the sound lasts as long: no priming added to it");
        // The flash's first frame and the beep's first sample, as a player without edit lists meets them.
        List<byte[]> frames = Probe.frames(video, 16, 9);
        int first = 0;
        while (first < frames.size() && Probe.whiteShare(frames.get(first)) < 0.5) {
            first++;
        }
        double flash = first / 30.0;
        double beep = firstLoud(video);
        assertEquals(2.0, flash, 0.034, "the flash is on its frame");
        assertEquals(flash, beep, 0.01, "the beep plays with the flash: the AAC priming (21 ms) is not added to the delay");
    }

    /** When the sound first rises above -30 dBFS, to the sample. */
    private static double firstLoud(Path video) throws Exception {
        Path raw = media.resolve("pcm-" + System.nanoTime() + ".raw");
        Probe.make("-i", video.toString(), "-map", "0:a", "-ac", "1", "-f", "s16le", raw.toString());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(raw)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; b.remaining() >= 2; i++) {
            if (Math.abs(b.getShort()) > 1000) {
                return i / 48000.0;
            }
        }
        return -1;
    }
}
