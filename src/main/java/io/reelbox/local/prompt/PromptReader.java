package io.reelbox.local.prompt;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.reelbox.local.prompt.Lexicon.Language;

/**
 * Reads a prompt into a {@link Request}: which language it is in (the text first, then the session's language),
 * each length bound to the noun it measures ("a 12 second slideshow with 2 second dissolves": 12 s is the video,
 * 2 s the transitions), spelled-out numbers, and the sidecar's "Requirements:" line, which wins over the prompt.
 * Stateless and thread-safe; the patterns for each set of languages are compiled once.
 */
public final class PromptReader {

    private static final Pattern CLAUSE_END = Pattern.compile("[,;.!?。，、；！？\\n]");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:[.,]\\d+)?)\\s*(?:%|percent|per\\s?cent|por\\s?ciento|prozent|pour\\s?cent|パーセント)"
            + "|百分之(\\d{1,3}|[零一二两三四五六七八九十]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\n]{1,100})\"|“([^”\\n]{1,100})”|„([^“”\\n]{1,100})[“”]|‘([^’\\n]{1,100})’"
            + "|«\\s?([^»\\n]{1,100}?)\\s?»|「([^」\\n]{1,100})」|『([^』\\n]{1,100})』|‹([^›\\n]{1,100})›|'([^'\\n]{1,100})'");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}']+");
    private static final Pattern NEGATED_TITLE = Pattern.compile("(?:\\b(?:no|without|sin|ohne|sans|kein(?:en)?)\\s+(?:a\\s+|un\\s+|une\\s+|einen\\s+)?"
            + "|不要|无|没有)$", Pattern.CASE_INSENSITIVE);
    private static final double MAX_GAP = 2.0;

    private final Lexicon lexicon;
    private final Map<Set<String>, Patterns> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    public PromptReader(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    public PromptReader() {
        this(Lexicon.bundled());
    }

    /** Reads {@code prompt} as sent to a session opened with {@code sessionLanguage} (may be null or unknown). */
    public Request read(String prompt, String sessionLanguage) {
        String text = Normalizer.normalize(prompt == null ? "" : prompt, Normalizer.Form.NFKC);
        int req = text.toLowerCase(Locale.ROOT).lastIndexOf("requirements:");
        String user = req >= 0 ? text.substring(0, req) : text;
        Detected detected = detect(user, sessionLanguage);
        Request fromUser = readPart(user, detected);
        if (req < 0) {
            return fromUser;
        }
        // The sidecar's hints are appended in English by the daemon (JobSpec.promptFor).
        Request hints = readPart(text.substring(req), new Detected(List.of("en"), "English", true, false));
        return fromUser.overriddenBy(hints);
    }

    /** The languages to read a text with, and its name for the reply. */
    private record Detected(List<String> codes, String name, boolean understood, boolean guessed) {
    }

    private Detected detect(String text, String sessionLanguage) {
        String session = sessionLanguage == null ? "" : sessionLanguage.strip().toLowerCase(Locale.ROOT);
        session = session.length() >= 2 ? session.substring(0, 2) : session;
        boolean sessionKnown = lexicon.languages().containsKey(session);
        String found = null;
        if (text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA
                || Character.UnicodeScript.of(c) == Character.UnicodeScript.KATAKANA)) {
            found = "ja";
        } else if (text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
            found = session.equals("ja") ? "ja" : "zh";
        } else {
            String script = foreignScript(text);
            if (script != null) {
                return new Detected(List.of("en"), script, false, false);
            }
            List<String> words = WORD.matcher(text.toLowerCase(Locale.ROOT)).results().map(m -> m.group()).toList();
            String best = null;
            long bestScore = 0;
            for (Map.Entry<String, Language> e : lexicon.languages().entrySet()) {
                long score = words.stream().filter(e.getValue().markers()::contains).count();
                if (score > bestScore || (score == bestScore && score > 0 && e.getKey().equals(session))) {
                    best = e.getKey();
                    bestScore = score;
                }
            }
            for (Map.Entry<String, List<String>> e : lexicon.others().entrySet()) {
                long score = words.stream().filter(e.getValue()::contains).count();
                if (score >= 2 && score > bestScore) {
                    return new Detected(List.of("en"), e.getKey(), false, false);
                }
            }
            if (best == null) {
                List<String> codes = sessionKnown ? List.of("en", session) : List.of("en");
                return new Detected(codes.stream().distinct().toList(), lexicon.languages().get(codes.get(codes.size() - 1)).name(),
                        true, words.size() >= 3);
            }
            found = best;
        }
        Set<String> codes = new LinkedHashSet<>(List.of("en", found));
        if (sessionKnown) {
            codes.add(session);
        }
        return new Detected(List.copyOf(codes), lexicon.languages().get(found).name(), true, false);
    }

    private static String foreignScript(String text) {
        Map<Character.UnicodeScript, Integer> counts = new LinkedHashMap<>();
        text.codePoints().filter(Character::isLetter).forEach(c -> counts.merge(Character.UnicodeScript.of(c), 1, Integer::sum));
        int latin = counts.getOrDefault(Character.UnicodeScript.LATIN, 0);
        return counts.entrySet().stream().filter(e -> e.getKey() != Character.UnicodeScript.LATIN && e.getValue() > latin)
                .max(Map.Entry.comparingByValue())
                .map(e -> switch (e.getKey()) {
                    case CYRILLIC -> "Russian (or another language in Cyrillic)";
                    case HANGUL -> "Korean";
                    case ARABIC -> "Arabic";
                    case GREEK -> "Greek";
                    case HEBREW -> "Hebrew";
                    case THAI -> "Thai";
                    case DEVANAGARI -> "Hindi";
                    default -> "a language I do not know";
                }).orElse(null);
    }

    /** Where a concept was found in the text. */
    record Span(String concept, int start, int end, boolean weak) {
        boolean overlaps(int s, int e) {
            return start < e && s < end;
        }
    }

    /**
     * A length in the text, in seconds; bound later to the noun it measures. {@code article} marks "a second" or
     * "d'une seconde": one second only when it measures a transition, a title or a photo, never the video.
     */
    private Request readPart(String text, Detected detected) {
        Patterns c = compiled.computeIfAbsent(Set.copyOf(detected.codes()), k -> Patterns.compile(lexicon, detected.codes()));
        List<Span> recognised = new ArrayList<>();
        List<String> adjustments = new ArrayList<>();

        List<Lengths.Mention> mentions = Lengths.mentions(text, c);
        mentions.forEach(m -> recognised.add(new Span("length", m.start(), m.end(), false)));
        List<Span> nouns = nouns(text, c, mentions);
        // Where two nouns overlap, the longer one is meant: "per slide" is a photo, not a slide transition.
        List<Span> shadowed = nouns.stream().filter(a -> nouns.stream().anyMatch(b -> b != a && b.overlaps(a.start(), a.end())
                && b.end() - b.start() > a.end() - a.start())).toList();
        nouns.removeAll(shadowed);
        Map<String, Double> bound = bind(text, mentions, nouns, c, recognised, adjustments);
        Integer volume = volume(text, nouns, c, recognised);
        String aspect = aspect(text, c, recognised, adjustments);
        Platform platform = Platform.in(text).map(f -> {
            recognised.add(new Span("platform", f.start(), f.end(), false));
            return f.platform();
        }).orElse(null);
        if (aspect == null && platform != null) {
            aspect = platform.aspect();
        }
        Integer shortSide = null;
        List<Span> resolutions = all(text, c.resolution);
        recognised.addAll(resolutions);
        if (!resolutions.isEmpty()) {
            shortSide = Integer.parseInt(resolutions.get(0).concept());
        }

        List<Span> cuts = all(text, Map.of("cuts", c.noTransitions));
        recognised.addAll(cuts);
        List<Span> kinds = all(text, c.transitionKinds);
        kinds.removeIf(k -> shadowed.stream().anyMatch(sh -> sh.overlaps(k.start(), k.end()))
                || nouns.stream().anyMatch(n -> !n.concept().equals("transition") && n.overlaps(k.start(), k.end())));
        boolean transitionNamed = nouns.stream().anyMatch(n -> n.concept().equals("transition"));
        Double transitionSeconds = bound.get("transition");
        Boolean transitions = null;
        if (!cuts.isEmpty()) {
            transitions = false;
            if (transitionSeconds != null) {
                adjustments.add("you asked for no transitions and for " + seconds(transitionSeconds) + " ones; I used straight cuts");
            }
            transitionSeconds = null;
        } else if (transitionNamed || transitionSeconds != null || !kinds.isEmpty()) {
            transitions = true;
            nouns.stream().filter(n -> n.concept().equals("transition")).forEach(recognised::add);
        }
        String kind = kinds.isEmpty() || Boolean.FALSE.equals(transitions) ? null : kinds.get(0).concept();

        List<Span> fills = all(text, c.fill);
        recognised.addAll(fills);
        String fill = fills.isEmpty() ? null : fills.get(0).concept();
        boolean staticPhotos = find(text, c.noZoom, recognised);
        boolean zoom = !staticPhotos && zoom(text, c, fills, recognised);
        boolean mute = find(text, c.mute, recognised);
        boolean noMusic = find(text, c.noMusic, recognised);
        boolean evenTiming = find(text, c.evenTiming, recognised);
        boolean noDucking = find(text, c.noDucking, recognised);

        String title = title(text, c, nouns, recognised);
        boolean titleNamed = nouns.stream().anyMatch(n -> n.concept().equals("title") && !negated(text, n));
        boolean titleWithoutText = title == null && titleNamed && !c.noTitle.matcher(text).find();

        List<String> unsupported = unsupported(text, c, title, recognised);

        Double videoSeconds = bound.get("video");
        boolean anything = videoSeconds != null || shortSide != null || aspect != null || transitions != null || volume != null
                || noMusic || title != null || mute || zoom || staticPhotos || evenTiming || noDucking || platform != null || fill != null
                || !bound.isEmpty();
        boolean understood = detected.understood() && (anything || !detected.guessed());
        if (videoSeconds == null && (!understood || !anything)) {
            videoSeconds = Lengths.anyLanguageLength(text, recognised);
            // A length in digits, and nothing else read: the language was mistaken ("un montaggio di 2 minuti" looks
            // Spanish, "en video på 40 sekunder" English), so the reply lists the unread words rather than claiming them.
            understood &= videoSeconds == null;
        }
        List<String> notUnderstood = understood ? List.of() : unread(text, recognised);
        String language = detected.understood() ? (understood ? detected.name() : "a language I do not know") : detected.name();
        return new Request(videoSeconds, shortSide, aspect, transitions, kind, transitionSeconds, volume, noMusic, title,
                bound.get("title"), mute, zoom, staticPhotos, evenTiming, noDucking, platform, fill, bound.get("still"), titleWithoutText, unsupported,
                List.copyOf(new LinkedHashSet<>(adjustments)), language, understood, notUnderstood);
    }

    /** The nouns lengths may measure (video, transition, title, photo, music), where no length stands. */
    private static List<Span> nouns(String text, Patterns c, List<Lengths.Mention> mentions) {
        List<Span> nouns = new ArrayList<>();
        for (Map.Entry<String, Pattern> n : c.nouns.entrySet()) {
            Matcher m = n.getValue().matcher(text);
            while (m.find()) {
                int s = m.start();
                int e = m.end();
                if (mentions.stream().noneMatch(x -> x.start() < e && s < x.end())) {
                    nouns.add(new Span(n.getKey().replace("weak-", ""), s, e, n.getKey().startsWith("weak-")));
                }
            }
        }
        return nouns;
    }

    /** Each length bound to the noun it stands next to; a length next to nothing is the video's. */
    private Map<String, Double> bind(String text, List<Lengths.Mention> mentions, List<Span> nouns, Patterns c, List<Span> recognised,
                                     List<String> adjustments) {
        Map<String, Double> bound = new LinkedHashMap<>();
        List<Lengths.Mention> loose = new ArrayList<>();
        for (Lengths.Mention m : mentions) {
            Span noun = nearest(text, m.start(), m.end(), nouns, Set.of("video", "transition", "title", "still"), c, false);
            if (m.article() && (noun == null || noun.concept().equals("video"))) {
                continue; // "a second video" is not one second long
            }
            if (noun == null) {
                loose.add(m);
                continue;
            }
            recognised.add(noun);
            Double before = bound.putIfAbsent(noun.concept(), m.seconds());
            if (before != null && Math.abs(before - m.seconds()) > 0.01) {
                adjustments.add(String.format(Locale.ROOT, "you gave the %s two lengths (%s and %s); I used %s", label(noun.concept()),
                        seconds(before), seconds(m.seconds()), seconds(before)));
            }
        }
        for (Lengths.Mention m : loose) {
            if (!bound.containsKey("video")) {
                bound.put("video", m.seconds());
            } else {
                adjustments.add("I could not tell what \"" + text.substring(m.start(), m.end()).strip() + "\" is for, so I left it out");
            }
        }
        return bound;
    }

    /** The music's level: a percentage next to the music, else "quiet" (20 %) or "loud" (80 %); null when not said. */
    private Integer volume(String text, List<Span> nouns, Patterns c, List<Span> recognised) {
        Matcher pm = PERCENT.matcher(text);
        while (pm.find()) {
            Span music = nearest(text, pm.start(), pm.end(), nouns, Set.of("music"), c, true);
            if (music != null) {
                double v = pm.group(1) != null ? Double.parseDouble(pm.group(1).replace(',', '.')) : Lengths.cjkNumber(pm.group(2));
                recognised.add(new Span("music", pm.start(), pm.end(), false));
                recognised.add(music);
                return (int) Math.round(Math.min(100, v));
            }
        }
        Integer volume = level(text, c.quiet, 20, nouns, c, recognised);
        return volume != null ? volume : level(text, c.loud, 80, nouns, c, recognised);
    }

    /** The frame's shape asked for; the first when two are, and the reply says so. */
    private static String aspect(String text, Patterns c, List<Span> recognised, List<String> adjustments) {
        List<Span> aspects = all(text, c.aspect);
        recognised.addAll(aspects);
        if (aspects.isEmpty()) {
            return null;
        }
        String aspect = aspects.get(0).concept();
        for (Span a : aspects) {
            if (!a.concept().equals(aspect)) {
                adjustments.add("you asked for both " + shape(aspect) + " and " + shape(a.concept()) + "; I used the first, " + shape(aspect));
                break;
            }
        }
        return aspect;
    }

    /** A slow zoom asked for ("zoom to fill" is a fill, not a zoom). */
    private static boolean zoom(String text, Patterns c, List<Span> fills, List<Span> recognised) {
        Matcher z = c.zoom.matcher(text);
        while (z.find()) {
            int s = z.start();
            int e = z.end();
            if (fills.stream().noneMatch(f -> f.overlaps(s, e))) {
                recognised.add(new Span("zoom", s, e, false));
                return true;
            }
        }
        return false;
    }

    /** What was asked that the embedded backend cannot do, unless the words are the title's. */
    private static List<String> unsupported(String text, Patterns c, String title, List<Span> recognised) {
        List<String> unsupported = new ArrayList<>();
        for (Map.Entry<String, Pattern> u : c.unsupported.entrySet()) {
            Matcher m = u.getValue().matcher(text);
            if (m.find() && (title == null || !title.toLowerCase(Locale.ROOT).contains(m.group().toLowerCase(Locale.ROOT)))) {
                unsupported.add(u.getKey());
                recognised.add(new Span("unsupported", m.start(), m.end(), false));
            }
        }
        return List.copyOf(unsupported);
    }

    private static String label(String concept) {
        return switch (concept) {
            case "video" -> "video";
            case "transition" -> "transitions";
            case "title" -> "title";
            default -> "photos";
        };
    }

    private static String shape(String aspect) {
        return switch (aspect) {
            case "9:16" -> "vertical (9:16)";
            case "1:1" -> "square (1:1)";
            default -> "landscape (16:9)";
        };
    }

    static String seconds(double s) {
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }

    /**
     * The noun among {@code concepts} that the text at [start, end) belongs to: the closest one before or after it
     * with only connecting words in between ("de", "の", "long"), preferring the one after and a strong noun over a
     * weak one ("long"). Null when none is close enough.
     */
    private Span nearest(String text, int start, int end, List<Span> nouns, Set<String> concepts, Patterns c, boolean lenient) {
        Span best = null;
        double bestScore = Double.MAX_VALUE;
        for (Span n : nouns) {
            if (!concepts.contains(n.concept()) || n.overlaps(start, end)) {
                continue;
            }
            boolean after = n.start() >= end;
            String gap = after ? text.substring(end, n.start()) : text.substring(n.end(), start);
            double score = gapScore(gap, c, lenient);
            if (score > (lenient ? MAX_GAP + 1 : MAX_GAP)) {
                continue;
            }
            score += (after ? 0 : 0.25) + (n.weak() ? 1.5 : 0);
            if (score < bestScore) {
                best = n;
                bestScore = score;
            }
        }
        return best;
    }

    /** How many words that are not connectors stand in {@code gap} (a CJK character counts half); infinite across a clause. */
    private static double gapScore(String gap, Patterns c, boolean lenient) {
        String g = QUOTED.matcher(gap).replaceAll(" ");
        if ((!lenient && CLAUSE_END.matcher(g).find()) || g.chars().anyMatch(Character::isDigit) || g.length() > 40) {
            return Double.MAX_VALUE;
        }
        if (c.blockers.matcher(g).find()) {
            return Double.MAX_VALUE;
        }
        g = c.connectors.matcher(g).replaceAll(" ");
        double score = 0;
        Matcher w = WORD.matcher(g);
        while (w.find()) {
            String word = w.group();
            score += word.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN || cp == '\'')
                    ? 1 : word.codePointCount(0, word.length()) * 0.5;
        }
        return score;
    }

    private Integer level(String text, Pattern words, int percent, List<Span> nouns, Patterns c, List<Span> recognised) {
        Matcher m = words.matcher(text);
        while (m.find()) {
            Span music = nearest(text, m.start(), m.end(), nouns, Set.of("music"), c, false);
            if (music != null) {
                recognised.add(new Span("music", m.start(), m.end(), false));
                recognised.add(music);
                return percent;
            }
        }
        return null;
    }

    private static List<Span> all(String text, Map<String, Pattern> patterns) {
        List<Span> found = new ArrayList<>();
        for (Map.Entry<String, Pattern> p : patterns.entrySet()) {
            Matcher m = p.getValue().matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    found.add(new Span(p.getKey(), m.start(), m.end(), false));
                }
            }
        }
        found.sort(Comparator.comparingInt(Span::start));
        return found;
    }

    private static boolean find(String text, Pattern p, List<Span> recognised) {
        Matcher m = p.matcher(text);
        if (m.find()) {
            recognised.add(new Span("flag", m.start(), m.end(), false));
            return true;
        }
        return false;
    }

    private static boolean negated(String text, Span noun) {
        return NEGATED_TITLE.matcher(text.substring(Math.max(0, noun.start() - 16), noun.start())).find();
    }

    /**
     * The title's words: quoted after a title word ("titled 'Urban Dreams'"), else the one quoted text of a prompt
     * that asks for a title, else the plain words after a title word up to the end of the clause.
     */
    private static String title(String text, Patterns c, List<Span> nouns, List<Span> recognised) {
        Matcher lead = c.titleLead.matcher(text);
        while (lead.find()) {
            Matcher q = QUOTED.matcher(text).region(lead.end(), text.length());
            if (q.find() && text.substring(lead.end(), q.start()).isBlank()) {
                recognised.add(new Span("title", lead.start(), q.end(), false));
                return quoted(q);
            }
        }
        boolean named = nouns.stream().anyMatch(n -> n.concept().equals("title") && !negated(text, n));
        if (named) {
            List<Quote> quotes = QUOTED.matcher(text).results().filter(r -> r.group(9) == null).map(Quote::new).toList();
            if (quotes.size() == 1) {
                recognised.add(new Span("title", quotes.get(0).start, quotes.get(0).end, false));
                return quotes.get(0).text;
            }
        }
        lead.reset();
        while (lead.find()) {
            Matcher plain = c.plainTitle.matcher(text).region(lead.end(), text.length());
            if (plain.lookingAt()) {
                String t = c.titleStop.matcher(plain.group(1)).replaceFirst("").strip();
                // Unquoted words are a title only when they look like one: "titled Urban Dreams", not "title for the intro".
                boolean looksLikeOne = !t.isEmpty() && (!Character.isLetter(t.codePointAt(0))
                        || Character.UnicodeScript.of(t.codePointAt(0)) != Character.UnicodeScript.LATIN || Character.isUpperCase(t.codePointAt(0)));
                if (looksLikeOne && t.codePointCount(0, t.length()) <= 60) {
                    recognised.add(new Span("title", lead.start(), plain.end(), false));
                    return t;
                }
            }
        }
        return null;
    }

    /** A quoted stretch of the prompt (single ASCII quotes excluded: they are apostrophes too often). */
    private record Quote(int start, int end, String text) {
        Quote(java.util.regex.MatchResult r) {
            this(r.start(), r.end(), firstGroup(r));
        }
    }

    private static String quoted(Matcher q) {
        return firstGroup(q.toMatchResult());
    }

    private static String firstGroup(java.util.regex.MatchResult r) {
        for (int g = 1; g <= r.groupCount(); g++) {
            if (r.group(g) != null) {
                return r.group(g).strip();
            }
        }
        return "";
    }

    private static List<String> unread(String text, List<Span> recognised) {
        Set<String> words = new LinkedHashSet<>();
        Matcher w = WORD.matcher(text);
        while (w.find() && words.size() < 12) {
            int s = w.start();
            int e = w.end();
            if (recognised.stream().noneMatch(r -> r.overlaps(s, e))) {
                words.add(w.group());
            }
        }
        return List.copyOf(words);
    }
}
