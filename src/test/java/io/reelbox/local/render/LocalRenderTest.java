package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.plan.Planner;
import io.reelbox.testing.Probe;

/**
 * Real renders of media made here with ffmpeg's synthetic sources, checked the way a viewer would notice:
 * length to the frame, exact size, codecs, sound as long as picture, the title there and gone, music under speech.
 */
class LocalRenderTest {

    private static final double FRAME = 1.0 / Timeline.FPS;

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
        // Upright: a portrait picture, red above blue. Then as phones store it: turned against the flag a player applies.
        Probe.make("-f", "lavfi", "-i", UPRIGHT, "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                media.resolve("upright.mp4").toString());
        for (int r : new int[] {90, 180, 270}) {
            String storedAs = switch (r) {
                case 90 -> "transpose=cclock";
                case 180 -> "hflip,vflip";
                default -> "transpose=clock";
            };
            Path stored = media.resolve("stored" + r + ".mp4");
            Probe.make("-i", media.resolve("upright.mp4").toString(), "-vf", storedAs, "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", stored.toString());
            // This ffmpeg's mp4 muxer writes the tag as the opposite turn of the one its demuxer (and every player) reads.
            // With the place it was shot, as phones write it: a render must not pass it on.
            Probe.make("-i", stored.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=" + (360 - r) % 360,
                    "-metadata", "location=+48.8566+002.3522/", media.resolve("phone" + r + ".mp4").toString());
        }
    }

    /** 360x640, red over blue: which way is up can be read from two pixels. */
    private static final String UPRIGHT = "color=c=red:s=360x640:r=30,drawbox=x=0:y=320:w=360:h=320:color=blue:t=fill";

    private static int[] pixel(byte[] rgb, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return new int[] {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff};
    }

    private static void assertRed(int[] p, String where) {
        assertTrue(p[0] > 150 && p[1] < 80 && p[2] < 80, where + " should be red: " + java.util.Arrays.toString(p));
    }

