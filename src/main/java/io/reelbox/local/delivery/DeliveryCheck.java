package io.reelbox.local.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reelbox.local.Ffmpeg;

/**
 * Every finished render, measured against its {@link Target} before it is published: YouTube's upload spec (H.264 High
 * at a level that plays the frame, 4:2:0, the colour standard tagged, a keyframe at least every 2 s, moov first, no
 * edit list, AAC-LC 48 kHz stereo), the planned frame, rate and length, and the loudness target (EBU R128, with a true
 * peak limit). One ffmpeg run reads the streams and measures the sound; the boxes are read directly.
 */
public final class DeliveryCheck {

    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern STREAM = Pattern.compile("Stream #0:\\d+\\S*: (Video|Audio): ([^\\n]*)");
    private static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[0-9.]+|-inf) LUFS");
    private static final Pattern PEAK = Pattern.compile("Peak:\\s+(-?[0-9.]+|-inf) dBFS");
    private static final int HIGH = 100;

    private final Ffmpeg ffmpeg;

    public DeliveryCheck(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Measures {@code video}; throws only when it cannot be read at all (then it is no video). */
    public Delivery check(Path video, Target target) throws IOException {
        Mp4Layout layout = Mp4Layout.read(video);
        String log = ffmpeg.run(List.of("-nostats", "-i", video.toString(), "-vn", "-af", "ebur128=peak=true", "-f", "null", "-"), 600);
        Delivery.Stream v = null;
        Delivery.Stream a = null;
        Matcher s = STREAM.matcher(log);
        while (s.find()) {
            if (s.group(1).equals("Video") && v == null) {
                v = video(s.group(2));
            } else if (s.group(1).equals("Audio") && a == null) {
                a = audio(s.group(2));
            }
        }
        double integrated = a == null ? Double.NaN : last(log, INTEGRATED);
        double peak = a == null ? Double.NaN : last(log, PEAK);
        List<String> problems = new ArrayList<>();
        double seconds = duration(log);
        if (seconds < target.seconds() - 1.0 / target.fps() - 0.05) {
            problems.add(String.format(Locale.ROOT, "the video is cut short: %.2f s of the planned %.2f s", seconds, target.seconds()));
        }
        checkPicture(v, layout, target, problems);
        checkSound(a, integrated, peak, seconds, target, problems);
        return new Delivery(v, a, layout, integrated, peak, target.loudness(), List.copyOf(problems));
    }

    private static void checkPicture(Delivery.Stream v, Mp4Layout layout, Target t, List<String> problems) {
        if (!layout.moovFirst()) {
            problems.add("the index (moov) comes after the media: players cannot start before the whole file is read");
        }
        if (layout.editList()) {
            problems.add("the file has an edit list, which YouTube's spec rules out");
        }
        if (v == null) {
            problems.add("no picture");
            return;
        }
        expect(problems, "video codec", "h264", v.codec());
        if (layout.avcProfile() != HIGH) {
            problems.add("H.264 profile " + layout.avcProfile() + ", not High (100)");
        }
        if (layout.avcLevel() < t.minimumLevel()) {
            problems.add(String.format(Locale.ROOT, "H.264 level %.1f is below the %.1f that %dx%d at %d fps needs",
                    layout.avcLevel() / 10.0, t.minimumLevel() / 10.0, t.width(), t.height(), t.fps()));
        }
        expect(problems, "pixel format", "yuv420p", v.format());
        expect(problems, "colour", "tv, " + t.colour(), v.colour());
        if (v.width() != t.width() || v.height() != t.height()) {
            problems.add("the frame is " + v.width() + "x" + v.height() + ", not the planned " + t.width() + "x" + t.height());
        }
        if (Math.abs(v.fps() - t.fps()) > 0.01) {
            problems.add("the frame rate is " + v.fps() + ", not the planned " + t.fps());
        }
        if (layout.largestKeyframeGap() > Target.KEYFRAME_EVERY + 1.0 / t.fps() + 1e-6) {
            problems.add(String.format(Locale.ROOT, "keyframes are up to %.2f s apart; players seek well only with one at least every %.0f s",
                    layout.largestKeyframeGap(), Target.KEYFRAME_EVERY));
        }
    }

    private static void checkSound(Delivery.Stream a, double integrated, double peak, double seconds, Target t, List<String> problems) {
        if (a == null) {
            problems.add("no sound track (every video carries one, silent or not)");
            return;
        }
        expect(problems, "audio codec", "aac LC", a.codec() + " " + a.profile());
        if (a.sampleRate() != 48_000) {
            problems.add("the sound is sampled at " + a.sampleRate() + " Hz, not 48000");
        }
        expect(problems, "channels", "stereo", a.channels());
        boolean silent = !(integrated > -70);
        if (Double.isNaN(t.loudness()) || silent || seconds < Target.LOUDNESS_MIN_SECONDS) {
            return;
        }
        if (Math.abs(integrated - t.loudness()) > Target.LOUDNESS_TOLERANCE) {
            problems.add(String.format(Locale.ROOT, "the sound plays at %.1f LUFS, not the target %.1f", integrated, t.loudness()));
        }
        if (peak > Target.TRUE_PEAK_LIMIT) {
            problems.add(String.format(Locale.ROOT, "the sound peaks at %.1f dBTP, over %.1f", peak, Target.TRUE_PEAK_LIMIT));
        }
    }

    private static void expect(List<String> problems, String what, String wanted, String found) {
        if (!wanted.equals(found)) {
            problems.add(what + " is " + found + ", not " + wanted);
        }
    }

    /** "h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080 [SAR 1:1 DAR 16:9], 3 kb/s, 30 fps, …" */
    static Delivery.Stream video(String line) {
        List<String> f = fields(line);
        String[] codec = codec(f.get(0));
        String format = f.size() > 1 ? f.get(1).replaceFirst("\\(.*", "") : "";
        String colour = f.size() > 1 && f.get(1).contains("(") ? f.get(1).replaceFirst("^[^(]*\\(", "").replaceFirst("\\)$", "")
                .replace(", progressive", "") : "unknown";
        int w = 0;
        int h = 0;
        double fps = 0;
        for (String x : f) {
            Matcher size = Pattern.compile("^(\\d{2,5})x(\\d{2,5})").matcher(x);
            if (w == 0 && size.find()) {
                w = Integer.parseInt(size.group(1));
                h = Integer.parseInt(size.group(2));
            }
            if (x.endsWith(" fps")) {
                fps = Double.parseDouble(x.substring(0, x.length() - 4).trim());
            }
        }
        return new Delivery.Stream(codec[0], codec[1], format, colour, w, h, fps, 0, null);
    }

    /** "aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 160 kb/s" */
    static Delivery.Stream audio(String line) {
        List<String> f = fields(line);
        String[] codec = codec(f.get(0));
        int rate = f.size() > 1 && f.get(1).endsWith(" Hz") ? Integer.parseInt(f.get(1).replace(" Hz", "").trim()) : 0;
        return new Delivery.Stream(codec[0], codec[1], f.size() > 3 ? f.get(3) : "", null, 0, 0, 0, rate, f.size() > 2 ? f.get(2) : "");
    }

    /** "h264 (High) (avc1 / …)" → {"h264", "High"}. */
    private static String[] codec(String field) {
        Matcher m = Pattern.compile("^(\\S+)(?: \\(([^)]*)\\))?").matcher(field);
        return m.find() ? new String[] {m.group(1), m.group(2) == null ? "" : m.group(2)} : new String[] {field, ""};
    }

    /** The comma-separated fields of a stream line, commas inside brackets kept. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : line.toCharArray()) {
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    private static double duration(String log) {
        Matcher d = DURATION.matcher(log);
        return d.find() ? Integer.parseInt(d.group(1)) * 3600 + Integer.parseInt(d.group(2)) * 60 + Double.parseDouble(d.group(3)) : 0;
    }

    private static double last(String log, Pattern p) {
        Matcher m = p.matcher(log);
        String v = null;
        while (m.find()) {
            v = m.group(1);
        }
        return v == null ? Double.NaN : v.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
    }
}
