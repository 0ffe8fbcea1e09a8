package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.prompt.Platform;
import io.reelbox.local.prompt.PromptReader;
import io.reelbox.local.prompt.Request;

/**
 * Turns a prompt (with the sidecar's hints appended) and the session's media into a timeline, deterministically.
 * Media keep their order. Stills share the time the clips leave; clips are trimmed to fit; music is trimmed or
 * looped and fades out. All arithmetic is in frames at {@link #FPS}, so the render is exactly as long as planned.
 * The reply says what the plan is, why where it chose for the user, and which requests it could not meet; it never
 * mentions a request that was not made.
 */
public final class Planner {

    static final int FPS = Timeline.FPS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_MUSIC_VOLUME = 35;
    private static final double DEFAULT_TITLE = 3.0;
    static final double MUSIC_FADE = 3.0;

    private final PromptReader reader = new PromptReader();

    /**
     * The result: a draft to store in the session (null when nothing can be made), the agent's reply, and what was
     * asked, concept by concept, with the media in the order planned (a follow-up edits these; see {@link FollowUp}).
     */
    public record Plan(ObjectNode draft, String reply, Request request, List<MediaInfo> media) {
    }

    /** The frame: its size, and the words and reason the reply gives for it. */
    record Frame(int width, int height, String shape, String resolution, String reason) {
    }

    public Plan plan(String prompt, String language, List<MediaInfo> media) {
        return plan(reader.read(prompt, language), media);
    }

    /** Plans what {@code r} asks for, from {@code media} in this order. */
    public Plan plan(Request asked, List<MediaInfo> media) {
        Request r = asked;
        List<MediaInfo> visuals = media.stream().filter(m -> !m.category().name().equals("AUDIO")).toList();
        List<MediaInfo> audios = media.stream().filter(m -> m.category().name().equals("AUDIO")).toList();
        List<String> notDone = new ArrayList<>();
        List<String> changed = new ArrayList<>(r.adjustments());
        if (visuals.isEmpty()) {
            return new Plan(null, "I need at least one clip or photo to make a video, and this session has "
                    + (audios.isEmpty() ? "no media at all" : "only audio") + ". Upload a clip or a photo and ask again.", asked, media);
        }
        Durations lengths = Durations.of(r, visuals, notDone, changed);
        Platform platform = r.platform();
        double made = lengths.total() / (double) FPS;
        if (platform != null && !platform.takes(made)) {
            boolean tooLong = made > platform.maxSeconds();
            if (r.seconds() == null) {
                // Not asked for a length, and the media run past what the platform takes: made as long as it takes.
                int fit = tooLong ? platform.maxSeconds() : platform.minSeconds();
                changed.add(String.format(Locale.ROOT, "made it %d s, the %s %s takes (your media run %.1f s)", fit,
                        tooLong ? "longest" : "shortest", platform.label(), made));
                r = r.withSeconds(fit);
                lengths = Durations.of(r, visuals, notDone, changed);
            } else {
                notDone.add(String.format(Locale.ROOT, "a video %s takes: it takes %d to %d s, and I kept the %.1f s you asked for; "
                        + "ask for %s to post it there", platform.label(), platform.minSeconds(), platform.maxSeconds(), made,
                        tooLong ? platform.maxSeconds() + " seconds or less" : "at least " + platform.minSeconds() + " seconds"));
            }
        }
        int n = visuals.size();
        int[] d = lengths.d();
        int[] natural = lengths.natural();
        int tt = lengths.tt();
        int totalFrames = lengths.total();
        MediaInfo music = audios.isEmpty() || r.noMusic() ? null : audios.get(0);
        boolean[] still = new boolean[n];
        for (int i = 0; i < n; i++) {
            still[i] = visuals.get(i).isStill();
        }
        BeatCuts.Timing timing = BeatCuts.of(r.evenTiming(), music, still, natural, d, tt, totalFrames, lengths.minSeg());
        System.arraycopy(timing.d(), 0, d, 0, n);
        Frame frame = frame(r, visuals);
        String fill = r.fill() != null ? r.fill() : "blur";

        ObjectNode draft = JSON.createObjectNode();
        ArrayNode tracks = draft.putArray("t");
        Cuts cuts = new Cuts(r, visuals, natural, d, tt, timing.beats(), frame.height() > frame.width());
        cuts.addTo(tracks.addObject().put("tt", 0).putArray("sg"));
        int volume = r.musicVolume() != null ? r.musicVolume() : DEFAULT_MUSIC_VOLUME;
        if (music != null) {
            int fade = Math.min((int) (MUSIC_FADE * FPS), totalFrames / 2);
            tracks.addObject().put("tt", 1).putArray("sg").addObject().put("src", music.id()).put("st", 0).put("d", Timeline.ms(totalFrames))
                    .put("in", Math.round(timing.musicIn() * 1000)).put("v", volume / 100.0).put("fo", Timeline.ms(fade))
                    .put("loop", music.duration() * FPS < totalFrames).put("duck", ducks(r, visuals));
        } else if (r.musicVolume() != null && !r.noMusic()) {
            notDone.add("music at " + r.musicVolume() + "%: this session has no audio file to play");
        }
        if (audios.size() > (music == null ? 0 : 1)) {
            notDone.add("only one music track is used; " + (audios.size() - (music == null ? 0 : 1)) + " other audio file(s) left out");
        }
        double titleSeconds = r.titleSeconds() != null ? r.titleSeconds() : DEFAULT_TITLE;
        if (r.title() != null) {
            int titleFrames = Math.min((int) Math.round(titleSeconds * FPS), totalFrames);
            tracks.addObject().put("tt", 7).putArray("sg").addObject().put("text", r.title()).put("st", 0).put("d", Timeline.ms(titleFrames));
        } else if (r.titleWithoutText()) {
            notDone.add("a title, because I could not find its words: put them in quotes, like titled \"Summer in Rome\"");
        }
        draft.put("d", Timeline.ms(totalFrames));
        ObjectNode meta = draft.putObject("m").put("width", frame.width()).put("height", frame.height()).put("fps", FPS).put("fill", fill);
        if (r.title() != null) {
            meta.put("title", r.title());
        }
        r.unsupported().forEach(u -> notDone.add(u + " (not something I can do locally)"));
        Reply reply = new Reply(r, frame, fill, visuals, music, volume, d, tt, lengths.cutsBecause(), totalFrames, titleSeconds,
                timing.says() + cuts.says());
        return new Plan(draft, reply.text(notDone, changed), asked, media);
    }