    private static void assertBlue(int[] p, String where) {
        assertTrue(p[2] > 150 && p[0] < 80 && p[1] < 80, where + " should be blue: " + java.util.Arrays.toString(p));
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
        RenderCommand.Command cmd = RenderCommand.build(plan.draft(), files, LocalSetup.font(work), scratch, out, RenderCommand.Streams.BOTH);
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
        double[] lengths = Probe.streamLengths(out, Timeline.FPS);
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
    void photosPanSlowlyByDefaultEachTheOtherWayAndStayStillWhenAsked() throws Exception {
        Probe.still(media.resolve("pattern1.jpg"), "testsrc2=s=1280x720");
        Probe.still(media.resolve("pattern2.jpg"), "testsrc2=s=1280x720,hflip");
        Path out = render("an 8 second video", "pattern1.jpg", "pattern2.jpg");
        assertLength(out, 8.0);
        // The first photo shows 4.5 s (135 frames): the window slides a pixel a frame (of 1920), 134 in all; between
        // 0.2 s and 3.3 s that is 93 pixels, 31 at the 640 measured here. The content moves against the window.
        int first = Probe.horizontalShift(Probe.frame(out, 0.2, 640, 360), Probe.frame(out, 3.3, 640, 360));
        assertEquals(-31, first, 2, "the first photo's content moves left");
        int second = Probe.horizontalShift(Probe.frame(out, 4.7, 640, 360), Probe.frame(out, 7.8, 640, 360));
        assertEquals(31, second, 2, "the second photo's the other way");

        Path still = render("an 8 second video with static photos", "pattern1.jpg", "pattern2.jpg");
        assertEquals(0, Probe.horizontalShift(Probe.frame(still, 0.2, 640, 360), Probe.frame(still, 3.3, 640, 360)), "static photos do not move");
    }

    @Test
    void slowZoomOnPhotos() throws Exception {
        Path out = render("a 3 second 480p video with a slow zoom", "maroon.png");
        assertLength(out, 3.0);
    }

    @Test
    void phoneVideosAreReadAsDisplayedAndRenderedUpright() throws Exception {
        for (int r : new int[] {90, 180, 270}) {
            String name = "phone" + r + ".mp4";
            MediaInfo info = MediaInfo.probe(Probe.ffmpeg(), name, media.resolve(name), MediaKind.MP4);
            assertEquals(r, info.rotation(), name + " flag");
            assertEquals("360x640", info.width() + "x" + info.height(), name + " as displayed");
            // No aspect asked: one portrait clip gives a vertical video.
            Path out = render("make a 480p video", name);
            Probe.Info probe = Probe.info(out);
            assertEquals("480x854", probe.width() + "x" + probe.height(), name + ": the frame follows the media");
            assertEquals(0, MediaInfo.probe(Probe.ffmpeg(), "out.mp4", out, MediaKind.MP4).rotation(), "the output carries no flag to turn it again");
            assertTrue(Probe.ffmpeg().run(List.of("-i", media.resolve(name).toString()), 60).contains("48.8566"), "the input has a location");
            assertFalse(Probe.ffmpeg().run(List.of("-i", out.toString()), 60).contains("48.8566"), "the output does not");
            byte[] rgb = Probe.frame(out, 1.0, 480, 854);
            assertRed(pixel(rgb, 480, 240, 150), name + " top");
            assertBlue(pixel(rgb, 480, 240, 700), name + " bottom");
        }
    }

    @Test
    void aRotationFlagThatIsNotAQuarterTurnFallsBackToThePictureAsStored() throws Exception {
        // 45°, and a matrix of zeros (NaN degrees): written straight into the track header's matrix.
        int[][] matrices = {{0xB505, 0xB505, 0, 0xFFFF4AFB, 0xB505, 0, 0, 0, 0x40000000}, {0, 0, 0, 0, 0, 0, 0, 0, 0x40000000}};
        for (int k = 0; k < matrices.length; k++) {
            Path odd = media.resolve("odd" + k + ".mp4");
            byte[] bytes = Files.readAllBytes(media.resolve("phone90.mp4"));
            int box = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("tkhd") - 4;
            int matrix = box + (bytes[box + 8] == 1 ? 60 : 48);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            for (int i = 0; i < 9; i++) {
                buf.putInt(matrix + 4 * i, matrices[k][i]);
            }
            Files.write(odd, bytes);
            MediaInfo info = MediaInfo.probe(Probe.ffmpeg(), odd.getFileName().toString(), odd, MediaKind.MP4);
            assertEquals(0, info.rotation(), "matrix " + k);
            assertEquals("640x360", info.width() + "x" + info.height(), "matrix " + k + ": shown as stored");
            Path out = render("make a 480p video", odd.getFileName().toString());
            byte[] rgb = Probe.frame(out, 1.0, 854, 480);
            // Stored turned left: red on the left, blue on the right, and no tilt leaving black corners.
            assertRed(pixel(rgb, 854, 100, 240), "matrix " + k + " left");
            assertBlue(pixel(rgb, 854, 750, 240), "matrix " + k + " right");
            assertRed(pixel(rgb, 854, 8, 8), "matrix " + k + " top-left corner");
        }
    }

    @Test
    void mediaOfAnotherShapeAreFilledWithABlurredCopyBlackBarsOrCropped() throws Exception {
        byte[] blur = Probe.frame(render("a landscape 480p video", "upright.mp4"), 1.0, 854, 480);
        // The picture itself, centred: 270 px wide.
        assertRed(pixel(blur, 854, 427, 100), "centre top");
        assertBlue(pixel(blur, 854, 427, 400), "centre bottom");
        // The sides: a darkened, blurred copy of the same picture, red above and blue below.
        int[] sideTop = pixel(blur, 854, 40, 60);
        int[] sideBottom = pixel(blur, 854, 40, 420);
        assertTrue(sideTop[0] > 60 && sideTop[0] > sideTop[2] + 30 && sideTop[0] < 230, "blurred red at the side: " + java.util.Arrays.toString(sideTop));
        assertTrue(sideBottom[2] > 60 && sideBottom[2] > sideBottom[0] + 30 && sideBottom[2] < 230,
                "blurred blue at the side: " + java.util.Arrays.toString(sideBottom));

        byte[] black = Probe.frame(render("a landscape 480p video with black bars", "upright.mp4"), 1.0, 854, 480);
        int[] bar = pixel(black, 854, 40, 60);
        assertTrue(bar[0] < 20 && bar[1] < 20 && bar[2] < 20, "black bar: " + java.util.Arrays.toString(bar));
        assertRed(pixel(black, 854, 427, 100), "black-bar centre top");

        byte[] crop = Probe.frame(render("a landscape 480p video, crop to fill", "upright.mp4"), 1.0, 854, 480);
        assertRed(pixel(crop, 854, 40, 40), "cropped: the picture reaches the edge");
        assertBlue(pixel(crop, 854, 40, 440), "cropped: blue below");
    }

    @Test
    void aPhotoLoopedToAnyLengthKeepsEveryFrame() throws Exception {
        // A photo arrives in a 1/25 s time base; 349 frames at 30 fps lost one before the loop's time base was set.
        for (int frames : new int[] {349, 350}) {
            Path out = render(String.format(java.util.Locale.ROOT, "a %.4f second 480p video", frames / 30.0), "navy.jpg");
            assertEquals(frames / 30.0, Probe.streamLengths(out, Timeline.FPS)[0], 1e-9, frames + " frames");
        }
    }

    @Test
    void aPortraitPhonePhotoIsTurnedByItsExifOrientation() throws Exception {
        // Stored as a phone stores it: the upright picture turned left, tagged "turn 90° clockwise to view" (EXIF 6).
        Path photo = media.resolve("exif.jpg");
        Probe.make("-f", "lavfi", "-i", UPRIGHT + ",transpose=cclock", "-frames:v", "1", "-q:v", "3", photo.toString());
        Files.write(photo, withExifOrientation(Files.readAllBytes(photo), 6));
        MediaInfo info = MediaInfo.probe(Probe.ffmpeg(), "exif.jpg", photo, MediaKind.JPG);
        assertEquals(90, info.rotation());
        assertEquals("360x640", info.width() + "x" + info.height(), "as displayed");
        Path out = render("make a 480p video", "exif.jpg");
        assertEquals("480x854", Probe.info(out).width() + "x" + Probe.info(out).height(), "a portrait photo: a vertical frame");
        byte[] rgb = Probe.frame(out, 1.0, 480, 854);
        assertRed(pixel(rgb, 480, 240, 150), "top");
        assertBlue(pixel(rgb, 480, 240, 700), "bottom");
    }

    /** {@code jpeg} with an EXIF block holding only an Orientation tag, inserted right after the start marker. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        java.nio.ByteBuffer app1 = java.nio.ByteBuffer.allocate(36);
        app1.putShort((short) 0xffe1).putShort((short) 34).put("Exif".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 0);
        app1.put("MM".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
        app1.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        app1.putInt(0);
        byte[] out = new byte[jpeg.length + 36];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, 36);
        System.arraycopy(jpeg, 2, out, 38, jpeg.length - 2);
        return out;
    }
}
