package io.reelbox.local.prompt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lengths in a prompt: a number (digits, spelled out in any of the languages read, CJK numerals) with a unit,
 * "1:30 min", "a minute and a half", "two minutes and ten seconds"; and, in a language not read, digits with a unit.
 */
final class Lengths {

    private static final Pattern MINUTES_SECONDS = Pattern.compile("(\\d{1,2}):([0-5]\\d)\\s*(?:min\\p{L}*|分钟?)", Pattern.CASE_INSENSITIVE);

    private Lengths() {
    }

    /** A length in the text: where, how many seconds, and whether its number was only an article ("a second"). */
    record Mention(int start, int end, double seconds, boolean article) {
    }

    /**
     * Digits with a unit, in a language the planner does not read: "30 segundos", "20 secondi", "45 seconden",
     * "30 секунд", "30초", "2 minutos". The unit is recognised by the stems most languages share (sec, seg, sek, min)
     * and a few scripts' own; the reply still says the rest was not read.
     */
    static Double anyLanguageLength(String text, List<PromptReader.Span> recognised) {
        Matcher m = ANY_LENGTH.matcher(text);
        if (!m.find()) {
            return null;
        }
        recognised.add(new PromptReader.Span("video", m.start(), m.end(), false));
        double v = Double.parseDouble(m.group(1).replace(',', '.'));
        double seconds = m.group("min") != null ? v * 60 : v;
        return seconds > 0 && seconds <= 3600 ? seconds : null;
    }

    private static final Pattern ANY_LENGTH = Pattern.compile("(?<![\\p{L}\\p{N}])(\\d+(?:[.,]\\d+)?)\\s*-?\\s*(?:(?<min>min\\p{L}*|мин\\p{L}*|dakika\\p{L}*|분)"
            + "|(?<sec>sec\\p{L}*|seg\\p{L}*|sek\\p{L}*|s|сек\\p{L}*|saniye\\p{L}*|초))(?!\\p{L})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    static List<Mention> mentions(String text, Patterns c) {
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

    private static Number number(String raw, Patterns c) {
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
}
