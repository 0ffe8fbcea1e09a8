package io.reelbox.local.analysis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.reelbox.local.Ffmpeg;
import io.reelbox.local.MediaInfo;


/**
 * Profiles a clip from small, sparse pictures: ffmpeg decodes it skipping the frames nothing refers to and the
 * loop filter, and hands over {@link ClipProfile#RATE} grey 160×90 pictures a second; Java measures them. The sound is
 * decoded on its own at 8 kHz. Measured in BENCHMARKS.md: over 10× real time for 1080p on two cores.
 */
public final class ClipAnalysis {

    static final int W = 160;
    static final int H = 90;
    private static final int SOUND_RATE = 8000;

    private ClipAnalysis() {
    }

    public static ClipProfile profile(Ffmpeg ffmpeg, MediaInfo clip, double maxSeconds) throws IOException {
        List<byte[]> frames = pictures(ffmpeg, clip.file(), maxSeconds);
        return measure(frames, clip.hasAudio() ? sound(ffmpeg, clip.file(), maxSeconds) : null);
    }

    /** The clip's sound, or null when it will not decode: the pictures alone still say much. */
    private static Pcm sound(Ffmpeg ffmpeg, Path file, double maxSeconds) {
        try {
            return Pcm.decode(ffmpeg, file, SOUND_RATE, maxSeconds);
        } catch (IOException e) {
            return null;
        }
    }

    /** The profile of these pictures (160×90 grey, {@link ClipProfile#RATE} a second) and this sound (null: none). */
    static ClipProfile measure(List<byte[]> frames, Pcm sound) {
        int n = frames.size();
        double[] motion = new double[n];
        double[] luma = new double[n];
        boolean[] black = new boolean[n];
        double[] sharpness = new double[n];
        double[] loudness = new double[n];
        boolean[] cut = new boolean[n];
        int cuts = 0;
        double previousMafd = 0;
        for (int i = 0; i < n; i++) {
            byte[] f = frames.get(i);
            luma[i] = mean(f);
            black[i] = darkShare(f) >= 0.98;
            sharpness[i] = laplacianVariance(f);
            if (i > 0) {
                double mafd = meanAbsoluteDifference(frames.get(i - 1), f);
                // ffmpeg's scene score: a jump in change, not change itself, so steady movement is no cut.
                double score = Math.min(mafd, Math.abs(mafd - previousMafd)) / 100;
                boolean shotStarts = score > ClipProfile.CUT_SCORE && (cuts == 0 || i - lastCut(cut, i) >= 3);
                cut[i] = shotStarts;
                cuts += shotStarts ? 1 : 0;
                motion[i] = shotStarts ? motion[i - 1] : blurredDifference(frames.get(i - 1), f);
                previousMafd = mafd;
            }
            loudness[i] = sound == null ? ClipProfile.SILENT : level(sound, i / (double) ClipProfile.RATE, 1.0 / ClipProfile.RATE);
        }
        if (n > 1) {
            motion[0] = motion[1];
        }
        double[] level = new double[sound == null ? 0 : (int) (sound.seconds() * ClipProfile.LEVEL_RATE)];
        for (int i = 0; i < level.length; i++) {
            level[i] = level(sound, i / (double) ClipProfile.LEVEL_RATE, 1.0 / ClipProfile.LEVEL_RATE);
        }
        int[] cutSamples = new int[cuts];
        for (int i = 0, k = 0; i < n; i++) {
            if (cut[i]) {
                cutSamples[k++] = i;
            }
        }
        return new ClipProfile(motion, luma, black, sharpness, loudness, level, cutSamples, n / (double) ClipProfile.RATE);
    }

    private static int lastCut(boolean[] cut, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (cut[i]) {
                return i;
            }
        }
        return Integer.MIN_VALUE / 2;
    }

    private static List<byte[]> pictures(Ffmpeg ffmpeg, Path file, double maxSeconds) throws IOException {
        Process p = ffmpeg.start(List.of("-v", "error", "-skip_frame", "noref", "-skip_loop_filter", "all", "-i", file.toString(),
                "-t", String.valueOf(maxSeconds), "-an", "-sn", "-map", "0:v:0",
                "-vf", "fps=" + ClipProfile.RATE + ",scale=" + W + ":" + H + ":flags=area,format=gray", "-f", "rawvideo", "-"), null);
        p.getErrorStream().close();
        List<byte[]> frames = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16)) {
            for (byte[] f; (f = in.readNBytes(W * H)).length == W * H; ) {
                frames.add(f);
            }
        }
        int exit = Ffmpeg.awaitExit(p, 60, "finish reading the pictures of " + file.getFileName());
        // A clip that breaks partway still gives the pictures before the break: they are what the renderer can show.
        if (frames.isEmpty()) {
            throw new IOException("ffmpeg could not decode any picture of " + file.getFileName() + " (exit " + exit + ")");
        }
        return frames;
    }

    private static double mean(byte[] f) {
        long sum = 0;
        for (byte b : f) {
            sum += b & 0xFF;
        }
        return sum / (double) f.length;
    }

    /** The share of the picture under a tenth of video range (16 + 0.1 · 219). */
    private static double darkShare(byte[] f) {
        int dark = 0;
        for (byte b : f) {
            dark += (b & 0xFF) < 38 ? 1 : 0;
        }
        return dark / (double) f.length;
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return sum / (double) a.length;
    }

    /** The change between two pictures each averaged over 2×2 blocks: sensor noise cancels, movement does not. */
    private static double blurredDifference(byte[] a, byte[] b) {
        long sum = 0;
        int cells = 0;
        for (int y = 0; y + 1 < H; y += 2) {
            for (int x = 0; x + 1 < W; x += 2) {
                int i = y * W + x;
                int sa = (a[i] & 0xFF) + (a[i + 1] & 0xFF) + (a[i + W] & 0xFF) + (a[i + W + 1] & 0xFF);
                int sb = (b[i] & 0xFF) + (b[i + 1] & 0xFF) + (b[i + W] & 0xFF) + (b[i + W + 1] & 0xFF);
                sum += Math.abs(sa - sb);
                cells++;
            }
        }
        return sum / 4.0 / cells;
    }

    static double laplacianVariance(byte[] f) {
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                int i = y * W + x;
                int lap = 4 * (f[i] & 0xFF) - (f[i - 1] & 0xFF) - (f[i + 1] & 0xFF) - (f[i - W] & 0xFF) - (f[i + W] & 0xFF);
                sum += lap;
                squares += (double) lap * lap;
                count++;
            }
        }
        double m = sum / count;
        return squares / count - m * m;
    }

    /** The RMS level in dBFS of {@code length} seconds of sound from {@code at}. */
    private static double level(Pcm pcm, double at, double length) {
        int from = (int) (at * pcm.rate());
        int to = Math.min(pcm.samples().length, (int) ((at + length) * pcm.rate()));
        if (to <= from) {
            return ClipProfile.SILENT;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += pcm.samples()[i] * pcm.samples()[i];
        }
        double rms = Math.sqrt(sum / (to - from));
        return Math.max(ClipProfile.SILENT, 20 * Math.log10(rms + 1e-12));
    }
}
