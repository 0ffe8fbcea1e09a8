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

    private static final String DIGITS = "\\d+(?:[.,]\\d+)?";
    private static final String CJK_NUMBER = "[零〇一二两兩三四五六七八九十百]+|半(?=分钟|分鐘)";
    private static final Pattern CLAUSE_END = Pattern.compile("[,;.!?。，、；！？\\n]");
    private static final Pattern MINUTES_SECONDS = Pattern.compile("(\\d{1,2}):([0-5]\\d)\\s*(?:min\\p{L}*|分钟?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:[.,]\\d+)?)\\s*(?:%|percent|per\\s?cent|por\\s?ciento|prozent|pour\\s?cent|パーセント)"
            + "|百分之(\\d{1,3}|[零一二两三四五六七八九十]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\n]{1,100})\"|“([^”\\n]{1,100})”|„([^“”\\n]{1,100})[“”]|‘([^’\\n]{1,100})’"
            + "|«\\s?([^»\\n]{1,100}?)\\s?»|「([^」\\n]{1,100})」|『([^』\\n]{1,100})』|‹([^›\\n]{1,100})›|'([^'\\n]{1,100})'");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}']+");
    private static final Pattern NEGATED_TITLE = Pattern.compile("(?:\\b(?:no|without|sin|ohne|sans|kein(?:en)?)\\s+(?:a\\s+|un\\s+|une\\s+|einen\\s+)?"
            + "|不要|无|没有)$", Pattern.CASE_INSENSITIVE);
    private static final double MAX_GAP = 2.0;

    private final Lexicon lexicon;
    private final Map<Set<String>, Compiled> compiled = new java.util.concurrent.ConcurrentHashMap<>();

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
    private record Span(String concept, int start, int end, boolean weak) {
        boolean overlaps(int s, int e) {
            return start < e && s < end;
        }
    }

    /**
     * A length in the text, in seconds; bound later to the noun it measures. {@code article} marks "a second" or
     * "d'une seconde": one second only when it measures a transition, a title or a photo, never the video.
     */
    private record Mention(int start, int end, double seconds, boolean article) {
    }

    private Request readPart(String text, Detected detected) {
        Compiled c = compiled.computeIfAbsent(Set.copyOf(detected.codes()), k -> compile(detected.codes()));
        List<Span> recognised = new ArrayList<>();
        List<String> adjustments = new ArrayList<>();

        List<Mention> mentions = mentions(text, c);
        mentions.forEach(m -> recognised.add(new Span("length", m.start(), m.end(), false)));
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
        // Where two nouns overlap, the longer one is meant: "per slide" is a photo, not a slide transition.
        List<Span> shadowed = nouns.stream().filter(a -> nouns.stream().anyMatch(b -> b != a && b.overlaps(a.start(), a.end())
                && b.end() - b.start() > a.end() - a.start())).toList();
        nouns.removeAll(shadowed);

        // Each length goes to the noun it stands next to; a length next to nothing is the video's.
        Map<String, Double> bound = new LinkedHashMap<>();
        List<Mention> loose = new ArrayList<>();
        for (Mention m : mentions) {
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
        for (Mention m : loose) {
            if (!bound.containsKey("video")) {
                bound.put("video", m.seconds());
            } else {
                adjustments.add("I could not tell what \"" + text.substring(m.start(), m.end()).strip() + "\" is for, so I left it out");
            }
        }

        Integer volume = null;
        Matcher pm = PERCENT.matcher(text);
        while (volume == null && pm.find()) {
            Span music = nearest(text, pm.start(), pm.end(), nouns, Set.of("music"), c, true);
            if (music != null) {
                double v = pm.group(1) != null ? Double.parseDouble(pm.group(1).replace(',', '.')) : cjkNumber(pm.group(2));
                volume = (int) Math.round(Math.min(100, v));
                recognised.add(new Span("music", pm.start(), pm.end(), false));
                recognised.add(music);
            }
        }
        if (volume == null) {
            volume = level(text, c.quiet, 20, nouns, c, recognised);
        }
        if (volume == null) {
            volume = level(text, c.loud, 80, nouns, c, recognised);
        }

        String aspect = null;
        List<Span> aspects = all(text, c.aspect);
        recognised.addAll(aspects);
        if (!aspects.isEmpty()) {
            aspect = aspects.get(0).concept();
            for (Span a : aspects) {
                if (!a.concept().equals(aspect)) {
                    adjustments.add("you asked for both " + shape(aspect) + " and " + shape(a.concept()) + "; I used the first, " + shape(aspect));
                    break;
                }
            }
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
        boolean zoom = false;
        boolean staticPhotos = find(text, c.noZoom, recognised);
        if (!staticPhotos) {
            Matcher z = c.zoom.matcher(text);
            while (z.find()) {
                int s = z.start();
                int e = z.end();
                if (fills.stream().noneMatch(f -> f.overlaps(s, e))) {
                    zoom = true;
                    recognised.add(new Span("zoom", s, e, false));
                    break;
                }
            }
        }
        boolean mute = find(text, c.mute, recognised);
        boolean noMusic = find(text, c.noMusic, recognised);
        boolean evenTiming = find(text, c.evenTiming, recognised);

        String title = title(text, c, nouns, recognised);
        boolean titleNamed = nouns.stream().anyMatch(n -> n.concept().equals("title") && !negated(text, n));
        boolean titleWithoutText = title == null && titleNamed && !c.noTitle.matcher(text).find();

        List<String> unsupported = new ArrayList<>();
        for (Map.Entry<String, Pattern> u : c.unsupported.entrySet()) {
            Matcher m = u.getValue().matcher(text);
            if (m.find() && (title == null || !title.toLowerCase(Locale.ROOT).contains(m.group().toLowerCase(Locale.ROOT)))) {
                unsupported.add(u.getKey());
                recognised.add(new Span("unsupported", m.start(), m.end(), false));
            }
        }

        Double videoSeconds = bound.get("video");
        boolean anything = videoSeconds != null || shortSide != null || aspect != null || transitions != null || volume != null
                || noMusic || title != null || mute || zoom || staticPhotos || evenTiming || fill != null || !bound.isEmpty();
        boolean understood = detected.understood() && (anything || !detected.guessed());
        if (videoSeconds == null && (!understood || !anything)) {
            videoSeconds = anyLanguageLength(text, recognised);
            // A length in digits, and nothing else read: the language was mistaken ("un montaggio di 2 minuti" looks
            // Spanish, "en video på 40 sekunder" English), so the reply lists the unread words rather than claiming them.
            understood &= videoSeconds == null;
        }
        List<String> notUnderstood = understood ? List.of() : unread(text, recognised);
        String language = detected.understood() ? (understood ? detected.name() : "a language I do not know") : detected.name();
        return new Request(videoSeconds, shortSide, aspect, transitions, kind, transitionSeconds, volume, noMusic, title,
                bound.get("title"), mute, zoom, staticPhotos, evenTiming, fill, bound.get("still"), titleWithoutText, List.copyOf(unsupported),
                List.copyOf(new LinkedHashSet<>(adjustments)), language, understood, notUnderstood);
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
    private Span nearest(String text, int start, int end, List<Span> nouns, Set<String> concepts, Compiled c, boolean lenient) {
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
    private static double gapScore(String gap, Compiled c, boolean lenient) {
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

    private Integer level(String text, Pattern words, int percent, List<Span> nouns, Compiled c, List<Span> recognised) {
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
    private static String title(String text, Compiled c, List<Span> nouns, List<Span> recognised) {
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

    /**
     * Digits with a unit, in a language the planner does not read: "30 segundos", "20 secondi", "45 seconden",
     * "30 секунд", "30초", "2 minutos". The unit is recognised by the stems most languages share (sec, seg, sek, min)
     * and a few scripts' own; the reply still says the rest was not read.
     */
    private static Double anyLanguageLength(String text, List<Span> recognised) {
        Matcher m = ANY_LENGTH.matcher(text);
        if (!m.find()) {
            return null;
        }
        recognised.add(new Span("video", m.start(), m.end(), false));
        double v = Double.parseDouble(m.group(1).replace(',', '.'));
        double seconds = m.group("min") != null ? v * 60 : v;
        return seconds > 0 && seconds <= 3600 ? seconds : null;
    }

    private static final Pattern ANY_LENGTH = Pattern.compile("(?<![\\p{L}\\p{N}])(\\d+(?:[.,]\\d+)?)\\s*-?\\s*(?:(?<min>min\\p{L}*|мин\\p{L}*|dakika\\p{L}*|분)"
            + "|(?<sec>sec\\p{L}*|seg\\p{L}*|sek\\p{L}*|s|сек\\p{L}*|saniye\\p{L}*|초))(?!\\p{L})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    // ---- lengths ------------------------------------------------------------------------------------------------

    private List<Mention> mentions(String text, Compiled c) {
        List<Mention> found = new ArrayList<>();
        Matcher ms = MINUTES_SECONDS.matcher(text);
        while (ms.find()) {
            found.add(new Mention(ms.start(), ms.end(), Integer.parseInt(ms.group(1)) * 60 + Integer.parseInt(ms.group(2)), false));
        }
        Matcher n = c.number.matcher(text);
        int from = 0;
        while (from < text.length() && n.find(from)) {
            int start = n.start();
            from = n.end();
            if (found.stream().anyMatch(f -> start >= f.start() && start < f.end())) {
                continue;
            }
            Number value = number(n.group(), c);
            if (value == null) {
                continue;
            }
            double v = value.value();
            int p = n.end();
            Matcher half = c.half.matcher(text).region(p, text.length());
            if (half.lookingAt()) {
                v += 0.5;
                p = half.end();
            }
            Matcher unit = c.unit.matcher(text).region(p, text.length());
            if (!unit.lookingAt()) {
                continue;
            }
            p = unit.end();
            boolean minutes = unit.group("min") != null;
            double secondsTotal = minutes ? v * 60 : v;
            if (minutes) {
                Matcher h = c.half.matcher(text).region(p, text.length());
                Matcher more = c.moreSeconds.matcher(text).region(p, text.length());
                if (h.lookingAt()) {
                    secondsTotal += 30;
                    p = h.end();
                } else if (more.lookingAt()) {
                    Number s = number(more.group("n"), c);
                    if (s != null && s.value() < 60) {
                        secondsTotal += s.value();
                        p = more.group("sec") != null ? more.end("sec") : more.end("n");
                    }
                }
            }
            if (secondsTotal > 0 && secondsTotal <= 3600) {
                found.add(new Mention(start, p, secondsTotal, value.article() && !minutes));
            }
            from = p;
        }
        found.sort(Comparator.comparingInt(Mention::start));
        return found;
    }

    private record Number(double value, boolean article) {
    }

    private static Number number(String raw, Compiled c) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        if (Character.isDigit(s.charAt(0))) {
            return new Number(Double.parseDouble(s.replace(',', '.')), false);
        }
        if (s.matches("[零〇一二两兩三四五六七八九十百半]+")) {
            return new Number(cjkNumber(s), false);
        }
        if (c.articles.contains(s)) {
            return new Number(1, true);
        }
        // "ein neunzig", "a hundred": an article before a spelled number is no number of its own ("einundzwanzig" is).
        for (String article : c.articles) {
            if (s.startsWith(article) && s.length() > article.length() && Character.isWhitespace(s.charAt(article.length()))) {
                s = s.substring(article.length()).strip();
                break;
            }
        }
        double sum = 0;
        boolean half = false;
        boolean any = false;
        Matcher w = c.numberWord.matcher(s);
        while (w.find()) {
            Double v = c.numberValues.get(w.group());
            if (v != null) {
                any = true;
                if (v == 0.5) {
                    half = true;
                } else if (v == 100 && sum > 0 && sum < 10) {
                    // "two hundred", "deux cents": a multiple; "hundred and twenty": a sum.
                    sum *= 100;
                } else {
                    sum += v;
                }
            }
        }
        // "eine halbe", "une demi": the article before a half does not add one.
        return any ? new Number(half ? (sum > 1 ? sum : 0) + 0.5 : sum, false) : null;
    }

    /** 三 = 3, 十五 = 15, 二十 = 20, 三十五 = 35, 一百二十 = 120, 两百 = 200, 一百零五 = 105, 半 = 0.5. */
    static double cjkNumber(String s) {
        if (s.equals("半")) {
            return 0.5;
        }
        int hundred = s.indexOf('百');
        if (hundred >= 0) {
            double hundreds = hundred == 0 ? 1 : cjkNumber(s.substring(0, hundred));
            String rest = s.substring(hundred + 1).replace("零", "").replace("〇", "");
            // 百二 is 120, as 一百二十: a lone digit after the hundreds counts tens.
            double tail = rest.isEmpty() ? 0 : rest.length() == 1 && rest.charAt(0) != '十' && !s.contains("零") ? cjkNumber(rest) * 10 : cjkNumber(rest);
            return hundreds * 100 + tail;
        }
        String digits = "零一二三四五六七八九";
        int ten = s.indexOf('十');
        if (ten < 0) {
            double v = 0;
            for (char ch : s.toCharArray()) {
                v = v * 10 + cjkDigit(ch, digits);
            }
            return v;
        }
        double tens = ten == 0 ? 1 : cjkDigit(s.charAt(ten - 1), digits);
        double units = ten == s.length() - 1 ? 0 : cjkDigit(s.charAt(ten + 1), digits);
        return tens * 10 + units;
    }

    private static int cjkDigit(char ch, String digits) {
        return switch (ch) {
            case '〇' -> 0;
            case '两', '兩' -> 2;
            default -> Math.max(0, digits.indexOf(ch));
        };
    }

    // ---- compiled patterns for one set of languages ------------------------------------------------------------

    private static final class Compiled {
        Pattern number;
        Pattern numberWord;
        Map<String, Double> numberValues = new LinkedHashMap<>();
        Set<String> articles = new LinkedHashSet<>();
        Pattern half;
        Pattern unit;
        Pattern moreSeconds;
        Pattern connectors;
        Pattern blockers;
        Map<String, Pattern> nouns = new LinkedHashMap<>();
        Map<String, Pattern> transitionKinds = new LinkedHashMap<>();
        Pattern noTransitions;
        Map<String, Pattern> aspect = new LinkedHashMap<>();
        Map<String, Pattern> resolution = new LinkedHashMap<>();
        Pattern mute;
        Pattern noMusic;
        Pattern zoom;
        Pattern noZoom;
        Pattern evenTiming;
        Map<String, Pattern> fill = new LinkedHashMap<>();
        Pattern quiet;
        Pattern loud;
        Pattern titleLead;
        Pattern plainTitle;
        Pattern titleStop;
        Pattern noTitle;
        Map<String, Pattern> unsupported = new LinkedHashMap<>();
    }

    private Compiled compile(List<String> codes) {
        List<Language> langs = codes.stream().map(lexicon.languages()::get).toList();
        Compiled c = new Compiled();
        int flags = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        String latinBefore = "(?<![\\p{IsLatin}\\p{N}])";
        String latinAfter = "(?![\\p{IsLatin}])";

        List<String> joiners = new ArrayList<>();
        boolean cjk = false;
        for (Language l : langs) {
            l.numbers().forEach((w, v) -> c.numberValues.put(w.toLowerCase(Locale.ROOT), v));
            l.articles().forEach(a -> c.articles.add(a.toLowerCase(Locale.ROOT)));
            if (!l.joiners().isEmpty()) {
                joiners.add(l.joiners());
            }
            cjk |= !l.spaces();
        }
        String words = c.numberValues.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        String articles = c.articles.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        String joiner = joiners.isEmpty() ? "-" : String.join("|", joiners);
        String spelled = words.isEmpty() ? null
                : latinBefore + "(?:(?:" + words + ")(?:(?:" + joiner + ")(?:" + words + "))*" + (articles.isEmpty() ? "" : "|" + articles) + ")" + latinAfter;
        c.numberWord = Pattern.compile(words.isEmpty() ? "(?!)" : words, flags);
        String number = DIGITS + (spelled == null ? "" : "|" + spelled) + (cjk ? "|" + CJK_NUMBER : "");
        c.number = Pattern.compile(number, flags);
        c.half = Pattern.compile("[\\s-]*(?:" + join(langs, Language::half) + ")" + latinAfter, flags);
        c.unit = Pattern.compile("[\\s-]*(?:(?<min>" + join(langs, Language::minutes) + ")|(?<sec>" + join(langs, Language::seconds) + "))" + latinAfter, flags);
        c.moreSeconds = Pattern.compile("[\\s,]*(?:and|y|und|et)?[\\s-]*(?<n>" + number + ")(?:[\\s-]*(?<sec>" + join(langs, Language::seconds) + ")" + latinAfter
                + "|(?<end>\\s*(?:[,;.!?。，、]|$)))", flags);

        List<String> connectorWords = langs.stream().flatMap(l -> l.connectors().stream()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        String latinConnectors = connectorWords.stream().filter(w -> w.codePoints().allMatch(cp -> cp < 0x3000))
                .map(Pattern::quote).collect(Collectors.joining("|"));
        String cjkConnectors = connectorWords.stream().filter(w -> w.codePoints().anyMatch(cp -> cp >= 0x3000))
                .map(Pattern::quote).collect(Collectors.joining("|"));
        c.connectors = Pattern.compile(latinBefore + "(?:" + (latinConnectors.isEmpty() ? "(?!)" : latinConnectors) + ")" + latinAfter
                + (cjkConnectors.isEmpty() ? "" : "|" + cjkConnectors), flags);

        c.blockers = Pattern.compile(langs.stream().flatMap(l -> l.blockers().stream()).distinct()
                .map(b -> b.codePoints().allMatch(cp -> cp < 0x3000) ? latinBefore + Pattern.quote(b) + latinAfter : Pattern.quote(b))
                .collect(Collectors.joining("|")), flags);
        for (String concept : List.of("video", "transition", "title", "still", "music")) {
            c.nouns.put(concept, pattern(langs, l -> l.nouns().get(concept)));
        }
        c.nouns.put("weak-video", pattern(langs, Language::weakVideo));
        for (String kind : List.of("dissolve", "wipeleft", "slideleft", "fade")) {
            c.transitionKinds.put(kind, pattern(langs, l -> l.transitionKinds().get(kind)));
        }
        c.noTransitions = pattern(langs, Language::noTransitions);
        for (String a : List.of("9:16", "16:9", "1:1")) {
            c.aspect.put(a, pattern(langs, l -> l.aspect().get(a)));
        }
        for (String r : List.of("480", "720", "1080", "1440", "2160")) {
            c.resolution.put(r, pattern(langs, l -> l.resolution().get(r)));
        }
        c.mute = pattern(langs, Language::mute);
        c.noMusic = pattern(langs, Language::noMusic);
        c.zoom = pattern(langs, Language::zoom);
        c.noZoom = pattern(langs, Language::noZoom);
        c.evenTiming = pattern(langs, Language::evenTiming);
        for (String f : List.of("crop", "black", "blur")) {
            c.fill.put(f, pattern(langs, l -> l.fill().get(f)));
        }
        c.quiet = pattern(langs, Language::quiet);
        c.loud = pattern(langs, Language::loud);
        c.titleLead = pattern(langs, Language::titleLead);
        c.plainTitle = Pattern.compile("\\s*([^,.;:!?\"“”«»「」『』\\n，。；！？]{1,80})", flags);
        c.titleStop = Pattern.compile("(?:\\s+(?:and|with|y|con|und|mit|et|avec|in|en|for|para|für|pour)\\b.*|[和与并]\\S*|(?:で|と).*)$", flags);
        c.noTitle = Pattern.compile("(?:no|without|sin|ohne|sans|kein(?:en)?)\\s+(?:a\\s+|un\\s+|une\\s+|einen\\s+)?(?:title|t[ií]tulo|titel|titre)"
                + "|(?:不要|无|没有)(?:标题)|タイトル(?:は)?(?:なし|無し|不要)", flags);
        Map<String, String> unsupported = new LinkedHashMap<>();
        for (Language l : langs) {
            l.unsupported().forEach((name, fragment) -> unsupported.merge(name, l.words(fragment), (a, b) -> a + "|" + b));
        }
        unsupported.forEach((name, regex) -> c.unsupported.put(name, Pattern.compile(regex, flags)));
        return c;
    }

    private static String join(List<Language> langs, java.util.function.Function<Language, String> field) {
        return langs.stream().map(field).filter(f -> f != null && !f.isEmpty()).map(f -> "(?:" + f + ")")
                .collect(Collectors.joining("|"));
    }

    private static Pattern pattern(List<Language> langs, java.util.function.Function<Language, String> field) {
        List<String> parts = new ArrayList<>();
        for (Language l : langs) {
            String f = field.apply(l);
            if (f != null && !f.isEmpty()) {
                parts.add(l.words(f));
            }
        }
        return Pattern.compile(parts.isEmpty() ? "(?!)" : String.join("|", parts), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
