package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reelbox.local.MediaInfo;

/**
 * A follow-up's changes to the media's order, read from its words in the planner's six languages: drop one item
 * ("drop the second photo"), swap two ("swap the second and third photo"), put one first or last ("put the clip
 * first"), and remove the title. Items are counted among their kind (photo or clip), "last" included.
 */
final class Reorder {

    enum Kind { PHOTO, CLIP }

    /** One change: {@code op} on the {@code a}-th (and {@code b}-th) item of {@code kind}; -1 is the last. */
    record Op(String op, Kind kind, int a, int b, String words) {
    }

    private static final String ORD = "(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last"
            + "|primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|[úu]ltim[oa]"
            + "|erste[nrs]?|zweite[nrs]?|dritte[nrs]?|vierte[nrs]?|fünfte[nrs]?|sechste[nrs]?|letzte[nrs]?"
            + "|premi[eè]re?|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|cinqui[eè]me|sixi[eè]me|derni[eè]re?"
            + "|第[一二三四五六1-6]|最后一|最後の|最初の|[1-6]枚目の?|[1-6]番目の|[1-6]本目の)";
    private static final String PHOTO = "photos?|pictures?|images?|pics?|slides?|fotos?|imagen|bild(?:er)?|照片|图片|图|写真|画像";
    private static final String CLIP = "clips?|videos?|vídeos?|vidéos?|séquences?|视频|片段|動画|クリップ|ビデオ";
    private static final String KIND = "(" + PHOTO + "|" + CLIP + ")";
    private static final String UNIT = "(?:\\s*(?:张|个|段))?\\s*";
    private static final String ART = "(?:the\\s+|la\\s+|el\\s+|le\\s+|l'|das\\s+|den\\s+|die\\s+|dem\\s+)?";

