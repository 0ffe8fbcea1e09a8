package io.reelbox.local.render;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One draft as one ffmpeg run: a single filtergraph, written to a script file so user text and paths need no
 * command-line escaping. Follows shared/render-notes.md: stills are decoded once and looped; every segment is
 * normalised (size, SAR, fps, pixel format, 48 kHz stereo) and made exactly its planned length before it is joined;
 * {@code setpts} after every {@code xfade}; {@code amix} with {@code normalize=0}; titles via {@code textfile=} with a
 * shipped font.
 */
public final class RenderCommand {

    /** The arguments and what a progress reading is measured against. */
    public record Command(List<String> args, int totalFrames) {
    }

    /** What one ffmpeg run makes: the whole video, or only its picture or its sound (for a render made in parts). */
    public enum Streams { BOTH, VIDEO, AUDIO }

    private RenderCommand() {
    }

    public static Command build(JsonNode draft, Map<String, Path> media, Path font, Path scratch, Path output, Streams streams)
            throws IOException {
        boolean picture = streams != Streams.AUDIO;
        boolean sound = streams != Streams.VIDEO;
        int fps = draft.path("m").path("fps").asInt(Timeline.FPS);
        int w = even(draft.path("m").path("width").asInt(1920));
        int h = even(draft.path("m").path("height").asInt(1080));
        String fill = draft.path("m").path("fill").asText("blur");
        JsonNode videoTrack = track(draft, 0);
        if (videoTrack == null || videoTrack.path("sg").isEmpty()) {
            throw new IllegalArgumentException("the draft has no video segments");
        }
        // Photos and muted clips are silent: when nothing in the picture track has sound, the whole per-segment
        // audio chain (silence, crossfades, mix) is skipped and the music, or one silence, is the soundtrack.
        boolean anySound = false;
        for (JsonNode sg : videoTrack.path("sg")) {
            anySound |= sound && "video".equals(sg.path("kind").asText()) && !sg.path("mute").asBoolean(false);
        }
        List<String> args = new ArrayList<>();
        StringBuilder g = new StringBuilder();
        int input = 0;
        List<Integer> lengths = new ArrayList<>();
        List<String> fx = new ArrayList<>();
        List<Integer> td = new ArrayList<>();
        List<Silence> silences = new ArrayList<>();
        int i = 0;
        for (JsonNode sg : videoTrack.path("sg")) {
            Path src = source(media, sg);
            int frames = Timeline.frames(sg.path("d").asLong());
            long samples = frames * 48000L / fps;
            if (frames < 1) {
                throw new IllegalArgumentException("segment " + i + " has no duration");
            }
            boolean still = "image".equals(sg.path("kind").asText());
            boolean ownSound = anySound && !still && !sg.path("mute").asBoolean(false);
            if (picture && still) {
                args.addAll(List.of("-i", src.toString()));
                // A photo's EXIF turn, which ffmpeg 4.4 does not apply itself (MediaInfo read it).
                String upright = turn(sg.path("rot").asInt(0));
                if (sg.path("zoom").asBoolean(false)) {
                    // zoompan makes d frames from each input frame: feed it the one decoded still.
                    g.append(String.format(Locale.ROOT, "[%d:v]" + upright + "scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,setsar=1,"
                            + "zoompan=z='min(1+0.12*on/%d,1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=%d:s=%dx%d:fps=%d,"
                            + "format=yuv420p,setpts=N/%d/TB[v%d];%n", input, w, h, w, h, frames, frames, w, h, fps, fps, i));
                } else {
                    // Framed once, then looped: the fill costs one still's worth of work, not a frame's. The time base is set
                    // to one frame first: a photo comes in at 1/25 s, where N/30 s rounds unevenly and a frame can go missing.
                    // A moving photo is framed a little larger and a window of the frame's size slides over it (Pan).
                    Pan pan = Pan.of(sg.path("pan").asText(""), w, h, Timeline.frames(sg.path("pl").asLong(sg.path("d").asLong())),
                            Timeline.frames(sg.path("in").asLong(0)));
                    g.append(new Framing(pan.canvasWidth(), pan.canvasHeight(), fill, sg.path("w").asInt(0), sg.path("h").asInt(0), i)
                            .chain("[" + input + ":v]", upright, String.format(Locale.ROOT, ",loop=loop=%d:size=1:start=0,settb=1/%d,setpts=N,fps=%d",
                                    frames - 1, fps, fps) + pan.crop(), "[v" + i + "]"));
                }
                input++;
            } else if (!still && (picture || ownSound)) {
                // The in-point is in whole ms; half a frame earlier makes the seek land on the frame it names, not the next.
                double in = Math.max(0, sg.path("in").asLong(0) / 1000.0 - (sg.path("in").asLong(0) > 0 ? 0.5 / fps : 0));
                // The planner read the rotation flag and planned with the picture as displayed; the graph turns it the same
                // way, so a flag ffmpeg would mis-apply (a skew, 45°) cannot tilt or fail the render.
                args.addAll(List.of("-noautorotate", "-ss", secs(in), "-t", secs(frames / (double) fps + 1.0), "-i", src.toString()));
                if (picture) {
                    g.append(new Framing(w, h, fill, sg.path("w").asInt(0), sg.path("h").asInt(0), i).chain("[" + input + ":v]",
                            "setpts=PTS-STARTPTS,fps=" + fps + "," + turn(sg.path("rot").asInt(0)),
                            String.format(Locale.ROOT, ",tpad=stop_mode=clone:stop_duration=2,trim=end_frame=%d,setpts=N/%d/TB", frames, fps),
                            "[v" + i + "]"));
                }
                if (ownSound) {
                    g.append(String.format(Locale.ROOT, "[%d:a]asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
                            + "apad,atrim=end_sample=%d[a%d];%n", input, samples, i));
                }
                input++;
            }
            if (anySound && !ownSound) {
                silences.add(new Silence(samples, "a" + i));
            }
            lengths.add(frames);
            fx.add(sg.path("fx").asText("fade"));
            td.add(Timeline.frames(sg.path("td").asLong(0)));
            i++;
        }
        int n = lengths.size();
        int total;
        String v;
        String a;
        boolean transitions = n > 1 && td.subList(0, n - 1).stream().anyMatch(t -> t > 0);
        if (n == 1) {
            total = lengths.get(0);
            v = "v0";
            a = "a0";
        } else if (transitions) {
            // Pairwise: a transition blends two segments, a straight cut (the stretches of one clip) joins them; concat
            // hands on microseconds, and xfade needs both its inputs in the frame's time base.
            int acc = lengths.get(0);
            String pv = "v0";
            String pa = "a0";
            for (int k = 1; k < n; k++) {
                int t = td.get(k - 1);
                int offset = acc - t;
                if (t > 0 && (t >= lengths.get(k - 1) || t > lengths.get(k) || offset <= 0)) {
                    throw new IllegalArgumentException("transition " + k + " (" + t + " frames) does not fit its segments");
                }
                if (picture) {
                    g.append(t > 0 ? String.format(Locale.ROOT, "[%s][v%d]xfade=transition=%s:duration=%s:offset=%s,setpts=N/%d/TB[xv%d];%n",
                            pv, k, safeTransition(fx.get(k - 1)), secs(t / (double) fps), secs(offset / (double) fps), fps, k)
                            : String.format(Locale.ROOT, "[%s][v%d]concat=n=2:v=1:a=0,settb=1/%d,setpts=N[xv%d];%n", pv, k, fps, k));
                }
                if (anySound) {
                    g.append(t > 0 ? String.format(Locale.ROOT, "[%s][a%d]acrossfade=d=%s:c1=tri:c2=tri[xa%d];%n", pa, k, secs(t / (double) fps), k)
                            : String.format(Locale.ROOT, "[%s][a%d]concat=n=2:v=0:a=1[xa%d];%n", pa, k, k));
                }
                acc += lengths.get(k) - t;
                pv = "xv" + k;
                pa = "xa" + k;
            }
            total = acc;
            v = pv;
            a = pa;
        } else {
            if (picture || anySound) {
                StringBuilder concat = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    concat.append(picture ? "[v" + k + "]" : "").append(anySound ? "[a" + k + "]" : "");
                }
                g.append(concat).append("concat=n=").append(n).append(":v=").append(picture ? 1 : 0).append(":a=").append(anySound ? 1 : 0)
                        .append(picture ? "[cv]" : "").append(anySound ? "[ca]" : "").append(";\n");
            }
            total = lengths.stream().mapToInt(Integer::intValue).sum();
            v = "cv";
            a = "ca";
        }

