package io.reelbox.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a prompt (with the sidecar's hints appended) and the session's media into a timeline, deterministically.
 * Media keep their order. Stills share the time the clips leave; clips are trimmed to fit; music is trimmed or
 * looped and fades out. All arithmetic is in frames at {@link #FPS}, so the render is exactly as long as planned.
 * The reply says in plain words what the plan is and what in the prompt it did not act on.
 */
public final class Planner {

    public static final int FPS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double DEFAULT_STILL = 4.0;
    private static final double DEFAULT_TRANSITION = 1.0;
    private static final int DEFAULT_MUSIC_VOLUME = 35;
    private static final double DEFAULT_TITLE = 3.0;
    private static final double MUSIC_FADE = 3.0;

    private static final String NUM = "(\\d+(?:\\.\\d+)?)";
    private static final Pattern SECONDS = Pattern.compile(NUM + "\\s*-?\\s*(?:seconds?|secs?|s)\\b");
    private static final Pattern MINUTES = Pattern.compile(NUM + "\\s*-?\\s*(?:minutes?|mins?)\\b");
    private static final Pattern WORD_MINUTES = Pattern.compile("\\b(half a|a|one|two|three|four|five|ten)\\s*-?\\s*minutes?\\b");
    private static final Pattern RESOLUTION = Pattern.compile("\\b(480p|720p|1080p|1440p|2160p|4k|uhd|full ?hd)\\b");
    private static final Pattern VOLUME = Pattern.compile("(?:music|song|bgm|soundtrack|audio|track)[^.%\\n]{0,40}?(\\d{1,3})\\s*%"
            + "|(\\d{1,3})\\s*%[^.\\n]{0,20}?(?:music|volume|song|bgm)");
    private static final String TITLE_LEAD = "(?:titled|title:?|with the title|called|named)\\s*";
    /** Each opening quote with its own closing one, so other quotes may appear inside a title. */
    private static final Pattern[] TITLE_QUOTED = {
        Pattern.compile(TITLE_LEAD + "\"([^\"\\n]{1,100})\"", Pattern.CASE_INSENSITIVE),
        Pattern.compile(TITLE_LEAD + "“([^”\\n]{1,100})”", Pattern.CASE_INSENSITIVE),
        Pattern.compile(TITLE_LEAD + "‘([^’\\n]{1,100})’", Pattern.CASE_INSENSITIVE),
        Pattern.compile(TITLE_LEAD + "'([^'\\n]{1,100})'", Pattern.CASE_INSENSITIVE),
    };
    private static final Pattern TITLE_PLAIN = Pattern.compile("\\btitled\\s+([^,.;\\n\"]{1,60})", Pattern.CASE_INSENSITIVE);
    private static final Pattern TRANSITION_LENGTH = Pattern.compile(NUM + "\\s*-?\\s*(?:seconds?|secs?|s)\\s+(?:long\\s+)?(?:cross-?fade|fade|dissolve|wipe|slide|transition)");
    private static final Pattern TITLE_LENGTH = Pattern.compile("first\\s+" + NUM + "\\s*-?\\s*(?:seconds?|secs?|s)\\b");
    private static final Pattern NO_TRANSITIONS = Pattern.compile("\\b(no|without)\\s+(transitions?|fades?)\\b|\\b(hard|straight|jump)\\s+cuts?\\b");
    private static final Pattern MUTE = Pattern.compile("\\bmute[ds]?\\b|without (?:the )?(?:original |clip |clips'? )?(?:audio|sound)"
            + "|no (?:clip|original) (?:audio|sound)|remove (?:the )?(?:original |clip )?(?:audio|sound)");
    private static final Pattern NO_MUSIC = Pattern.compile("\\b(no|without) (background )?music\\b");
    private static final Pattern ZOOM = Pattern.compile("\\bzoom|ken burns|pan and zoom");
    private static final String[][] UNSUPPORTED = {
        {"subtitle", "subtitles"}, {"caption", "captions"}, {"colou?r ?grad", "colour grading"}, {"\\bfilter", "filters"},
        {"slow[- ]?motion|slow-mo", "slow motion"}, {"speed (?:up|it up)|\\bfaster\\b|timelapse", "speed changes"},
        {"revers", "reversing"}, {"stabili", "stabilisation"}, {"\\blogo\\b", "a logo"}, {"watermark", "a watermark"},
        {"voice[- ]?over|narrat", "voice-over"}, {"sticker|emoji", "stickers"}, {"green screen|chroma", "green screen"},
        {"split[- ]screen|picture[- ]in[- ]picture", "split screen"}, {"\\bbeat|rhythm|sync to the music", "cutting to the beat"},
    };

    /** The result: a draft to store in the session (null when nothing can be made) and the agent's reply. */
    public record Plan(ObjectNode draft, String reply) {
    }

    private record Choices(Integer targetFrames, int width, int height, String aspectWord, String resolutionWord,
                           boolean transitions, String transitionKind, double transitionSeconds, boolean transitionDefault,
                           int musicVolume, boolean noMusic, String title, double titleSeconds, boolean mute, boolean zoom,
                           List<String> notActedOn) {
    }

    public Plan plan(String prompt, List<MediaInfo> media) {
        Choices c = read(prompt);
        List<MediaInfo> visuals = media.stream().filter(m -> !m.category().name().equals("AUDIO")).toList();
        List<MediaInfo> audios = media.stream().filter(m -> m.category().name().equals("AUDIO")).toList();
        List<String> notes = new ArrayList<>(c.notActedOn());
        if (visuals.isEmpty()) {
            return new Plan(null, "I need at least one clip or photo to make a video, and this session has "
                    + (audios.isEmpty() ? "no media at all" : "only audio") + ". Upload a clip or a photo and ask again.");
        }
        int n = visuals.size();
        int tt = n > 1 && c.transitions() ? (int) Math.round(c.transitionSeconds() * FPS) : 0;
        int[] natural = new int[n];
        int clips = 0;
        long clipFrames = 0;
        for (int i = 0; i < n; i++) {
            MediaInfo m = visuals.get(i);
            if (!m.isStill()) {
                // One frame short of the end: the last frame of a stream is often not decodable at the exact end.
                natural[i] = Math.max(1, (int) Math.floor(m.duration() * FPS) - 1);
                clips++;
                clipFrames += natural[i];
                if (tt > 0) {
                    tt = Math.min(tt, natural[i] / 2);
                }
            }
        }
        int stills = n - clips;
        int minSeg = Math.max(2 * tt, FPS);
        int target = c.targetFrames() != null ? c.targetFrames()
                : (int) (clipFrames + Math.round(stills * DEFAULT_STILL * FPS) - (long) (n - 1) * tt);
        long budget = (long) target + (long) (n - 1) * tt;
        int[] d = new int[n];
        if (stills > 0 && budget - clipFrames >= (long) stills * minSeg) {
            spreadOverStills(d, visuals, budget - clipFrames, stills);
            for (int i = 0; i < n; i++) {
                if (!visuals.get(i).isStill()) {
                    d[i] = natural[i];
                }
            }
        } else {
            int stillFrames = stills == 0 ? 0 : Math.max(minSeg, 2 * FPS);
            long clipBudget = budget - (long) stills * stillFrames;
            if (clips > 0 && clipBudget < clipFrames && clipBudget >= (long) clips * minSeg) {
                // Trim every clip by the same proportion; spread the rounding remainder over the first ones.
                long used = 0;
                for (int i = 0; i < n; i++) {
                    if (!visuals.get(i).isStill()) {
                        d[i] = (int) Math.max(minSeg, natural[i] * clipBudget / clipFrames);
                        used += d[i];
                    } else {
                        d[i] = stillFrames;
                    }
                }
                for (int i = 0; i < n && used < clipBudget; i++) {
                    if (!visuals.get(i).isStill() && d[i] < natural[i]) {
                        d[i]++;
                        used++;
                    }
                }
            } else if (clips > 0 && clipBudget >= clipFrames) {
                for (int i = 0; i < n; i++) {
                    d[i] = visuals.get(i).isStill() ? stillFrames : natural[i];
                }
                long total = sum(d) - (long) (n - 1) * tt;
                notes.add(String.format(Locale.ROOT, "your clips are shorter than the %.0f s you asked for and I do not slow "
                        + "them down, so the video runs %.1f s", target / (double) FPS, total / (double) FPS));
            } else {
                for (int i = 0; i < n; i++) {
                    d[i] = visuals.get(i).isStill() ? stillFrames : Math.min(natural[i], minSeg);
                }
                long total = sum(d) - (long) (n - 1) * tt;
                notes.add(String.format(Locale.ROOT, "%.0f s is too short to show %d items, so the video runs %.1f s",
                        target / (double) FPS, n, total / (double) FPS));
            }
        }
        int totalFrames = (int) (sum(d) - (long) (n - 1) * tt);

        ObjectNode draft = JSON.createObjectNode();
        ArrayNode tracks = draft.putArray("t");
        ArrayNode video = tracks.addObject().put("tt", 0).putArray("sg");
        long start = 0;
        for (int i = 0; i < n; i++) {
            MediaInfo m = visuals.get(i);
            ObjectNode sg = video.addObject().put("src", m.id()).put("kind", m.isStill() ? "image" : "video")
                    .put("st", ms(start)).put("d", ms(d[i])).put("in", 0);
            if (i < n - 1 && tt > 0) {
                sg.put("fx", c.transitionKind()).put("td", ms(tt));
            }
            if (m.isStill() && c.zoom()) {
                sg.put("zoom", true);
            }
            if (!m.isStill()) {
                sg.put("mute", c.mute() || !m.hasAudio());
            }
            start += d[i] - tt;
        }
        MediaInfo music = audios.isEmpty() || c.noMusic() ? null : audios.get(0);
        if (music != null) {
            int fade = Math.min((int) (MUSIC_FADE * FPS), totalFrames / 2);
            tracks.addObject().put("tt", 1).putArray("sg").addObject().put("src", music.id()).put("st", 0).put("d", ms(totalFrames))
                    .put("in", 0).put("v", c.musicVolume() / 100.0).put("fo", ms(fade))
                    .put("loop", music.duration() * FPS < totalFrames);
        }
        if (audios.size() > (music == null ? 0 : 1)) {
            notes.add("only one music track is used; " + (audios.size() - (music == null ? 0 : 1)) + " other audio file(s) left out");
        }
        if (c.title() != null) {
            int titleFrames = Math.min((int) Math.round(c.titleSeconds() * FPS), totalFrames);
            tracks.addObject().put("tt", 7).putArray("sg").addObject().put("text", c.title()).put("st", 0).put("d", ms(titleFrames));
        }
        draft.put("d", ms(totalFrames));
        ObjectNode meta = draft.putObject("m").put("width", c.width()).put("height", c.height()).put("fps", FPS);
        if (c.title() != null) {
            meta.put("title", c.title());
        }
        return new Plan(draft, reply(c, visuals, music, d, tt, totalFrames, notes));
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

    static long ms(long frames) {
        return Math.round(frames * 1000.0 / FPS);
    }

    public static int frames(long ms) {
        return (int) Math.round(ms * FPS / 1000.0);
    }

    private String reply(Choices c, List<MediaInfo> visuals, MediaInfo music, int[] d, int tt, int total, List<String> notes) {
        long stills = visuals.stream().filter(MediaInfo::isStill).count();
        long clips = visuals.size() - stills;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Planned a %.1f-second %s video at %dx%d (%s) from %s", total / (double) FPS,
                c.aspectWord(), c.width(), c.height(), c.resolutionWord(), count(clips, "clip") + (clips > 0 && stills > 0 ? " and " : "")
                        + count(stills, "photo")));
        sb.append(", in the order you gave");
        if (visuals.size() > 1) {
            sb.append(tt > 0 ? String.format(Locale.ROOT, ", with %.1f s %s transitions%s", tt / (double) FPS, c.transitionKind(),
                    c.transitionDefault() ? " (my default)" : "") : ", with straight cuts");
        }
        sb.append(". ");
        if (stills > 0) {
            int still = 0;
            for (int i = 0; i < d.length; i++) {
                if (visuals.get(i).isStill()) {
                    still = d[i];
                    break;
                }
            }
            sb.append(String.format(Locale.ROOT, "Each photo shows for about %.1f s%s. ", still / (double) FPS, c.zoom() ? " with a slow zoom" : ""));
        }
        if (clips > 0) {
            sb.append(clips == 1 ? (c.mute() ? "The clip's own sound is muted. " : "The clip keeps its own sound. ")
                    : (c.mute() ? "The clips' own sound is muted. " : "The clips keep their own sound. "));
        }
        if (music != null) {
            sb.append(String.format(Locale.ROOT, "%s plays underneath at %d%%%s and fades out over the last %.0f s. ",
                    music.file().getFileName(), c.musicVolume(), music.duration() * FPS < total ? ", looped" : "", Math.min(MUSIC_FADE, total / 2.0 / FPS)));
        } else if (c.noMusic()) {
            sb.append("No background music, as asked. ");
        }
        if (c.title() != null) {
            sb.append(String.format(Locale.ROOT, "The title \"%s\" shows over the first %.0f s. ", c.title(), Math.min(c.titleSeconds(), total / (double) FPS)));
        }
        Set<String> unique = new LinkedHashSet<>(notes);
        if (!unique.isEmpty()) {
            sb.append("Not done: ").append(String.join("; ", unique)).append('.');
        }
        return sb.toString().strip();
    }

    private static String count(long n, String noun) {
        return n == 0 ? "" : n + " " + noun + (n == 1 ? "" : "s");
    }

    Choices read(String prompt) {
        String p = prompt.toLowerCase(Locale.ROOT);
        List<String> notActed = new ArrayList<>();

        Double transitionSeconds = null;
        Matcher tl = TRANSITION_LENGTH.matcher(p);
        if (tl.find()) {
            transitionSeconds = Double.parseDouble(tl.group(1));
        }
        Double titleSeconds = null;
        Matcher tls = TITLE_LENGTH.matcher(p);
        if (tls.find()) {
            titleSeconds = Double.parseDouble(tls.group(1));
        }
        Integer target = targetFrames(p, tl, tls);

        String aspect = "16:9";
        String aspectWord = "landscape";
        if (p.matches("(?s).*(9:16|\\bvertical|\\bportrait|tiktok|\\breels?\\b|\\bshorts\\b|\\bstor(y|ies)\\b).*")) {
            aspect = "9:16";
            aspectWord = "vertical";
        } else if (p.matches("(?s).*(1:1|\\bsquare\\b).*")) {
            aspect = "1:1";
            aspectWord = "square";
        }
        int shortSide = 1080;
        String resWord = "1080p";
        Matcher r = RESOLUTION.matcher(p);
        if (r.find()) {
            switch (r.group(1)) {
                case "480p" -> shortSide = 480;
                case "720p" -> shortSide = 720;
                case "1440p" -> shortSide = 1440;
                case "2160p", "4k", "uhd" -> shortSide = 2160;
                default -> shortSide = 1080;
            }
            resWord = shortSide == 2160 ? "4K" : shortSide + "p";
        }
        // 16:9 of 480 is 853.3: round to the even width encoders need (854), as every player expects.
        int longSide = (int) Math.round(shortSide * 16 / 9.0 / 2) * 2;
        int w = aspect.equals("9:16") ? shortSide : aspect.equals("1:1") ? shortSide : longSide;
        int h = aspect.equals("9:16") ? longSide : shortSide;

        boolean transitions = !NO_TRANSITIONS.matcher(p).find();
        boolean mentioned = p.contains("transition") || p.matches("(?s).*\\b(cross-?fade|fade|dissolve|wipe|slide)s?\\b.*");
        String kind = "fade";
        if (p.contains("dissolve")) {
            kind = "dissolve";
        } else if (p.matches("(?s).*\\bwipes?\\b.*")) {
            kind = "wipeleft";
        } else if (p.matches("(?s).*\\bslides?\\b.*")) {
            kind = "slideleft";
        }

        int volume = DEFAULT_MUSIC_VOLUME;
        Matcher v = VOLUME.matcher(p);
        if (v.find()) {
            volume = Math.min(100, Integer.parseInt(v.group(1) != null ? v.group(1) : v.group(2)));
        }
        String title = null;
        int titleAt = Integer.MAX_VALUE;
        for (Pattern quoted : TITLE_QUOTED) {
            Matcher tq = quoted.matcher(prompt);
            if (tq.find() && tq.start() < titleAt) {
                title = tq.group(1).strip();
                titleAt = tq.start();
            }
        }
        if (title == null) {
            Matcher tp = TITLE_PLAIN.matcher(prompt);
            if (tp.find()) {
                title = tp.group(1).replaceAll("(?i)\\s+(and|with)\\b.*$", "").strip();
            }
        }
        for (String[] u : UNSUPPORTED) {
            if (Pattern.compile(u[0]).matcher(p).find()) {
                notActed.add(u[1] + " (not something I can do locally)");
            }
        }
        return new Choices(target, w, h, aspectWord, resWord, transitions, kind,
                transitionSeconds != null ? transitionSeconds : DEFAULT_TRANSITION, transitions && !mentioned, volume,
                NO_MUSIC.matcher(p).find(), title, titleSeconds != null ? titleSeconds : DEFAULT_TITLE,
                MUTE.matcher(p).find(), ZOOM.matcher(p).find(), notActed);
    }

    /** The video's length: the sidecar's hint wins, then the first length in the prompt that is not a transition's or title's. */
    private static Integer targetFrames(String p, Matcher transitionMatch, Matcher titleMatch) {
        int req = p.lastIndexOf("requirements:");
        if (req >= 0) {
            Matcher hint = Pattern.compile("duration " + NUM + " seconds").matcher(p.substring(req));
            if (hint.find()) {
                return (int) Math.round(Double.parseDouble(hint.group(1)) * FPS);
            }
        }
        List<int[]> skip = new ArrayList<>();
        if (transitionMatch.find(0)) {
            skip.add(new int[] {transitionMatch.start(), transitionMatch.end()});
        }
        if (titleMatch.find(0)) {
            skip.add(new int[] {titleMatch.start(), titleMatch.end()});
        }
        Integer best = null;
        int bestAt = Integer.MAX_VALUE;
        for (Pattern pat : new Pattern[] {SECONDS, MINUTES, WORD_MINUTES}) {
            Matcher m = pat.matcher(p);
            while (m.find()) {
                int at = m.start();
                boolean skipped = skip.stream().anyMatch(s -> at >= s[0] && at < s[1])
                        || p.substring(m.end(), Math.min(p.length(), m.end() + 12)).matches("(?s)\\s*(long\\s+)?(cross-?fade|fade|dissolve|wipe|slide|transition).*");
                if (skipped || at >= bestAt) {
                    continue;
                }
                double seconds;
                if (pat == WORD_MINUTES) {
                    seconds = switch (m.group(1)) {
                        case "half a" -> 30;
                        case "a", "one" -> 60;
                        case "two" -> 120;
                        case "three" -> 180;
                        case "four" -> 240;
                        case "five" -> 300;
                        default -> 600;
                    };
                } else {
                    seconds = Double.parseDouble(m.group(1)) * (pat == MINUTES ? 60 : 1);
                }
                if (seconds > 0 && seconds <= 3600) {
                    best = (int) Math.round(seconds * FPS);
                    bestAt = at;
                }
                break;
            }
        }
        return best;
    }
}