    private static final Pattern DROP = Pattern.compile("(?:drop|remove|delete|cut|take\\s+out|lose|without|get\\s+rid\\s+of"
            + "|quita|elimina|borra|saca|sin|entferne|lösche|streiche|ohne|enl[eè]ve|supprime|retire|sans|去掉|删除|删掉|不要)\\s*"
            + ART + ORD + "\\s*" + UNIT + KIND
            + "|" + ORD + UNIT + KIND + "\\s*(?:を|は)?\\s*(?:消して|削除して|外して|要らない|いらない)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern SWAP = Pattern.compile("(?:swap|switch|exchange|intercambia|cambia|tausche|vertausche|[ée]change|inverse|交换|调换)\\s*"
            + ART + ORD + "\\s*(?:and|y|und|et|和|与)\\s*" + ART + ORD + "\\s*" + UNIT + KIND
            + "|" + ORD + "と" + ORD + UNIT + KIND + "\\s*を?\\s*入れ替え", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern FIRST = Pattern.compile("(?:put|move|place|pon|mueve|coloca|setze|stelle|verschiebe|nimm|mets|place|déplace|把)\\s*"
            + ART + "(?:" + ORD + "\\s*)?" + UNIT + KIND + "\\s*(first|at\\s+the\\s+(?:start|beginning)|to\\s+the\\s+(?:front|start)|last|at\\s+the\\s+end|to\\s+the\\s+end"
            + "|primer[oa]|al\\s+principio|al\\s+inicio|al\\s+final|zuerst|an\\s+den\\s+anfang|nach\\s+vorne|ans\\s+ende|zuletzt"
            + "|en\\s+premier|au\\s+d[ée]but|en\\s+dernier|à\\s+la\\s+fin|放在最前面|放在开头|放在最后|放到最前面|放到最后)"
            + "|(?:start|begin|open)\\s+with\\s+" + ART + "(?:" + ORD + "\\s*)?" + KIND
            + "|(?:empieza|comienza)\\s+con\\s+" + ART + "(?:" + ORD + "\\s*)?" + KIND
            + "|(?:beginne|fange?)\\s+mit\\s+" + ART + "(?:" + ORD + "\\s*)?" + KIND
            + "|commence\\s+par\\s+" + ART + "(?:" + ORD + "\\s*)?" + KIND
            + "|(?:" + ORD + ")?" + UNIT + KIND + "\\s*を\\s*(最初|先頭|最後)に", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    static final Pattern NO_TITLE = Pattern.compile("(?:no|without|remove|drop|delete|lose)\\s+(?:the\\s+|a\\s+)?title"
            + "|sin\\s+t[ií]tulo|quita\\s+el\\s+t[ií]tulo|elimina\\s+el\\s+t[ií]tulo|ohne\\s+titel|titel\\s+(?:entfernen|weg)|entferne\\s+den\\s+titel"
            + "|sans\\s+titre|enl[eè]ve\\s+le\\s+titre|supprime\\s+le\\s+titre|不要标题|去掉标题|删除标题|タイトルなし|タイトルを(?:消して|削除)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private Reorder() {
    }

    static List<Op> read(String prompt) {
        List<Op> ops = new ArrayList<>();
        Matcher m = DROP.matcher(prompt);
        while (m.find()) {
            boolean western = m.group(1) != null;
            ops.add(new Op("drop", kind(western ? m.group(2) : m.group(4)), ordinal(western ? m.group(1) : m.group(3)), 0, m.group()));
        }
        m = SWAP.matcher(prompt);
        while (m.find()) {
            boolean western = m.group(1) != null;
            ops.add(new Op("swap", kind(western ? m.group(3) : m.group(6)), ordinal(western ? m.group(1) : m.group(4)),
                    ordinal(western ? m.group(2) : m.group(5)), m.group()));
        }
        m = FIRST.matcher(prompt);
        while (m.find()) {
            String ord = null;
            String kind = null;
            String where = null;
            for (int g = 1; g <= m.groupCount(); g++) {
                String v = m.group(g);
                if (v == null) {
                    continue;
                }
                if (v.matches("(?iu)" + KIND)) {
                    kind = v;
                } else if (v.matches("(?iu)" + ORD) && kind == null) {
                    ord = v;
                } else {
                    where = v;
                }
            }
            boolean last = where != null && where.toLowerCase(Locale.ROOT).matches("(?u).*(last|end|final|ende|zuletzt|dernier|fin|最后|最後).*");
            ops.add(new Op(last ? "last" : "first", kind(kind), ord == null ? 1 : ordinal(ord), 0, m.group()));
        }
        return ops;
    }

    /**
     * Applies {@code ops} to {@code order} (the visuals in their planned order); returns the new order, and adds to
     * {@code notDone} the ops that name an item that is not there.
     */
    static List<MediaInfo> apply(List<Op> ops, List<MediaInfo> order, List<String> notDone) {
        List<MediaInfo> out = new ArrayList<>(order);
        for (Op op : ops) {
            MediaInfo a = nth(out, op.kind(), op.a());
            MediaInfo b = op.op().equals("swap") ? nth(out, op.kind(), op.b()) : null;
            if (a == null || (op.op().equals("swap") && b == null)) {
                notDone.add("\"" + op.words().strip() + "\": there is no such " + (op.kind() == Kind.PHOTO ? "photo" : "clip"));
                continue;
            }
            switch (op.op()) {
                case "drop" -> {
                    if (out.size() == 1) {
                        notDone.add("\"" + op.words().strip() + "\": it is the only picture left");
                        continue;
                    }
                    out.remove(a);
                }
                case "swap" -> {
                    int i = out.indexOf(a);
                    int j = out.indexOf(b);
                    out.set(i, b);
                    out.set(j, a);
                }
                case "first" -> {
                    out.remove(a);
                    out.add(0, a);
                }
                default -> {
                    out.remove(a);
                    out.add(a);
                }
            }
        }
        return out;
    }

    private static MediaInfo nth(List<MediaInfo> order, Kind kind, int n) {
        List<MediaInfo> ofKind = order.stream().filter(m -> m.isStill() == (kind == Kind.PHOTO)).toList();
        int i = n < 0 ? ofKind.size() - 1 : n - 1;
        return i >= 0 && i < ofKind.size() ? ofKind.get(i) : null;
    }

    private static Kind kind(String word) {
        return word != null && word.matches("(?iu)" + CLIP) ? Kind.CLIP : Kind.PHOTO;
    }

    static int ordinal(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.matches("(?u).*(last|[úu]ltim|letzt|derni|最后|最後).*")) {
            return -1;
        }
        if (w.matches("(?u).*(first|1st|primer|erste|premi|第一|最初|1枚|1番|1本).*")) {
            return 1;
        }
        if (w.matches("(?u).*(second|2nd|segund|zweit|deuxi|第二|第2|2枚|2番|2本).*")) {
            return 2;
        }
        if (w.matches("(?u).*(third|3rd|tercer|dritt|troisi|第三|第3|3枚|3番|3本).*")) {
            return 3;
        }
        if (w.matches("(?u).*(fourth|4th|cuart|viert|quatri|第四|第4|4枚|4番|4本).*")) {
            return 4;
        }
        if (w.matches("(?u).*(fifth|5th|quint|fünft|cinqui|第五|第5|5枚|5番|5本).*")) {
            return 5;
        }
        return 6;
    }
}
