package io.reelbox.local.prompt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.reelbox.local.prompt.Lexicon.Language;

/**
 * The lexicon of a set of languages compiled into the patterns the reader matches: numbers (digits, spelled out,
 * CJK), units, the nouns lengths bind to, and each concept's words. Compiled once per set of languages.
 */
final class Patterns {

    static final String DIGITS = "\\d+(?:[.,]\\d+)?";
    static final String CJK_NUMBER = "[零〇一二两兩三四五六七八九十百]+|半(?=分钟|分鐘)";

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
    Pattern noDucking;
    Map<String, Pattern> fill = new LinkedHashMap<>();
    Pattern quiet;
    Pattern loud;
    Pattern titleLead;
    Pattern plainTitle;
    Pattern titleStop;
    Pattern noTitle;
    Map<String, Pattern> unsupported = new LinkedHashMap<>();

    static Patterns compile(Lexicon lexicon, List<String> codes) {
        List<Language> langs = codes.stream().map(lexicon.languages()::get).toList();
        Patterns c = new Patterns();
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
        c.noDucking = pattern(langs, Language::noDucking);
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
