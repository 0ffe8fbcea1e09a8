package io.reelbox.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Phone-like clips whose good parts are known: stretches of dull footage (a phone pointed at a dark floor, a still
 * grey wall, both near-silent) around lively ones (a moving, colourful picture with a loud tone, or the same with
 * speech-like bursts of sound). The lively picture is the only saturated one, so a viewer's measure, colour, tells
 * which frames of a render came from a lively stretch without using any cue the analysis scores.
 */
public final class Footage {

    public enum Kind { FLOOR, WALL, LIVELY, TALK }

    public record Part(Kind kind, double seconds) {
    }

    private Footage() {
    }

    public static Part part(Kind kind, double seconds) {
        return new Part(kind, seconds);
    }

    /** A clip of these parts in order, {@code w}x{@code h} at 30 fps, H.264 and AAC. */
    public static Path clip(Path file, int w, int h, Part... parts) throws IOException {
        StringBuilder g = new StringBuilder();
        List<String> labels = new ArrayList<>();
        int i = 0;
        for (Part p : parts) {
            String d = String.format(Locale.ROOT, "%.3f", p.seconds());
            String picture = switch (p.kind()) {
                case FLOOR -> "color=c=0x141414:s=%dx%d:r=30:d=%s,noise=alls=6:allf=t";
                case WALL -> "color=c=0x8a8a8a:s=%dx%d:r=30:d=%s,noise=alls=2:allf=t";
                case LIVELY, TALK -> "testsrc2=s=%dx%d:r=30:d=%s";
            };
            String sound = switch (p.kind()) {
                case FLOOR, WALL -> "anoisesrc=a=0.0005:r=48000:d=%s";
                case LIVELY -> "sine=f=440:r=48000:d=%s,volume=0.4";
                // Words of 0.6 s with 0.4 s pauses between.
                case TALK -> "sine=f=220:r=48000:d=%s,volume='if(lt(mod(t,1),0.6),0.4,0)':eval=frame";
            };
            g.append(String.format(Locale.ROOT, picture, w, h, d)).append(",format=yuv420p,setsar=1[v").append(i).append("];")
                    .append(String.format(Locale.ROOT, sound, d)).append(",aformat=channel_layouts=mono[a").append(i).append("];");
            labels.add("[v" + i + "][a" + i + "]");
            i++;
        }
        g.append(String.join("", labels)).append("concat=n=").append(parts.length).append(":v=1:a=1[v][a]");
        Probe.make("-filter_complex", g.toString(), "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", file.toString());
        return file;
    }

    /** How colourful an RGB picture is: the mean of each pixel's max less min channel, 0–255. */
    public static double saturation(byte[] rgb) {
        long sum = 0;
        for (int i = 0; i + 2 < rgb.length; i += 3) {
            int r = rgb[i] & 0xff;
            int g = rgb[i + 1] & 0xff;
            int b = rgb[i + 2] & 0xff;
            sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
        }
        return sum / (rgb.length / 3.0);
    }
}
