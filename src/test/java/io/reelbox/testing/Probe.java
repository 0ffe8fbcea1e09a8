package io.reelbox.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reelbox.local.Ffmpeg;


/**
 * Test-side media tools on the bundled ffmpeg: make synthetic media from lavfi sources, and measure a result the
 * way a viewer would notice (stream lengths, codecs, size, pixels, loudness per frequency band).
 */
public final class Probe {

    private static Ffmpeg ffmpeg;

    private Probe() {
    }

    public static synchronized Ffmpeg ffmpeg() {
        if (ffmpeg == null) {
            try {
                ffmpeg = Ffmpeg.locate("", Path.of("target", "test-bin").toAbsolutePath());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ffmpeg;
    }

    /** Runs ffmpeg with {@code args} and fails loudly if it fails. */
    public static void make(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-y", "-loglevel", "error"));
        all.addAll(List.of(args));
        Process p = ffmpeg().start(all, null);
        String err = new String(p.getErrorStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException("ffmpeg " + String.join(" ", args) + " failed: " + err);
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    public static Path still(Path file, String lavfi) throws IOException {
        make("-f", "lavfi", "-i", lavfi, "-frames:v", "1", "-q:v", "3", file.toString());
        return file;
    }

    public static Path clip(Path file, String video, String audio, double seconds) throws IOException {
        make("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", String.valueOf(seconds), "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file.toString());
        return file;
    }

    public static Path tone(Path file, String lavfi, double seconds) throws IOException {
        make("-f", "lavfi", "-i", lavfi, "-t", String.valueOf(seconds), "-ac", "2", file.toString());
        return file;
    }

    /** What {@code ffmpeg -i} says about a file. */
    public record Info(double duration, String videoCodec, int width, int height, double fps, String audioCodec, int sampleRate,
                       String channels) {
    }

    public static Info info(Path file) throws IOException {
        String out = ffmpeg().run(List.of("-i", file.toString()), 60);
        Matcher d = Pattern.compile("Duration: (\\d+):(\\d+):(\\d+\\.\\d+)").matcher(out);
        Matcher v = Pattern.compile("Video: (\\w+).*?, (\\d+)x(\\d+).*?, (\\d+(?:\\.\\d+)?) fps").matcher(out);
        Matcher a = Pattern.compile("Audio: (\\w+).*?, (\\d+) Hz, (\\w+)").matcher(out);
        if (!d.find() || !v.find() || !a.find()) {
            throw new IOException("unreadable: " + out);
        }
        return new Info(Integer.parseInt(d.group(1)) * 3600 + Integer.parseInt(d.group(2)) * 60 + Double.parseDouble(d.group(3)),
                v.group(1), Integer.parseInt(v.group(2)), Integer.parseInt(v.group(3)), Double.parseDouble(v.group(4)),
                a.group(1), Integer.parseInt(a.group(2)), a.group(3));
    }

    /** Decoded length of the video stream (frames / fps) and of the audio stream, in seconds. */
    public static double[] streamLengths(Path file, double fps) throws IOException {
        String v = ffmpeg().run(List.of("-i", file.toString(), "-map", "0:v", "-f", "null", "-"), 120);
        Matcher frames = Pattern.compile("frame=\\s*(\\d+)").matcher(v);
        int n = 0;
        while (frames.find()) {
            n = Integer.parseInt(frames.group(1));
        }
        // Count decoded samples: exact, where the muxer's progress time is only the last packet's start.
        Process p = ffmpeg().start(List.of("-loglevel", "error", "-i", file.toString(), "-map", "0:a", "-ac", "1", "-ar", "48000",
                "-f", "s16le", "-"), null);
        long bytes = 0;
        try (var in = p.getInputStream()) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                bytes += r;
            }
        }
        return new double[] {n / fps, bytes / 2 / 48000.0};
    }

    /** The frame at {@code seconds} as RGB bytes, scaled to {@code w}x{@code h}. */
    public static byte[] frame(Path file, double seconds, int w, int h) throws IOException {
        Process p = ffmpeg().start(List.of("-loglevel", "error", "-ss", String.valueOf(seconds), "-i", file.toString(), "-frames:v", "1",
                "-vf", "scale=" + w + ":" + h, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), null);
        byte[] rgb = p.getInputStream().readAllBytes();
        if (rgb.length != w * h * 3) {
            throw new IOException("no frame at " + seconds + " s: " + new String(p.getErrorStream().readAllBytes()));
        }
        return rgb;
    }

    /** Every frame of the video as RGB bytes, scaled to {@code w}x{@code h}, in order. */
    public static List<byte[]> frames(Path file, int w, int h) throws IOException {
        Process p = ffmpeg().start(List.of("-loglevel", "error", "-i", file.toString(), "-vf", "scale=" + w + ":" + h,
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), null);
        p.getErrorStream().close();
        byte[] all = p.getInputStream().readAllBytes();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i + w * h * 3 <= all.length; i += w * h * 3) {
            frames.add(java.util.Arrays.copyOfRange(all, i, i + w * h * 3));
        }
        return frames;
    }

    /** Share of pixels in {@code rgb} brighter than 200 on every channel (white title text on a dark picture). */
    public static double whiteShare(byte[] rgb) {
        int white = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            if ((rgb[i] & 0xff) > 200 && (rgb[i + 1] & 0xff) > 200 && (rgb[i + 2] & 0xff) > 200) {
                white++;
            }
        }
        return white / (rgb.length / 3.0);
    }

    /** Mean loudness (dB) of the audio between {@code from} and {@code to} seconds after {@code filter}. */
    public static double meanVolume(Path file, double from, double to, String filter) throws IOException {
        String out = ffmpeg().run(List.of("-ss", String.valueOf(from), "-t", String.valueOf(to - from), "-i", file.toString(),
                "-map", "0:a", "-af", filter + ",volumedetect", "-f", "null", "-"), 60);
        Matcher m = Pattern.compile("mean_volume: (-?\\d+(?:\\.\\d+)?) dB").matcher(out);
        if (!m.find()) {
            throw new IOException("no volume: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The structural similarity of two videos' pictures, frame by frame (1.0: identical). */
    public static double ssim(Path a, Path b) throws IOException {
        String out = ffmpeg().run(List.of("-i", a.toString(), "-i", b.toString(), "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"), 120);
        Matcher m = Pattern.compile("SSIM .*All:(\\d+(?:\\.\\d+)?)").matcher(out);
        if (!m.find()) {
            throw new IOException("no SSIM: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** How far the picture's columns moved from {@code a} to {@code b} (640x360 RGB), in pixels (positive: to the right). */
    public static int horizontalShift(byte[] a, byte[] b) {
        double[] pa = columns(a, 640, 360);
        double[] pb = columns(b, 640, 360);
        int best = 0;
        double bestDiff = Double.MAX_VALUE;
        for (int s = -80; s <= 80; s++) {
            double diff = 0;
            int count = 0;
            for (int x = 100; x < 540; x++) {
                diff += Math.abs(pa[x] - pb[x + s]);
                count++;
            }
            if (diff / count < bestDiff) {
                bestDiff = diff / count;
                best = s;
            }
        }
        return best;
    }

    private static double[] columns(byte[] rgb, int w, int h) {
        double[] c = new double[w];
        for (int y = h / 4; y < 3 * h / 4; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                c[x] += (rgb[i] & 0xff) + (rgb[i + 1] & 0xff) + (rgb[i + 2] & 0xff);
            }
        }
        return c;
    }

    /** The integrated loudness (LUFS) and true peak (dBTP) of the file's sound, as ffmpeg's EBU R128 meter reads it. */
    public static double[] loudness(Path file) throws IOException {
        String log = ffmpeg().run(List.of("-nostats", "-i", file.toString(), "-vn", "-af", "ebur128=peak=true", "-f", "null", "-"), 120);
        return new double[] {last(log, "I:\\s+(-?[0-9.]+|-inf) LUFS"), last(log, "Peak:\\s+(-?[0-9.]+|-inf) dBFS")};
    }

    private static double last(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        String v = null;
        while (m.find()) {
            v = m.group(1);
        }
        if (v == null) {
            throw new IllegalStateException("no " + regex + " in " + log);
        }
        return v.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
    }

    /** The times (s) of the video's keyframes, in order. */
    public static List<Double> keyframes(Path file) throws IOException {
        String log = ffmpeg().run(List.of("-skip_frame", "nokey", "-i", file.toString(), "-an", "-vf", "showinfo", "-f", "null", "-"), 120);
        List<Double> times = new ArrayList<>();
        Matcher m = Pattern.compile("pts_time:([0-9.]+)").matcher(log);
        while (m.find()) {
            times.add(Double.parseDouble(m.group(1)));
        }
        return times;
    }

    /** The MP4's box types as a tree: each top-level box, and inside moov each path that exists ("moov/trak/edts"). */
    public static List<String> boxes(Path file) throws IOException {
        return io.reelbox.local.delivery.Mp4Layout.read(file).boxes();
    }
}
