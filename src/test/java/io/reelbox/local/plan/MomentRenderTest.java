package io.reelbox.local.plan;

import static io.reelbox.testing.Footage.Kind.FLOOR;
import static io.reelbox.testing.Footage.Kind.LIVELY;
import static io.reelbox.testing.Footage.Kind.WALL;
import static io.reelbox.testing.Footage.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.analysis.MediaAnalysis;
import io.reelbox.local.render.RenderCommand;
import io.reelbox.testing.Footage;
import io.reelbox.testing.Probe;

/** Best moments rendered: several stretches of one clip, and clips that give the analysis little or nothing to go on. */
class MomentRenderTest {

    @TempDir
    Path dir;

    private final List<MediaInfo> media = new ArrayList<>();
    private final Map<String, Path> files = new HashMap<>();

    private void add(Path file) throws Exception {
        String name = file.getFileName().toString();
        media.add(new MediaAnalysis().analyse(Probe.ffmpeg(), MediaInfo.probe(Probe.ffmpeg(), name, file, MediaKind.byName(name).orElseThrow())));
        files.put(name, file);
    }

    private Path render(Planner.Plan plan) throws Exception {
        Path out = dir.resolve("out.mp4");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        RenderCommand.Command cmd = RenderCommand.build(plan.draft(), files, LocalSetup.font(dir), scratch, out, RenderCommand.Streams.BOTH);
        Process p = Probe.ffmpeg().start(cmd.args(), scratch.resolve("log"));
        Ffmpeg.readProgress(p, us -> { });
        assertEquals(0, p.waitFor(), () -> read(scratch.resolve("log")));
        return out;
    }

    @Test
    void aLongClipGivesTwoStretchesJoinedByAStraightCutThenAFadeToThePhoto() throws Exception {
        add(Footage.clip(dir.resolve("walk.mp4"), 480, 270, part(FLOOR, 3), part(LIVELY, 5), part(WALL, 10), part(LIVELY, 5), part(FLOOR, 7)));
        add(Probe.still(dir.resolve("grey.jpg"), "color=c=gray:s=480x270"));
        Planner.Plan plan = new Planner().plan("make a 13 second video with 1 second fades, 3 seconds per photo", null, media);
        JsonNode sg = plan.draft().path("t").get(0).path("sg");
        assertEquals(3, sg.size(), "two stretches of the clip and the photo: " + sg);
        assertTrue(sg.get(0).path("td").isMissingNode(), "a straight cut between the stretches");
        assertEquals(1000, sg.get(1).path("td").asLong(), "the fade after the clip's last stretch");
        assertTrue(plan.reply().contains("Each photo shows for about 3.0 s") && !plan.reply().contains("Changed"), plan.reply());
        // Each stretch holds its lively moment (3–8 s, 18–23 s) but for the sample (0.2 s) a shot cut is known within.
        assertTrue(overlap(sg.get(0), 3000, 8000) >= 4800 && overlap(sg.get(1), 18000, 23000) >= 4600, sg.toString());

        Path out = render(plan);
        assertEquals(13.0, Probe.info(out).duration(), 1 / 30.0);
        List<byte[]> frames = Probe.frames(out, 64, 36);
        int clipFrames = (int) ((sg.get(0).path("d").asLong() + sg.get(1).path("d").asLong()) * 30 / 1000) - 30;
        long lively = frames.subList(0, clipFrames).stream().filter(f -> Footage.saturation(f) > 40).count();
        // 10 s of the clip are lively, and it has 11 s in the video: 1 s must be dull, and a cut's place is known to 0.2 s.
        assertTrue(clipFrames - lively <= 1.2 * 30, lively + " of the clip's first " + clipFrames + " frames are lively");
        assertTrue(Footage.saturation(frames.get(frames.size() - 5)) < 10, "the photo closes the video");
    }

    @Test
    void aMinuteOfStillSilentFootageStartsFromItsBeginningAndSaysWhy() throws Exception {
        add(Footage.clip(dir.resolve("pocket.mp4"), 320, 180, part(FLOOR, 60)));
        Planner.Plan plan = new Planner().plan("a 6 second video", null, media);
        assertTrue(plan.reply().contains("Nothing in pocket.mp4 stands out (it is dark, still or silent throughout), so it starts from its beginning"),
                plan.reply());
        assertEquals(0, plan.draft().path("t").get(0).path("sg").get(0).path("in").asLong());
        assertEquals(6.0, Probe.info(render(plan)).duration(), 1 / 30.0);
    }

    @Test
    void aClipBrokenPartwayAndAHalfSecondClipStillMakeTheVideo() throws Exception {
        Path broken = Footage.clip(dir.resolve("broken.mp4"), 320, 180, part(FLOOR, 10), part(LIVELY, 5), part(FLOOR, 5));
        // Zeros over a fifth of the file in its middle: the frames there cannot be decoded.
        try (RandomAccessFile f = new RandomAccessFile(broken.toFile(), "rw")) {
            long size = f.length();
            f.seek(size * 2 / 5);
            f.write(new byte[(int) (size / 5)]);
        }
        add(broken);
        add(Footage.clip(dir.resolve("blink.mp4"), 320, 180, part(LIVELY, 0.5)));
        Planner.Plan plan = new Planner().plan("an 8 second video", null, media);
        assertTrue(plan.draft() != null, plan.reply());
        Path out = render(plan);
        assertEquals(8.0, Probe.info(out).duration(), 1 / 30.0, plan.reply());
        double[] lengths = Probe.streamLengths(out, 30);
        assertEquals(lengths[0], lengths[1], 1 / 30.0, "sound as long as picture");
    }

    private static long overlap(JsonNode segment, long from, long to) {
        long in = segment.path("in").asLong();
        return Math.max(0, Math.min(to, in + segment.path("d").asLong()) - Math.max(from, in));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
