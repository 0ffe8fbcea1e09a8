package io.reelbox.local.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.local.Timeline;
import io.reelbox.local.render.RenderCommand.Command;
import io.reelbox.local.render.RenderCommand.Streams;

/**
 * How one draft becomes a video. Short or unsplittable drafts: one ffmpeg run. Otherwise the picture is made as two
 * halves side by side and the sound on its own, then joined without re-encoding: ffmpeg 4.4 runs a filtergraph on one
 * thread, so one run leaves a third of two cores idle while it blends transitions and draws titles (measured in
 * BENCHMARKS.md). The halves meet in the middle of a photo or clip, never inside a transition or a zoom, so the cut
 * is invisible; the sound is one piece, so it cannot drift at the seam.
 *
 * @param video         runs whose progress counts, each measured against its own frames
 * @param separateSound the sound is made by a run of its own ({@link #sound}), once its loudness is measured
 * @param join          the run that joins the parts into the output, empty for a single run
 */
public record RenderPlan(List<Command> video, boolean separateSound, List<String> join, int totalFrames) {

    /** Below this a second process costs more than it saves. */
    static final int MIN_SPLIT_FRAMES = 10 * Timeline.FPS;

    /** Whether a draft is made in parts (a picture of two halves and a sound of its own) rather than in one run. */
    public static boolean splits(JsonNode draft, int parts) {
        return parts >= 2 && halves(draft).isPresent();
    }

    /**
     * The runs that make {@code draft}: one, its sound brought to {@code loudness} (null: as mixed); or, when it
     * {@link #splits}, the picture's two halves, the sound left to {@link #sound}.
     */
    public static RenderPlan of(JsonNode draft, Map<String, Path> media, Path font, Path scratch, Path output, int parts,
                                Loudness loudness) throws IOException {
        Optional<JsonNode[]> halves = parts >= 2 ? halves(draft) : Optional.empty();
        if (halves.isEmpty()) {
            Command whole = RenderCommand.build(draft, media, font, scratch, output, Streams.BOTH, loudness);
            return new RenderPlan(List.of(whole), false, List.of(), whole.totalFrames());
        }
        Path first = scratch.resolve("part-1.mp4");
        Path second = scratch.resolve("part-2.mp4");
        Command a = RenderCommand.build(halves.get()[0], media, font, scratch, first, Streams.VIDEO);
        Command b = RenderCommand.build(halves.get()[1], media, font, scratch, second, Streams.VIDEO);
        Path list = scratch.resolve("parts.txt");
        // Scratch paths are ours (RenderCommand refuses quotes in them), so plain quoting is enough here.
        Files.writeString(list, "file '" + first.toAbsolutePath() + "'\nfile '" + second.toAbsolutePath() + "'\n", StandardCharsets.UTF_8);
        List<String> join = new java.util.ArrayList<>(List.of("-f", "concat", "-safe", "0", "-i", list.toString(), "-i",
                soundFile(scratch).toString(), "-map", "0:v", "-map", "1:a", "-c", "copy"));
        join.addAll(Encoding.MP4);
        join.addAll(List.of("-y", output.toString()));
        return new RenderPlan(List.of(a, b), true, join, a.totalFrames() + b.totalFrames());
    }

    private static Path soundFile(Path scratch) {
        return scratch.resolve("sound.m4a");
    }

    /** The sound of a split render, brought to {@code loudness}: built apart, so it may start once that is measured. */
    public static Command sound(JsonNode draft, Map<String, Path> media, Path font, Path scratch, Loudness loudness) throws IOException {
        return RenderCommand.build(draft, media, font, scratch, soundFile(scratch), Streams.AUDIO, loudness);
    }

    /**
     * The draft's picture cut in two at the frame nearest its middle that lies in the plain part of a photo or clip
     * (after its transition in, before its transition out, not a zoomed photo, whose zoom would restart). Empty when
     * the video is short or no such frame exists.
     */
    static Optional<JsonNode[]> halves(JsonNode draft) {
        JsonNode video = Filters.track(draft, 0);
        if (video == null || video.path("sg").isEmpty()) {
            return Optional.empty();
        }
        JsonNode sg = video.path("sg");
        int n = sg.size();
        int[] start = new int[n];
        int[] length = new int[n];
        int[] out = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            start[i] = at;
            length[i] = Timeline.frames(sg.get(i).path("d").asLong());
            out[i] = i < n - 1 ? Timeline.frames(sg.get(i).path("td").asLong(0)) : 0;
            at += length[i] - out[i];
        }
        int total = at;
        if (total < MIN_SPLIT_FRAMES) {
            return Optional.empty();
        }
        int middle = total / 2;
        int best = -1;
        int bestSegment = -1;
        for (int i = 0; i < n; i++) {
            if (sg.get(i).path("zoom").asBoolean(false)) {
                continue;
            }
            int from = start[i] + (i > 0 ? out[i - 1] : 0) + 1;
            int to = start[i] + length[i] - out[i] - 1;
            if (from > to) {
                continue;
            }
            int cut = Math.max(from, Math.min(to, middle));
            if (best < 0 || Math.abs(cut - middle) < Math.abs(best - middle)) {
                best = cut;
                bestSegment = i;
            }
        }
        // Each half must be worth a process of its own.
        if (best < MIN_SPLIT_FRAMES / 4 || total - best < MIN_SPLIT_FRAMES / 4) {
            return Optional.empty();
        }
        return Optional.of(new JsonNode[] {part(draft, sg, bestSegment, best - start[bestSegment], 0, best),
                                           part(draft, sg, bestSegment, best - start[bestSegment], best, total)});
    }

    /** The picture between timeline frames [from, to): segment {@code k} is cut {@code offset} frames into it. */
    private static JsonNode part(JsonNode draft, JsonNode sg, int k, int offset, int from, int to) {
        boolean first = from == 0;
        ObjectNode copy = draft.deepCopy();
        ArrayNode tracks = copy.putArray("t");
        ArrayNode segments = tracks.addObject().put("tt", 0).putArray("sg");
        for (int i = first ? 0 : k; i <= (first ? k : sg.size() - 1); i++) {
            ObjectNode s = sg.get(i).deepCopy();
            if (i == k) {
                int length = Timeline.frames(s.path("d").asLong());
                if (first) {
                    s.put("d", Timeline.ms(offset));
                    s.remove("fx");
                    s.remove("td");
                } else {
                    s.put("d", Timeline.ms(length - offset));
                    s.put("in", s.path("in").asLong(0) + Timeline.ms(offset));
                }
            }
            segments.add(s);
        }
        JsonNode titles = Filters.track(draft, 7);
        if (titles != null) {
            ArrayNode texts = tracks.addObject().put("tt", 7).putArray("sg");
            for (JsonNode text : titles.path("sg")) {
                int st = Timeline.frames(text.path("st").asLong(0));
                int end = st + Timeline.frames(text.path("d").asLong(0));
                int a = Math.max(st, from);
                int b = Math.min(end, to);
                if (a < b) {
                    texts.addObject().put("text", text.path("text").asText("")).put("st", Timeline.ms(a - from)).put("d", Timeline.ms(b - a));
                }
            }
        }
        copy.put("d", Timeline.ms(to - from));
        return copy;
    }
}
