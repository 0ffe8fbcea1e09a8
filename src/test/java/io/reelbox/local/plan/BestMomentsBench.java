package io.reelbox.local.plan;

import static io.reelbox.testing.Footage.Kind.FLOOR;
import static io.reelbox.testing.Footage.Kind.LIVELY;
import static io.reelbox.testing.Footage.Kind.WALL;
import static io.reelbox.testing.Footage.part;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.analysis.MediaAnalysis;
import io.reelbox.local.render.RenderCommand;
import io.reelbox.testing.Footage;
import io.reelbox.testing.Probe;

/**
 * The trial before and after, for BENCHMARKS.md and the README's frame strip: three 20 s clips, each mostly
 * dull with a 5 s lively moment, made into 12 s. "Before" is the plan without the clips' profiles, which cuts every
 * clip from its start, as the planner did before issue 19; "after" is today's. Both are rendered and measured by the
 * colour of their frames; one frame every two seconds of each goes into {@code docs/frame-strip.png}. Run with
 * {@code bench/moments/run.sh}.
 */
@Tag("bench")
class BestMomentsBench {

    @TempDir
    Path dir;

    @Test
    void beforeAndAfter() throws Exception {
        Ffmpeg ff = Probe.ffmpeg();
        Map<String, Path> files = new HashMap<>();
        files.put("1-beach.mp4", Footage.clip(dir.resolve("1-beach.mp4"), 640, 360, part(FLOOR, 3), part(LIVELY, 5), part(FLOOR, 12)));
        files.put("2-park.mp4", Footage.clip(dir.resolve("2-park.mp4"), 640, 360, part(WALL, 13), part(LIVELY, 5), part(FLOOR, 2)));
        files.put("3-city.mp4", Footage.clip(dir.resolve("3-city.mp4"), 640, 360, part(FLOOR, 8), part(LIVELY, 5), part(WALL, 7)));
        List<MediaInfo> plain = new ArrayList<>();
        List<MediaInfo> analysed = new ArrayList<>();
        for (String name : List.of("1-beach.mp4", "2-park.mp4", "3-city.mp4")) {
            MediaInfo info = MediaInfo.probe(ff, name, files.get(name), MediaKind.MP4);
            plain.add(info);
            analysed.add(new MediaAnalysis().analyse(ff, info));
        }
        String prompt = "combine my clips into a 12-second video";
        StringBuilder md = new StringBuilder("| plan | frames from the lively moments | reply |\n|---|---|---|\n");
        List<Path> rows = new ArrayList<>();
        for (String which : List.of("before", "after")) {
            Planner.Plan plan = new Planner().plan(prompt, null, which.equals("before") ? plain : analysed);
            Path out = dir.resolve(which + ".mp4");
            Path scratch = Files.createDirectories(dir.resolve("scratch-" + which));
            RenderCommand.Command cmd = RenderCommand.build(plan.draft(), files, LocalSetup.font(dir), scratch, out, RenderCommand.Streams.BOTH);
            Process p = ff.start(cmd.args(), scratch.resolve("log"));
            Ffmpeg.readProgress(p, us -> { });
            if (p.waitFor() != 0) {
                throw new IllegalStateException(Files.readString(scratch.resolve("log")));
            }
            List<byte[]> frames = Probe.frames(out, 64, 36);
            long lively = frames.stream().filter(f -> Footage.saturation(f) > 40).count();
            md.append(String.format(Locale.ROOT, "| %s | %d of %d (**%.0f %%**) | %s |%n", which, lively, frames.size(),
                    100.0 * lively / frames.size(), plan.reply()));
            Path row = dir.resolve(which + ".png");
            Probe.make("-i", out.toString(), "-vf", "select='eq(n\\,30)+eq(n\\,90)+eq(n\\,150)+eq(n\\,210)+eq(n\\,270)+eq(n\\,330)',"
                    + "scale=256:144,tile=6x1:padding=4:color=white", "-frames:v", "1", "-vsync", "0", row.toString());
            rows.add(row);
        }
        Path font = LocalSetup.font(dir);
        Path strip = Path.of("docs", "frame-strip.png");
        Files.createDirectories(strip.getParent());
        String label = "pad=iw:ih+36:0:36:white,drawtext=fontfile='" + font.toAbsolutePath() + "':fontsize=22:fontcolor=black:x=6:y=8:text=";
        Probe.make("-i", rows.get(0).toString(), "-i", rows.get(1).toString(), "-filter_complex",
                "[0]" + label + "'Before\\: every clip from its start (1, 3, 5, 7, 9, 11 s)'[a];"
                        + "[1]" + label + "'After\\: the liveliest part of each clip'[b];[a][b]vstack", "-frames:v", "1", strip.toAbsolutePath().toString());
        Files.writeString(Path.of("target", "moments-bench.md"), md);
        System.out.println(md);
    }
}