        JsonNode text = track(draft, 7);
        int t = 0;
        if (picture && text != null) {
            for (JsonNode sg : text.path("sg")) {
                Path textFile = scratch.resolve("title-" + t + ".txt");
                Files.writeString(textFile, sg.path("text").asText(""), StandardCharsets.UTF_8);
                double st = sg.path("st").asLong(0) / 1000.0;
                double end = st + sg.path("d").asLong(0) / 1000.0;
                int size = Math.max(16, Math.min(w, h) / 12);
                g.append(String.format(Locale.ROOT, "[%s]drawtext=fontfile='%s':textfile='%s':fontcolor=white:fontsize=%d:borderw=%d:"
                        + "bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,%s,%s)'[tv%d];%n",
                        v, quoted(font), quoted(textFile), size, Math.max(2, size / 16), secs(st), secs(end), t));
                v = "tv" + t;
                t++;
            }
        }

        JsonNode audio = track(draft, 1);
        if (sound && audio != null && !audio.path("sg").isEmpty()) {
            JsonNode sg = audio.path("sg").get(0);
            Path src = source(media, sg);
            if (sg.path("loop").asBoolean(false)) {
                args.addAll(List.of("-stream_loop", "-1"));
            }
            if (sg.path("in").asLong(0) > 0) {
                // Music that starts part way in (its fade then ends on a bar): input seeking is sample-exact for audio.
                args.addAll(List.of("-ss", secs(sg.path("in").asLong(0) / 1000.0)));
            }
            args.addAll(List.of("-i", src.toString()));
            long samples = total * 48000L / fps;
            double fadeOut = sg.path("fo").asLong(0) / 1000.0;
            double dur = total / (double) fps;
            g.append(String.format(Locale.ROOT, "[%d:a]asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
                    + "apad,atrim=end_sample=%d,volume=%s%s[music];%n", input, samples, secs(sg.path("v").asDouble(0.35)),
                    fadeOut > 0 ? ",afade=t=out:st=" + secs(dur - fadeOut) + ":d=" + secs(fadeOut) : ""));
            if (anySound) {
                g.append(String.format(Locale.ROOT, "[%s][music]amix=inputs=2:duration=first:normalize=0[mixed];%n", a));
                a = "mixed";
            } else {
                a = "music";
            }
            input++;
        } else if (sound && !anySound) {
            silences.add(new Silence(total * 48000L / fps, "quiet"));
            a = "quiet";
        }
        // Silence comes from an input of its own, never from a source inside the graph: ffmpeg 4.4 copies the display
        // matrix of a graph's only input into the output, so a lone phone clip, turned upright here, would be turned
        // again by every player. With a second input it copies nothing.
        args.addAll(List.of("-t", secs(total / (double) fps + 1.0), "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"));
        if (silences.isEmpty()) {
            g.append(String.format(Locale.ROOT, "[%d:a]anullsink;%n", input));
        } else {
            g.append(String.format(Locale.ROOT, "[%d:a]asplit=%d", input, silences.size()));
            for (int k = 0; k < silences.size(); k++) {
                g.append("[q").append(k).append(']');
            }
            g.append(";\n");
            for (int k = 0; k < silences.size(); k++) {
                g.append(String.format(Locale.ROOT, "[q%d]atrim=end_sample=%d,aformat=sample_fmts=fltp:channel_layouts=stereo[%s];%n",
                        k, silences.get(k).samples(), silences.get(k).label()));
            }
        }
        List<String> outputs = new ArrayList<>();
        if (picture) {
            g.append("[").append(v).append("]null[vout];\n");
            outputs.addAll(List.of("-map", "[vout]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"));
            if (streams == Streams.VIDEO) {
                // One of two halves made side by side: two encoder threads each fill two cores, with about 25 MB less
                // memory per encoder than x264's own choice (three).
                outputs.addAll(List.of("-threads", "2"));
            }
            boolean zoom = false;
            for (JsonNode sg : videoTrack.path("sg")) {
                zoom |= sg.path("zoom").asBoolean(false);
            }
            if (zoom) {
                // A slow zoom changes every pixel of every frame: at CRF 23 it would take ten times the bits of the rest.
                // The cap costs x264 time (about 4 % on the reference job), so only zooms pay it.
                long maxrate = (long) w * h * fps / 10;
                outputs.addAll(List.of("-maxrate", String.valueOf(maxrate), "-bufsize", String.valueOf(maxrate * 2)));
            }
            outputs.addAll(List.of("-pix_fmt", "yuv420p", "-r", String.valueOf(fps)));
        }
        if (sound) {
            g.append("[").append(a).append("]anull[aout];\n");
            outputs.addAll(List.of("-map", "[aout]", "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2"));
        }

