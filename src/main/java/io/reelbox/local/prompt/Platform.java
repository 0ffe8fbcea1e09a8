package io.reelbox.local.prompt;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A platform a video is made for, named in the prompt ("for TikTok") or by the sidecar's {@code platform:} hint: the
 * frame it wants and the lengths it takes, from the platforms' published upload specs (Meta's and TikTok's content
 * APIs, YouTube's help pages) as of 2026. The names are brands, the same in every language, so they are read apart from
 * the lexicon.
 */
public enum Platform {
    SHORTS("YouTube Shorts", "9:16", 1, 180, "youtube\\s*shorts?|yt\\s*shorts?|shorts?\\s+(?:for|on)\\s+youtube|shorts"),
    REELS("Instagram Reels", "9:16", 3, 900, "(?:instagram|insta|ig|facebook|fb)\\s+reels?|(?:for|on|as)\\s+(?:a\\s+)?reels?|reels"),
    TIKTOK("TikTok", "9:16", 3, 600, "tik\\s*tok"),
    STORIES("Stories", "9:16", 3, 60, "(?:instagram|insta|ig|facebook|fb|snapchat|whatsapp)\\s+stor(?:y|ies|ys)|(?:for|on|as)\\s+(?:my\\s+|a\\s+)?stor(?:y|ies)"),
    YOUTUBE("YouTube", "16:9", 1, 12 * 3600, "you\\s*tube|yt");

    private final String label;
    private final String aspect;
    private final int minSeconds;
    private final int maxSeconds;
    private final Pattern words;

    Platform(String label, String aspect, int minSeconds, int maxSeconds, String words) {
        this.label = label;
        this.aspect = aspect;
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
        this.words = Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + words + ")(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public String label() {
        return label;
    }

    public String aspect() {
        return aspect;
    }

    public int minSeconds() {
        return minSeconds;
    }

    public int maxSeconds() {
        return maxSeconds;
    }

    /** Where a platform is named, and which: the first in this order (Shorts before YouTube), or none. */
    record Found(Platform platform, int start, int end) {
    }

    static Optional<Found> in(String text) {
        for (Platform p : values()) {
            Matcher m = p.words.matcher(text);
            if (m.find()) {
                return Optional.of(new Found(p, m.start(), m.end()));
            }
        }
        return Optional.empty();
    }

    /** Whether a video of {@code seconds} is within what the platform takes. */
    public boolean takes(double seconds) {
        return seconds >= minSeconds && seconds <= maxSeconds;
    }
}