    /** Whether the music is lowered under the clips' own sound: when some clip keeps its sound, unless asked not to. */
    static boolean ducks(Request r, List<MediaInfo> visuals) {
        return !r.noDucking() && !r.mute() && visuals.stream().anyMatch(m -> !m.isStill() && m.hasAudio());
    }

    /** The frame's size: asked for, or following the media (mostly portrait → 9:16, else 16:9). */
    private static Frame frame(Request r, List<MediaInfo> visuals) {
        String aspect = r.aspect();
        String reason = "";
        if (aspect == null) {
            long portrait = visuals.stream().filter(m -> m.height() > m.width() * 1.02).count();
            long landscape = visuals.stream().filter(m -> m.width() > m.height() * 1.02).count();
            aspect = portrait > landscape ? "9:16" : "16:9";
            long items = visuals.size();
            if (portrait > landscape) {
                reason = portrait == items ? (items == 1 ? "vertical because your picture is portrait" : "vertical because all your pictures are portrait")
                        : String.format(Locale.ROOT, "vertical because %d of your %d pictures are portrait", portrait, items);
            } else if (portrait > 0 && portrait == landscape) {
                reason = "landscape because as many of your pictures are portrait as landscape, and a tie is landscape";
            } else if (portrait > 0) {
                reason = String.format(Locale.ROOT, "landscape because %d of your %d pictures are landscape", landscape, items);
            }
        }
        if (r.platform() != null && r.aspect() != null && r.aspect().equals(r.platform().aspect())) {
            reason = (aspect.equals("9:16") ? "vertical" : aspect.equals("1:1") ? "square" : "landscape") + " for " + r.platform().label();
        }
        int shortSide = r.shortSide() != null ? r.shortSide() : 1080;
        // 16:9 of 480 is 853.3: round to the even width encoders need (854), as every player expects.
        int longSide = (int) Math.round(shortSide * 16 / 9.0 / 2) * 2;
        int w = aspect.equals("16:9") ? longSide : shortSide;
        int h = aspect.equals("9:16") ? longSide : shortSide;
        String shape = switch (aspect) {
            case "9:16" -> "vertical";
            case "1:1" -> "square";
            default -> "landscape";
        };
        return new Frame(w, h, shape, shortSide == 2160 ? "4K" : shortSide + "p", reason);
    }

}