        Path script = scratch.resolve(streams == Streams.BOTH ? "graph.txt" : "graph-" + output.getFileName() + ".txt");
        Files.writeString(script, g.toString().replaceFirst(";\\s*$", ""), StandardCharsets.UTF_8);
        args.addAll(List.of("-filter_complex_script", script.toString()));
        args.addAll(outputs);
        args.addAll(List.of("-movflags", "+faststart", "-map_metadata", "-1", "-f", "mp4", "-y", "-progress", "pipe:1", "-nostats",
                output.toString()));
        return new Command(args, total);
    }

    /**
     * The clockwise quarter turn a player would give the picture, as filters followed by a comma, to put in front of
     * a chain (ffmpeg's autorotate is off for clips and does not read a photo's EXIF); empty when upright.
     */
    static String turn(int rotation) {
        return switch (rotation) {
            case 90 -> "transpose=clock,";
            case 180 -> "hflip,vflip,";
            case 270 -> "transpose=cclock,";
            default -> "";
        };
    }

    /** A stretch of silence the graph needs, {@code samples} at 48 kHz, under {@code label}. */
    private record Silence(long samples, String label) {
    }

    /** The draft's track of {@code type} (0 video, 1 audio, 7 text), or null. */
    static JsonNode track(JsonNode draft, int type) {
        for (JsonNode t : draft.path("t")) {
            if (t.path("tt").asInt(-1) == type) {
                return t;
            }
        }
        return null;
    }

    private static Path source(Map<String, Path> media, JsonNode sg) {
        Path p = media.get(sg.path("src").asText());
        if (p == null) {
            throw new IllegalArgumentException("the draft names media '" + sg.path("src").asText() + "' that this session does not have");
        }
        return p;
    }

    private static String safeTransition(String kind) {
        return switch (kind) {
            case "fade", "dissolve", "wipeleft", "wiperight", "slideleft", "slideright", "fadeblack", "fadewhite" -> kind;
            default -> "fade";
        };
    }

    private static String quoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("'")) {
            throw new IllegalArgumentException("paths with a quote cannot be used in a filtergraph: " + s);
        }
        return s;
    }

    private static int even(int v) {
        return v % 2 == 0 ? v : v + 1;
    }

    static String secs(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
