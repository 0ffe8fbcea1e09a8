package io.reelbox.local.plan;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    private static final double DEFAULT_STILL = 4.0;
    private static final double DEFAULT_TRANSITION = 1.0;
    private static final int DEFAULT_MUSIC_VOLUME = 35;
    private static final double DEFAULT_TITLE = 3.0;
    private static final double MUSIC_FADE = 3.0;
    /** Shorter transitions than this look like a glitch; below it the plan cuts instead. */
    private static final int MIN_TRANSITION_FRAMES = 6;

    private final PromptReader reader = new PromptReader();

    /** The result: a draft to store in the session (null when nothing can be made) and the agent's reply. */
    public record Plan(ObjectNode draft, String reply) {
    }

    /** The frame: its size, and the words and reason the reply gives for it. */
    private record Frame(int width, int height, String shape, String resolution, String reason) {
    }

    public Plan plan(String prompt, String language, List<MediaInfo> media) {
        Request r = reader.read(prompt, language);
        List<MediaInfo> visuals = media.stream().filter(m -> !m.category().name().equals("AUDIO")).toList();
        List<MediaInfo> audios = media.stream().filter(m -> m.category().name().equals("AUDIO")).toList();
        List<String> notDone = new ArrayList<>();
        List<String> changed = new ArrayList<>(r.adjustments());
        if (visuals.isEmpty()) {
            return new Plan(null, "I need at least one clip or photo to make a video, and this session has "
                    + (audios.isEmpty() ? "no media at all" : "only audio") + ". Upload a clip or a photo and ask again.");
        }
        int n = visuals.size();
        Integer target = r.seconds() == null ? null : (int) Math.round(r.seconds() * FPS);
        boolean transitionsOn = !Boolean.FALSE.equals(r.transitions());
        int asked = (int) Math.round((r.transitionSeconds() != null ? r.transitionSeconds() : DEFAULT_TRANSITION) * FPS);
        int tt = n > 1 && transitionsOn ? asked : 0;
        int[] natural = new int[n];
        int clips = 0;
        long clipFrames = 0;
        int shortestClip = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            MediaInfo m = visuals.get(i);
            if (!m.isStill()) {
                // One frame short of the end: the last frame of a stream is often not decodable at the exact end.
                natural[i] = Math.max(1, (int) Math.floor(m.duration() * FPS) - 1);
                clips++;
                clipFrames += natural[i];
                shortestClip = Math.min(shortestClip, natural[i]);
            }
        }
        String tooShort = null;
        if (tt > 0 && clips > 0 && tt > shortestClip / 2) {
            tt = shortestClip / 2;
            tooShort = String.format(Locale.ROOT, "your shortest clip (%.1f s)", shortestClip / (double) FPS);
        }
        if (tt > 0 && target != null && tt > target / (n + 1)) {
            // n segments of at least 2·tt each, overlapping by tt: the video is at least (n + 1)·tt long.
            tt = target / (n + 1);
            tooShort = String.format(Locale.ROOT, "a %s video of %d items", secs(target), n);
        }
        if (tt > 0 && tt < MIN_TRANSITION_FRAMES) {
            tt = 0;
        }
        String cutsBecause = "";
        if (tooShort != null) {
            String outcome = tt > 0 ? String.format(Locale.ROOT, "they last %.1f s", tt / (double) FPS) : "I used straight cuts";
            if (r.transitionSeconds() != null || Boolean.TRUE.equals(r.transitions())) {
                changed.add((r.transitionSeconds() != null ? secs(asked) + " transitions" : "transitions") + " do not fit " + tooShort
                        + ", so " + outcome);
            } else if (tt == 0) {
                cutsBecause = " (" + tooShort + " is too short for transitions)";
            }
        }
        int stills = n - clips;
        int minSeg = Math.max(2 * tt, FPS);
        int stillEach = (int) Math.round((r.stillSeconds() != null ? r.stillSeconds() : DEFAULT_STILL) * FPS);
        int planned = target != null ? target
                : (int) (clipFrames + (long) stills * Math.max(stillEach, minSeg) - (long) (n - 1) * tt);
        long budget = (long) planned + (long) (n - 1) * tt;
        int[] d = new int[n];
        if (stills > 0 && budget - clipFrames >= (long) stills * minSeg) {
            spreadOverStills(d, visuals, budget - clipFrames, stills);
            for (int i = 0; i < n; i++) {
                if (!visuals.get(i).isStill()) {
                    d[i] = natural[i];
                }
            }
        } else {
            int stillFrames = stills == 0 ? 0 : Math.max(minSeg, r.stillSeconds() != null ? stillEach : 2 * FPS);
            long clipBudget = budget - (long) stills * stillFrames;
            long clipMinimum = 0;
            for (int i = 0; i < n; i++) {
                clipMinimum += visuals.get(i).isStill() ? 0 : Math.min(natural[i], minSeg);
            }
            if (clips > 0 && clipBudget < clipFrames && clipBudget >= clipMinimum) {
                shareAmongClips(d, visuals, natural, clipBudget, minSeg);
                for (int i = 0; i < n; i++) {
                    if (visuals.get(i).isStill()) {
                        d[i] = stillFrames;
                    }
                }
            } else if (clips > 0 && clipBudget >= clipFrames) {
                for (int i = 0; i < n; i++) {
                    d[i] = visuals.get(i).isStill() ? stillFrames : natural[i];
                }
                if (target != null) {
                    long total = sum(d) - (long) (n - 1) * tt;
                    notDone.add(String.format(Locale.ROOT, "the %s you asked for: your clips are shorter and I do not slow them down, "
                            + "so the video runs %.1f s", secs(target), total / (double) FPS));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    d[i] = visuals.get(i).isStill() ? stillFrames : Math.min(natural[i], minSeg);
                }
                if (target != null) {
                    long total = sum(d) - (long) (n - 1) * tt;
                    notDone.add(String.format(Locale.ROOT, "the %s you asked for: it is too short to show %d items, so the video runs %.1f s",
                            secs(target), n, total / (double) FPS));
                }
            }
        }
        int totalFrames = (int) (sum(d) - (long) (n - 1) * tt);
        if (target != null && r.stillSeconds() != null && stills > 0) {
            int shown = firstStill(d, visuals);
            if (Math.abs(shown - stillEach) > FPS / 2) {
                changed.add(String.format(Locale.ROOT, "%s per photo and a %s video do not fit %d photos together; I kept the length, "
                        + "so each photo shows %.1f s", secs(stillEach), secs(target), stills, shown / (double) FPS));
            }
        }
        MediaInfo music = audios.isEmpty() || r.noMusic() ? null : audios.get(0);
        boolean[] still = new boolean[n];
        for (int i = 0; i < n; i++) {
            still[i] = visuals.get(i).isStill();
        }
        BeatCuts.Timing timing = BeatCuts.of(r.evenTiming(), music, still, natural, d, tt, totalFrames, minSeg);
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
            tracks.addObject().put("tt", 1).putArray("sg").addObject().put("src", music.id()).put("st", 0).put("d", ms(totalFrames))
                    .put("in", Math.round(timing.musicIn() * 1000)).put("v", volume / 100.0).put("fo", ms(fade))
                    .put("loop", music.duration() * FPS < totalFrames);
        } else if (r.musicVolume() != null && !r.noMusic()) {
            notDone.add("music at " + r.musicVolume() + "%: this session has no audio file to play");
        }
        if (audios.size() > (music == null ? 0 : 1)) {
            notDone.add("only one music track is used; " + (audios.size() - (music == null ? 0 : 1)) + " other audio file(s) left out");
        }
        double titleSeconds = r.titleSeconds() != null ? r.titleSeconds() : DEFAULT_TITLE;
        if (r.title() != null) {
            int titleFrames = Math.min((int) Math.round(titleSeconds * FPS), totalFrames);
            tracks.addObject().put("tt", 7).putArray("sg").addObject().put("text", r.title()).put("st", 0).put("d", ms(titleFrames));
        } else if (r.titleWithoutText()) {
            notDone.add("a title, because I could not find its words: put them in quotes, like titled \"Summer in Rome\"");
        }
        draft.put("d", ms(totalFrames));
        ObjectNode meta = draft.putObject("m").put("width", frame.width()).put("height", frame.height()).put("fps", FPS).put("fill", fill);
        if (r.title() != null) {
            meta.put("title", r.title());
        }
        r.unsupported().forEach(u -> notDone.add(u + " (not something I can do locally)"));
        Reply reply = new Reply(r, frame, fill, visuals, music, volume, d, tt, cutsBecause, totalFrames, titleSeconds,
                timing.says() + cuts.says());
        return new Plan(draft, reply.text(notDone, changed));
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

    /** The agent's words: what the plan is, then what it could not do and what it changed. */
    private record Reply(Request r, Frame frame, String fill, List<MediaInfo> visuals, MediaInfo music, int volume, int[] d, int tt,
                         String cutsBecause, int total, double titleSeconds, String beat) {

        String text(List<String> notDone, List<String> changed) {
            long stills = visuals.stream().filter(MediaInfo::isStill).count();
            long clips = visuals.size() - stills;
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Planned a %.1f-second %s video at %dx%d (%s) from %s", total / (double) FPS,
                    frame.shape(), frame.width(), frame.height(), frame.resolution(), count(clips, "clip")
                            + (clips > 0 && stills > 0 ? " and " : "") + count(stills, "photo")));
            sb.append(", in the order you gave");
            if (visuals.size() > 1) {
                String kind = r.transitionKind() != null ? r.transitionKind().replace("left", "") : "fade";
                sb.append(tt > 0 ? String.format(Locale.ROOT, ", with %.1f s %s transitions%s", tt / (double) FPS, kind,
                        r.transitions() == null ? " (my default)" : "") : ", with straight cuts" + cutsBecause);
            }
            sb.append(". ");
            if (!frame.reason().isEmpty()) {
                sb.append(Character.toUpperCase(frame.reason().charAt(0))).append(frame.reason().substring(1)).append(". ");
            }
            long misfits = visuals.stream().filter(m -> m.width() > 0 && m.height() > 0
                    && Math.abs((double) m.width() / m.height() - (double) frame.width() / frame.height()) > 0.02).count();
            if (misfits > 0) {
                String what = misfits == 1 ? "One item does not" : misfits + " items do not";
                sb.append(what).append(" fill the frame: ").append(switch (fill) {
                    case "black" -> "black bars fill the rest, as asked. ";
                    case "crop" -> "cropped to fill it, as asked. ";
                    default -> r.fill() == null ? "a blurred copy fills the rest (say \"black bars\" or \"crop\" for the others). "
                            : "a blurred copy fills the rest, as asked. ";
                });
            }
            if (stills > 0) {
                sb.append(String.format(Locale.ROOT, "Each photo shows for about %.1f s%s. ", firstStill(d, visuals) / (double) FPS,
                        r.zoom() ? " with a slow zoom" : r.staticPhotos() ? ", still, as asked"
                                : " and pans slowly (say \"static photos\" to keep them still)"));
            }
            sb.append(beat);
            if (clips > 0) {
                sb.append(clips == 1 ? (r.mute() ? "The clip's own sound is muted. " : "The clip keeps its own sound. ")
                        : (r.mute() ? "The clips' own sound is muted. " : "The clips keep their own sound. "));
            }
            if (music != null) {
                sb.append(String.format(Locale.ROOT, "%s plays underneath at %d%%%s and fades out over the last %.0f s. ",
                        music.file().getFileName(), volume, music.duration() * FPS < total ? ", looped" : "",
                        Math.min(MUSIC_FADE, total / 2.0 / FPS)));
            } else if (r.noMusic()) {
                sb.append("No background music, as asked. ");
            }
            if (r.title() != null) {
                sb.append(String.format(Locale.ROOT, "The title \"%s\" shows over the first %.0f s. ", r.title(),
                        Math.min(titleSeconds, total / (double) FPS)));
            }
            if (!r.understood()) {
                sb.append("I do not understand ").append(r.language()).append(" yet, so everything else is my default");
                if (!r.notUnderstood().isEmpty()) {
                    sb.append("; words I could not read: ").append(String.join(", ", r.notUnderstood()));
                }
                sb.append(". I understand English, Spanish, German, French, Chinese and Japanese. ");
            } else if (!r.language().equals("English")) {
                sb.append("(Read as ").append(r.language()).append(".) ");
            }
            if (!changed.isEmpty()) {
                sb.append("Changed: ").append(String.join("; ", new LinkedHashSet<>(changed))).append(". ");
            }
            if (!notDone.isEmpty()) {
                sb.append("Not done: ").append(String.join("; ", new LinkedHashSet<>(notDone))).append('.');
            }
            return sb.toString().strip();
        }
    }

    private static int firstStill(int[] d, List<MediaInfo> visuals) {
        for (int i = 0; i < d.length; i++) {
            if (visuals.get(i).isStill()) {
                return d[i];
            }
        }
        return 0;
    }

    /**
     * Shares {@code budget} frames among the clips in proportion to their lengths, none under {@code minSeg} (a clip
     * shorter than that is shown whole), the rounding remainder a frame each to the first ones.
     */
    private static void shareAmongClips(int[] d, List<MediaInfo> visuals, int[] natural, long budget, int minSeg) {
        boolean[] fixed = new boolean[d.length];
        long rest = budget;
        for (boolean changed = true; changed; ) {
            changed = false;
            long open = 0;
            for (int i = 0; i < d.length; i++) {
                open += !visuals.get(i).isStill() && !fixed[i] ? natural[i] : 0;
            }
            for (int i = 0; i < d.length && open > 0; i++) {
                if (!visuals.get(i).isStill() && !fixed[i] && natural[i] * rest / open < minSeg) {
                    d[i] = Math.min(natural[i], minSeg);
                    fixed[i] = true;
                    rest -= d[i];
                    changed = true;
                    break;
                }
            }
            if (!changed && open > 0) {
                long used = 0;
                for (int i = 0; i < d.length; i++) {
                    if (!visuals.get(i).isStill() && !fixed[i]) {
                        d[i] = (int) (natural[i] * rest / open);
                        used += d[i];
                    }
                }
                for (int i = 0; i < d.length && used < rest; i++) {
                    if (!visuals.get(i).isStill() && !fixed[i] && d[i] < natural[i]) {
                        d[i]++;
                        used++;
                    }
                }
            }
        }
    }

    /** Shares {@code frames} among the stills, the remainder one frame each to the first ones. */
    private static void spreadOverStills(int[] d, List<MediaInfo> visuals, long frames, int count) {
        long each = frames / count;
        long rest = frames % count;
        for (int i = 0; i < d.length; i++) {
            if (visuals.get(i).isStill()) {
                d[i] = (int) (each + (rest-- > 0 ? 1 : 0));
            }
        }
    }

    private static long sum(int[] d) {
        long s = 0;
        for (int v : d) {
            s += v;
        }
        return s;
    }

    private static String secs(int frames) {
        double s = frames / (double) FPS;
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }

    private static String count(long n, String noun) {
        return n == 0 ? "" : n + " " + noun + (n == 1 ? "" : "s");
    }

    static long ms(long frames) {
        return Timeline.ms(frames);
    }
}
