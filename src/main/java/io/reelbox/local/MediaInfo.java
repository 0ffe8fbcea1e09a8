package io.reelbox.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.analysis.Beats;
import io.reelbox.local.analysis.ClipProfile;

/**
 * What the planner needs to know about an uploaded file, read from {@code ffmpeg -i}: its kind, duration, picture
 * size as displayed and frame rate, whether it has sound, and the clockwise rotation a player applies (phones record
 * portrait video as landscape pixels plus a 90° flag, and portrait photos with an EXIF orientation). Stills report no
 * duration. Once analysed, music carries its beats and a clip its profile ({@code null} before, a {@code failed()} value
 * when the analysis could not run).
 */
public record MediaInfo(String id, Path file, MediaKind.Category category, double duration, int width, int height,
                        double fps, boolean hasAudio, int rotation, Beats beats, ClipProfile profile) {

    public MediaInfo(String id, Path file, MediaKind.Category category, double duration, int width, int height, double fps,
                     boolean hasAudio, int rotation) {
        this(id, file, category, duration, width, height, fps, hasAudio, rotation, null, null);
    }

    public MediaInfo(String id, Path file, MediaKind.Category category, double duration, int width, int height, double fps,
                     boolean hasAudio) {
        this(id, file, category, duration, width, height, fps, hasAudio, 0);
    }

    public MediaInfo withBeats(Beats beats) {
        return new MediaInfo(id, file, category, duration, width, height, fps, hasAudio, rotation, beats, profile);
    }

    public MediaInfo withProfile(ClipProfile profile) {
        return new MediaInfo(id, file, category, duration, width, height, fps, hasAudio, rotation, beats, profile);
    }

    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern VIDEO = Pattern.compile("Stream #\\S+.*?: Video: .*?(\\d{2,5})x(\\d{2,5})");
    private static final Pattern FPS = Pattern.compile("(\\d+(?:\\.\\d+)?) fps");
    private static final Pattern DISPLAY_MATRIX = Pattern.compile("displaymatrix: rotation of (\\S+) degrees");
    private static final Pattern ROTATE_TAG = Pattern.compile("\\n\\s*rotate\\s*:\\s*(\\S+)");

    public boolean isStill() {
        return category == MediaKind.Category.IMAGE;
    }

    /** Probes {@code file}; throws when ffmpeg cannot read it as the kind its name says. */
    public static MediaInfo probe(Ffmpeg ffmpeg, String id, Path file, MediaKind kind) throws IOException {
        String out = ffmpeg.run(List.of("-i", file.toString()), 60);
        double duration = 0;
        Matcher d = DURATION.matcher(out);
        if (d.find()) {
            duration = Integer.parseInt(d.group(1)) * 3600 + Integer.parseInt(d.group(2)) * 60 + Double.parseDouble(d.group(3));
        }
        int w = 0;
        int h = 0;
        double fps = 0;
        int rotation = 0;
        Matcher v = VIDEO.matcher(out);
        if (v.find()) {
            w = Integer.parseInt(v.group(1));
            h = Integer.parseInt(v.group(2));
            String line = out.substring(v.start(), out.indexOf('\n', v.start()) < 0 ? out.length() : out.indexOf('\n', v.start()));
            Matcher f = FPS.matcher(line);
            if (f.find()) {
                fps = Double.parseDouble(f.group(1));
            }
            int next = out.indexOf("Stream #", v.end());
            rotation = rotation(out.substring(v.start(), next < 0 ? out.length() : next));
        }
        if (kind == MediaKind.JPG && rotation == 0) {
            rotation = ExifOrientation.rotation(file);
        }
        if (rotation == 90 || rotation == 270) {
            int t = w;
            w = h;
            h = t;
        }
        boolean audio = out.contains(": Audio: ");
        MediaKind.Category cat = kind.category();
        boolean readable = switch (cat) {
            case IMAGE -> w > 0;
            case VIDEO -> w > 0 && duration > 0;
            case AUDIO -> audio && duration > 0;
        };
        if (!readable) {
            throw new IOException(file.getFileName() + " could not be read as " + cat.name().toLowerCase());
        }
        if (kind == MediaKind.GIF && duration > 0.1) {
            // An animated GIF plays like a silent clip.
            cat = MediaKind.Category.VIDEO;
        }
        return new MediaInfo(id, file, cat, cat == MediaKind.Category.IMAGE ? 0 : duration, w, h, fps, audio, rotation);
    }

    /**
     * The clockwise turn a player gives the picture, from the display matrix (as ffmpeg's own autorotate reads it:
     * the negated angle) or else the {@code rotate} tag: 0, 90, 180 or 270. A matrix that is not a quarter turn
     * (a skew, 45°, NaN) is shown as stored rather than tilted or failed on.
     */
    static int rotation(String streamBlock) {
        Matcher m = DISPLAY_MATRIX.matcher(streamBlock);
        double theta;
        try {
            if (m.find()) {
                theta = -Double.parseDouble(m.group(1));
            } else {
                Matcher tag = ROTATE_TAG.matcher(streamBlock);
                theta = tag.find() ? Double.parseDouble(tag.group(1)) : 0;
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        if (!Double.isFinite(theta)) {
            return 0;
        }
        double t = ((theta % 360) + 360) % 360;
        long quarter = Math.round(t / 90);
        return Math.abs(t - quarter * 90) <= 2 ? (int) (quarter * 90 % 360) : 0;
    }
}
