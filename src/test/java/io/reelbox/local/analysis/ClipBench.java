package io.reelbox.local.analysis;

import static io.reelbox.testing.Footage.Kind.FLOOR;
import static io.reelbox.testing.Footage.Kind.LIVELY;
import static io.reelbox.testing.Footage.Kind.TALK;
import static io.reelbox.testing.Footage.Kind.WALL;
import static io.reelbox.testing.Footage.part;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.plan.MomentPicker;
import io.reelbox.testing.Footage.Part;
import io.reelbox.testing.Footage;
import io.reelbox.testing.Probe;

/**
 * Clip analysis for BENCHMARKS.md ("Clip analysis"): how much faster than real time a clip is profiled, side by side
 * with what ffmpeg alone takes to decode it fully (the least any analysis of every frame costs) and to compute its
 * scene score; and, on clips whose lively moments are known, how many shot cuts are found and how much of what is kept
 * is lively. Run with {@code bench/clips/run.sh}.
 */
@Tag("bench")
class ClipBench {

    @TempDir
    Path dir;

    @Test
    void speedAndAccuracy() throws Exception {
        StringBuilder md = new StringBuilder("### Speed (60 s clips, 2 cores, best of 3)\n\n"
                + "| clip | Reelbox profile | × real time | ffmpeg full decode | ffmpeg scene score | profile ÷ full decode |\n|---|---|---|---|---|---|\n");
        Part[] story = {part(FLOOR, 10), part(LIVELY, 10), part(WALL, 10), part(TALK, 10), part(FLOOR, 10), part(LIVELY, 10)};
        for (String[] c : List.of(new String[] {"1080p30, B-frames", "1920", "1080", ""}, new String[] {"1080p30, no B-frames (as many phones)", "1920", "1080", "0"},
                new String[] {"720p30", "1280", "720", ""})) {
            Path file = dir.resolve(c[1] + c[3] + ".mp4");
            Path raw = Footage.clip(dir.resolve("raw" + c[1] + c[3] + ".mp4"), Integer.parseInt(c[1]), Integer.parseInt(c[2]), story);
            List<String> args = new java.util.ArrayList<>(List.of("-i", raw.toString(), "-c:v", "libx264", "-preset", "veryfast", "-c:a", "copy"));
            if (!c[3].isEmpty()) {
                args.addAll(List.of("-bf", c[3]));
            }
            args.add(file.toString());
            Probe.make(args.toArray(String[]::new));
            MediaInfo info = MediaInfo.probe(Probe.ffmpeg(), "c", file, MediaKind.MP4);
            double ours = best(() -> ClipAnalysis.profile(Probe.ffmpeg(), info, 600));
            double decode = best(() -> Probe.make("-i", file.toString(), "-f", "null", "-"));
            double scene = best(() -> Probe.make("-i", file.toString(), "-an", "-vf", "select='gte(scene,0)',metadata=print:file=/dev/null", "-f", "null", "-"));
            md.append(String.format(Locale.ROOT, "| %s | %.2f s | **%.0f×** | %.2f s | %.2f s | %.2f |%n", c[0], ours, info.duration() / ours, decode, scene,
                    ours / decode));
        }
        md.append("\n### Accuracy (generated 640x360 clips, lively moments known)\n\n| clip | true cuts | cuts found (±0.2 s) | false cuts | kept: budget | "
                + "kept that is lively | best possible |\n|---|---|---|---|---|---|---|\n");
        java.util.Random random = new java.util.Random(19);
        int totalTrue = 0;
        int totalFound = 0;
        int totalFalse = 0;
        double keptLively = 0;
        double possible = 0;
        for (int k = 0; k < 12; k++) {
            int parts = 3 + random.nextInt(4);
            Part[] p = new Part[parts];
            double lively = 0;
            for (int i = 0; i < parts; i++) {
                Footage.Kind kind = i % 2 == 1 ? (random.nextBoolean() ? LIVELY : TALK) : (random.nextBoolean() ? FLOOR : WALL);
                p[i] = part(kind, 2 + random.nextInt(9));
                lively += kind == LIVELY || kind == TALK ? p[i].seconds() : 0;
            }
            Path file = Footage.clip(dir.resolve("acc" + k + ".mp4"), 640, 360, p);
            MediaInfo info = new MediaAnalysis().analyse(Probe.ffmpeg(), MediaInfo.probe(Probe.ffmpeg(), "c", file, MediaKind.MP4));
            ClipProfile profile = info.profile();
            double[] edges = new double[parts - 1];
            double at = 0;
            for (int i = 0; i < parts - 1; i++) {
                at += p[i].seconds();
                edges[i] = at;
            }
            int found = 0;
            for (double e : edges) {
                boolean hit = false;
                for (int c : profile.cuts()) {
                    hit |= Math.abs(c / (double) ClipProfile.RATE - e) <= 0.2 + 1e-9;
                }
                found += hit ? 1 : 0;
            }
            int falseCuts = profile.cuts().length - found;
            int natural = (int) (info.duration() * 30) - 1;
            int budget = Math.min(natural - 30, (int) (30 * (3 + random.nextInt(8))));
            List<MomentPicker.Moment> kept = MomentPicker.pick(profile, natural, budget, new int[0]).moments();
            int livelyFrames = 0;
            for (MomentPicker.Moment m : kept) {
                for (int f = m.in(); f < m.end(); f++) {
                    livelyFrames += isLively(p, f / 30.0) ? 1 : 0;
                }
            }
            double best = Math.min(1, lively * 30 / budget);
            totalTrue += edges.length;
            totalFound += found;
            totalFalse += falseCuts;
            keptLively += livelyFrames / (double) budget;
            possible += best;
            md.append(String.format(Locale.ROOT, "| %d parts, %.0f s | %d | %d | %d | %.1f s | %.0f %% | %.0f %% |%n", parts, info.duration(), edges.length, found,
                    falseCuts, budget / 30.0, 100.0 * livelyFrames / budget, 100 * best));
        }
        md.append(String.format(Locale.ROOT, "| **all 12** | **%d** | **%d** | **%d** | | **%.1f %%** | %.1f %% |%n", totalTrue, totalFound, totalFalse,
                100 * keptLively / 12, 100 * possible / 12));
        Files.writeString(Path.of("target", "clip-bench.md"), md);
        System.out.println(md);
    }

    private static boolean isLively(Part[] parts, double t) {
        double at = 0;
        for (Part p : parts) {
            if (t >= at && t < at + p.seconds()) {
                return p.kind() == LIVELY || p.kind() == TALK;
            }
            at += p.seconds();
        }
        return false;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double best(Work work) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
