package io.reelbox.local.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.local.Timeline;
import io.reelbox.local.delivery.Colour;

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

    /**
     * What one ffmpeg run makes: the whole video, or only its picture or its sound (for a render made in parts), or
     * nothing but a measurement of the sound's loudness (the first of {@link Loudness}'s two passes).
     */
    public enum Streams { BOTH, VIDEO, AUDIO, MEASURE }

    private final JsonNode draft;
    private final Map<String, Path> media;
    private final Path scratch;
    private final boolean picture;
    private final boolean sound;
    private final int fps;
    private final int w;
    private final int h;
    private final String fill;
    private final Colour colour;
    private final JsonNode videoTrack;
    private final Loudness loudness;
    /** Whether any segment brings its own sound: if none does, the per-segment audio chain is left out. */
    private final boolean anySound;
    private final List<String> args = new ArrayList<>();
    private final StringBuilder g = new StringBuilder();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<String> fx = new ArrayList<>();
    private final List<Integer> td = new ArrayList<>();
    private final List<Silence> silences = new ArrayList<>();
    private int input;
    /** The frames made, and the labels of the picture and the sound so far. */
    private int total;
    private String v;
    private String a;

    private RenderCommand(JsonNode draft, Map<String, Path> media, Path scratch, Streams streams, Loudness loudness) {
        this.draft = draft;
        this.media = media;
        this.scratch = scratch;
        this.loudness = loudness;
        this.picture = streams == Streams.BOTH || streams == Streams.VIDEO;
        this.sound = streams != Streams.VIDEO;
        this.fps = draft.path("m").path("fps").asInt(Timeline.FPS);
        this.w = Filters.even(draft.path("m").path("width").asInt(1920));
        this.h = Filters.even(draft.path("m").path("height").asInt(1080));
        this.fill = draft.path("m").path("fill").asText("blur");
        this.colour = Colour.of(w, h);
        this.videoTrack = Filters.track(draft, 0);
        if (videoTrack == null || videoTrack.path("sg").isEmpty()) {
            throw new IllegalArgumentException("the draft has no video segments");
        }
        // Photos and muted clips are silent: when nothing in the picture track has sound, the whole per-segment
        // audio chain (silence, crossfades, mix) is skipped and the music, or one silence, is the soundtrack.
        boolean any = false;
        for (JsonNode sg : videoTrack.path("sg")) {
            any |= sound && "video".equals(sg.path("kind").asText()) && !sg.path("mute").asBoolean(false);
        }
        this.anySound = any;
    }

    public static Command build(JsonNode draft, Map<String, Path> media, Path font, Path scratch, Path output, Streams streams)
            throws IOException {
        return build(draft, media, font, scratch, output, streams, null);
    }

    /**
     * The run that makes {@code streams} of {@code draft} into {@code output} (ignored when measuring), its sound
     * brought to {@code loudness} (null: as mixed; for {@link Streams#MEASURE}, only the target is read).
     */
    public static Command build(JsonNode draft, Map<String, Path> media, Path font, Path scratch, Path output, Streams streams,
                                Loudness loudness) throws IOException {
        RenderCommand c = new RenderCommand(draft, media, scratch, streams, loudness);
        int i = 0;
        for (JsonNode sg : c.videoTrack.path("sg")) {
            c.segment(sg, i++);
        }
        c.join();
        c.titles(font);
        c.music();
        c.silences();
        List<String> outputs = c.outputs(streams);
        Path script = scratch.resolve(switch (streams) {
            case BOTH -> "graph.txt";
            case MEASURE -> "graph-loudness.txt";
            default -> "graph-" + output.getFileName() + ".txt";
        });
        Files.writeString(script, c.g.toString().replaceFirst(";\\s*$", ""), StandardCharsets.UTF_8);
        c.args.addAll(List.of("-filter_complex_script", script.toString()));
        c.args.addAll(outputs);
        if (streams == Streams.MEASURE) {
            c.args.addAll(List.of("-f", "null", "-progress", "pipe:1", "-nostats", "-"));
        } else {
            c.args.addAll(Encoding.MP4);
            c.args.addAll(List.of("-y", "-progress", "pipe:1", "-nostats", output.toString()));
        }
        return new Command(c.args, c.total);
    }

    /** Segment {@code i}'s input and chain, made exactly its planned length: [v i] and, with sound, [a i]. */
    private void segment(JsonNode sg, int i) {
        Path src = Filters.source(media, sg);
        int frames = Timeline.frames(sg.path("d").asLong());
        long samples = frames * 48000L / fps;
        if (frames < 1) {
            throw new IllegalArgumentException("segment " + i + " has no duration");
        }
        boolean still = "image".equals(sg.path("kind").asText());
        boolean ownSound = anySound && !still && !sg.path("mute").asBoolean(false);
        if (picture && still) {
            args.addAll(List.of("-i", src.toString()));
            photo(sg, i, frames);
            input++;
        } else if (!still && (picture || ownSound)) {
            // The in-point is in whole ms; half a frame earlier makes the seek land on the frame it names, not the next.
            double in = Math.max(0, sg.path("in").asLong(0) / 1000.0 - (sg.path("in").asLong(0) > 0 ? 0.5 / fps : 0));
            // The planner read the rotation flag and planned with the picture as displayed; the graph turns it the same
            // way, so a flag ffmpeg would mis-apply (a skew, 45°) cannot tilt or fail the render.
            args.addAll(List.of("-noautorotate", "-ss", Filters.secs(in), "-t", Filters.secs(frames / (double) fps + 1.0), "-i", src.toString()));
            if (picture) {
                g.append(new Framing(w, h, fill, sg.path("w").asInt(0), sg.path("h").asInt(0), i, colour).chain("[" + input + ":v]",
                        "setpts=PTS-STARTPTS,fps=" + fps + "," + Filters.turn(sg.path("rot").asInt(0)),
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
    }

    /** A photo's chain: zoomed, or framed once and looped, still or sliding (see {@link Pan}). */
    private void photo(JsonNode sg, int i, int frames) {
        // A photo's EXIF turn, which ffmpeg 4.4 does not apply itself (MediaInfo read it).
        String upright = Filters.turn(sg.path("rot").asInt(0));
        if (sg.path("zoom").asBoolean(false)) {
            // zoompan makes d frames from each input frame: feed it the one decoded still.
            g.append(String.format(Locale.ROOT, "[%d:v]" + upright + "scale=%d:%d:force_original_aspect_ratio=increase" + colour.scaling() + ",crop=%d:%d,setsar=1,"
                    + "zoompan=z='min(1+0.12*on/%d,1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=%d:s=%dx%d:fps=%d,"
                    + "format=yuv420p,setpts=N/%d/TB[v%d];%n", input, w, h, w, h, frames, frames, w, h, fps, fps, i));
            return;
        }
        // Framed once, then looped: the fill costs one still's worth of work, not a frame's. The time base is set
        // to one frame first: a photo comes in at 1/25 s, where N/30 s rounds unevenly and a frame can go missing.
        // A moving photo is framed a little larger and a window of the frame's size slides over it (Pan).
        Pan pan = Pan.of(sg.path("pan").asText(""), w, h, Timeline.frames(sg.path("pl").asLong(sg.path("d").asLong())),
                Timeline.frames(sg.path("in").asLong(0)));
        g.append(new Framing(pan.canvasWidth(), pan.canvasHeight(), fill, sg.path("w").asInt(0), sg.path("h").asInt(0), i, colour)
                .chain("[" + input + ":v]", upright, String.format(Locale.ROOT, ",loop=loop=%d:size=1:start=0,settb=1/%d,setpts=N,fps=%d",
                        frames - 1, fps, fps) + pan.crop(), "[v" + i + "]"));
    }

    /** The segments joined: pairwise when any transition blends two, else one concat. */
    private void join() {
        int n = lengths.size();
        boolean transitions = n > 1 && td.subList(0, n - 1).stream().anyMatch(t -> t > 0);
        if (n == 1) {
            total = lengths.get(0);
            v = "v0";
            a = "a0";
        } else if (transitions) {
            pairwise();
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
    }

    /**
     * Pairwise: a transition blends two segments, a straight cut (the stretches of one clip) joins them; concat
     * hands on microseconds, and xfade needs both its inputs in the frame's time base.
     */
    private void pairwise() {
        int acc = lengths.get(0);
        String pv = "v0";
        String pa = "a0";
        for (int k = 1; k < lengths.size(); k++) {
            int t = td.get(k - 1);
            int offset = acc - t;
            if (t > 0 && (t >= lengths.get(k - 1) || t > lengths.get(k) || offset <= 0)) {
                throw new IllegalArgumentException("transition " + k + " (" + t + " frames) does not fit its segments");
            }
            if (picture) {
                g.append(t > 0 ? String.format(Locale.ROOT, "[%s][v%d]xfade=transition=%s:duration=%s:offset=%s,setpts=N/%d/TB[xv%d];%n",
                        pv, k, Filters.safeTransition(fx.get(k - 1)), Filters.secs(t / (double) fps), Filters.secs(offset / (double) fps), fps, k)
                        : String.format(Locale.ROOT, "[%s][v%d]concat=n=2:v=1:a=0,settb=1/%d,setpts=N[xv%d];%n", pv, k, fps, k));
            }
            if (anySound) {
                g.append(t > 0 ? String.format(Locale.ROOT, "[%s][a%d]acrossfade=d=%s:c1=tri:c2=tri[xa%d];%n", pa, k, Filters.secs(t / (double) fps), k)
                        : String.format(Locale.ROOT, "[%s][a%d]concat=n=2:v=0:a=1[xa%d];%n", pa, k, k));
            }
            acc += lengths.get(k) - t;
            pv = "xv" + k;
            pa = "xa" + k;
        }
        total = acc;
        v = pv;
        a = pa;
    }

    /** Each title drawn over its time, its text from a file (no escaping, no injection), in the shipped font. */
    private void titles(Path font) throws IOException {
        JsonNode text = Filters.track(draft, 7);
        if (!picture || text == null) {
            return;
        }
        int t = 0;
        for (JsonNode sg : text.path("sg")) {
            Path textFile = scratch.resolve("title-" + t + ".txt");
            Files.writeString(textFile, sg.path("text").asText(""), StandardCharsets.UTF_8);
            double st = sg.path("st").asLong(0) / 1000.0;
            double end = st + sg.path("d").asLong(0) / 1000.0;
            int size = Math.max(16, Math.min(w, h) / 12);
            g.append(String.format(Locale.ROOT, "[%s]drawtext=fontfile='%s':textfile='%s':fontcolor=white:fontsize=%d:borderw=%d:"
                    + "bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,%s,%s)'[tv%d];%n",
                    v, Filters.quoted(font), Filters.quoted(textFile), size, Math.max(2, size / 16), Filters.secs(st), Filters.secs(end), t));
            v = "tv" + t;
            t++;
        }
    }

    /** The music under the segments' own sound (or alone), at its level, fading out; or one silence. */
    private void music() {
        JsonNode audio = Filters.track(draft, 1);
        if (sound && audio != null && !audio.path("sg").isEmpty()) {
            JsonNode sg = audio.path("sg").get(0);
            Path src = Filters.source(media, sg);
            if (sg.path("loop").asBoolean(false)) {
                args.addAll(List.of("-stream_loop", "-1"));
            }
            if (sg.path("in").asLong(0) > 0) {
                // Music that starts part way in (its fade then ends on a bar): input seeking is sample-exact for audio.
                args.addAll(List.of("-ss", Filters.secs(sg.path("in").asLong(0) / 1000.0)));
            }
            args.addAll(List.of("-i", src.toString()));
            long samples = total * 48000L / fps;
            double fadeOut = sg.path("fo").asLong(0) / 1000.0;
            double dur = total / (double) fps;
            g.append(String.format(Locale.ROOT, "[%d:a]asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
                    + "apad,atrim=end_sample=%d,volume=%s%s[music];%n", input, samples, Filters.secs(sg.path("v").asDouble(0.35)),
                    fadeOut > 0 ? ",afade=t=out:st=" + Filters.secs(dur - fadeOut) + ":d=" + Filters.secs(fadeOut) : ""));
            if (anySound && sg.path("duck").asBoolean(false)) {
                // Ducking: the clips' own sound keys a compressor on the music from -54 dBFS up, so the music drops about
                // 20 dB under speech at -31 dBFS (30 dB at -20) and comes back up over 0.4 s between.
                g.append(String.format(Locale.ROOT, "[%s]asplit=2[own][key];[music][key]sidechaincompress=threshold=0.002:ratio=8:"
                        + "attack=20:release=400[ducked];[own][ducked]amix=inputs=2:duration=first:normalize=0[mixed];%n", a));
                a = "mixed";
            } else if (anySound) {
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
    }

    /**
     * Silence comes from an input of its own, never from a source inside the graph: ffmpeg 4.4 copies the display
     * matrix of a graph's only input into the output, so a lone phone clip, turned upright here, would be turned
     * again by every player. With a second input it copies nothing.
     */
    private void silences() {
        args.addAll(List.of("-t", Filters.secs(total / (double) fps + 1.0), "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"));
        if (silences.isEmpty()) {
            g.append(String.format(Locale.ROOT, "[%d:a]anullsink;%n", input));
            return;
        }
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

    /** The graph's outputs and the encoders' arguments ({@link Encoding}), or the loudness measurement. */
    private List<String> outputs(Streams streams) {
        List<String> outputs = new ArrayList<>();
        if (picture) {
            g.append("[").append(v).append("]null[vout];\n");
            boolean zoom = false;
            for (JsonNode sg : videoTrack.path("sg")) {
                zoom |= sg.path("zoom").asBoolean(false);
            }
            outputs.addAll(Encoding.video(w, h, fps, streams == Streams.VIDEO, zoom, colour));
        }
        if (streams == Streams.MEASURE) {
            g.append("[").append(a).append("]").append(Loudness.measuring(loudness.target())).append("[aout];\n");
            outputs.addAll(List.of("-map", "[aout]"));
        } else if (sound) {
            // The priming samples come first in the file: the sound starts that much earlier, so it stays on the picture
            // (measured: a beep at 2.000 s plays at 2.000 s) and the stream lasts as long as the video.
            g.append("[").append(a).append("]anull").append(loudness == null ? "" : loudness.applying())
                    .append(",atrim=start_sample=").append(Encoding.AAC_PRIMING).append(",asetpts=PTS-STARTPTS[aout];\n");
            outputs.addAll(Encoding.audio());
        }
        return outputs;
    }

    /** A stretch of silence the graph needs, {@code samples} at 48 kHz, under {@code label}. */
    private record Silence(long samples, String label) {
    }
}
