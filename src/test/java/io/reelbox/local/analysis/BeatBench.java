package io.reelbox.local.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.local.Ffmpeg;
import io.reelbox.testing.Probe;
import io.reelbox.testing.Tracks;

/**
 * The beat tracker against its peer, Debian's {@code aubiotrack} (aubio-tools), for BENCHMARKS.md ("Beats"): accuracy
 * on the generated click and drum tracks (F-measure at ±70 ms, tempo), agreement with aubio on real music (the free
 * game music of Debian's hyperrogue-music), and how much faster than real time each analyses. Run with
 * {@code bench/beats/run.sh}.
 */
@Tag("bench")
class BeatBench {

    private static final Path AUBIO = Path.of("/usr/bin/aubiotrack");
    private static final Path MUSIC = Path.of("/usr/share/hyperrogue/music");

    @TempDir
    Path dir;

    @Test
    void againstAubio() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AUBIO), "needs Debian's aubio-tools (apt-get install aubio-tools)");
        Ffmpeg ff = Probe.ffmpeg();
        StringBuilder md = new StringBuilder("| track | true BPM | Reelbox BPM | Reelbox F | aubio BPM | aubio F | Reelbox × real time | aubio × real time |\n|---|---|---|---|---|---|---|---|\n");
        double[] sums = new double[4];
        int n = 0;
        for (int bpm = 70; bpm <= 180; bpm += 10) {
            for (String kind : List.of("clicks", "drums")) {
                Tracks.Track t = kind.equals("clicks") ? Tracks.clicks(dir.resolve(kind + bpm + ".wav"), bpm, 0.37, 30)
                        : Tracks.drums(dir.resolve(kind + bpm + ".wav"), bpm, 0.52, 30, bpm);
                Result ours = ours(ff, t.file());
                Result aubio = aubio(t.file());
                double fo = Tracks.fMeasure(t.beats(), ours.beats, 0.07);
                double fa = Tracks.fMeasure(t.beats(), aubio.beats, 0.07);
                sums[0] += fo;
                sums[1] += fa;
                sums[2] += 30 / ours.seconds;
                sums[3] += 30 / aubio.seconds;
                n++;
                md.append(String.format(Locale.ROOT, "| %s %d | %d | %.1f | %.3f | %.1f | %.3f | %.0f× | %.0f× |%n", kind, bpm, bpm,
                        bpm(ours.beats), fo, bpm(aubio.beats), fa, 30 / ours.seconds, 30 / aubio.seconds));
            }
        }
        md.append(String.format(Locale.ROOT, "| **mean of %d** | | | **%.3f** | | **%.3f** | %.0f× | %.0f× |%n%n", n, sums[0] / n,
                sums[1] / n, sums[2] / n, sums[3] / n));
        if (Files.isDirectory(MUSIC)) {
            md.append("| real music (hyperrogue-music) | length | Reelbox BPM | aubio BPM | agreement F (±70 ms) | Reelbox clear? | Reelbox × real time |\n|---|---|---|---|---|---|---|\n");
            List<Path> songs;
            try (Stream<Path> s = Files.list(MUSIC)) {
                songs = s.filter(p -> p.toString().endsWith(".ogg")).sorted().toList();
            }
            for (Path song : songs) {
                double length;
                try {
                    length = Pcm.decode(ff, song, 8000, 600).seconds();
                } catch (java.io.IOException e) {
                    md.append("| ").append(song.getFileName()).append(" | the bundled ffmpeg 4.4 cannot read its Vorbis headers | | | | | |\n");
                    continue;
                }
                Result ours = ours(ff, song);
                Result aubio = aubio(song);
                md.append(String.format(Locale.ROOT, "| %s | %.0f s | %.1f | %.1f | %.3f | %s | %.0f× |%n", song.getFileName(), length,
                        bpm(ours.beats), bpm(aubio.beats), Tracks.fMeasure(aubio.beats, ours.beats, 0.07), ours.clear ? "yes" : "no",
                        length / ours.seconds));
            }
        }
        System.out.println(md);
        Files.writeString(Path.of("target", "beat-bench.md"), md);
    }

    private record Result(double[] beats, double seconds, boolean clear) {
    }

    private static Result ours(Ffmpeg ff, Path file) throws Exception {
        long t0 = System.nanoTime();
        Beats b = new BeatTracker().track(Onsets.of(Pcm.decode(ff, file, 22050, 600)));
        return new Result(b.beats(), (System.nanoTime() - t0) / 1e9, b.clear());
    }

    private static Result aubio(Path file) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(AUBIO.toString(), "-i", file.toString()).redirectErrorStream(false).start();
        p.getErrorStream().close();
        List<Double> beats = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            if (!line.isBlank()) {
                beats.add(Double.parseDouble(line.strip()));
            }
        }
        p.waitFor();
        return new Result(beats.stream().mapToDouble(Double::doubleValue).toArray(), (System.nanoTime() - t0) / 1e9, true);
    }

    /** The tempo a list of beats keeps: 60 over the median beat interval. */
    private static double bpm(double[] beats) {
        if (beats.length < 2) {
            return 0;
        }
        double[] gaps = new double[beats.length - 1];
        for (int i = 1; i < beats.length; i++) {
            gaps[i - 1] = beats[i] - beats[i - 1];
        }
        java.util.Arrays.sort(gaps);
        return 60 / gaps[gaps.length / 2];
    }
}
