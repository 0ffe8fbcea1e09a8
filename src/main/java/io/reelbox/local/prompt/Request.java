package io.reelbox.local.prompt;

import java.util.List;

/**
 * What a prompt asks for, concept by concept; null (or false) where it says nothing, so the planner can tell a
 * request from its own default and the reply never claims a request that was not made.
 *
 * @param seconds           the video's length
 * @param shortSide         the resolution as the frame's short side (720 for 720p)
 * @param aspect            "16:9", "9:16" or "1:1"
 * @param transitions       false for straight cuts, true when transitions were asked for, null when not mentioned
 * @param transitionKind    fade, dissolve, wipeleft or slideleft
 * @param zoom              a slow zoom on the photos
 * @param staticPhotos      photos shown still (no zoom, no pan)
 * @param evenTiming        cuts evenly timed, not on the music's beat
 * @param noDucking         the music stays at one level, not lowered under the clips' own sound
 * @param platform          the platform the video is made for (its frame and its limits), or null
 * @param fill              how media that do not fit the frame are shown: blur, black or crop
 * @param stillSeconds      how long each photo shows
 * @param titleWithoutText  a title was asked for without saying its words
 * @param unsupported       things asked for that the embedded backend cannot do
 * @param adjustments       contradictions in the prompt and how they were settled
 * @param language          the language the prompt was read as (English name)
 * @param understood        false when the prompt is in a language the planner does not know
 * @param notUnderstood     the words it could not read, when {@code understood} is false
 */
public record Request(Double seconds, Integer shortSide, String aspect, Boolean transitions, String transitionKind,
                      Double transitionSeconds, Integer musicVolume, boolean noMusic, String title, Double titleSeconds,
                      boolean mute, boolean zoom, boolean staticPhotos, boolean evenTiming, boolean noDucking, Platform platform, String fill,
                      Double stillSeconds, boolean titleWithoutText,
                      List<String> unsupported, List<String> adjustments, String language, boolean understood,
                      List<String> notUnderstood) {

    /** This request with every concept that {@code hints} states replaced by the hint's value: the sidecar wins. */
    Request overriddenBy(Request hints) {
        return new Request(or(hints.seconds, seconds), or(hints.shortSide, shortSide), or(hints.aspect, aspect),
                or(hints.transitions, transitions), or(hints.transitionKind, transitionKind),
                or(hints.transitionSeconds, transitionSeconds), or(hints.musicVolume, musicVolume), noMusic || hints.noMusic,
                or(hints.title, title), or(hints.titleSeconds, titleSeconds), mute || hints.mute, zoom || hints.zoom,
                staticPhotos || hints.staticPhotos,
                evenTiming || hints.evenTiming, noDucking || hints.noDucking, or(hints.platform, platform), or(hints.fill, fill), or(hints.stillSeconds, stillSeconds), titleWithoutText && hints.title == null,
                unsupported, adjustments, language, understood, notUnderstood);
    }

    /** This request asking for a video of {@code s} seconds. */
    public Request withSeconds(double s) {
        return new Request(s, shortSide, aspect, transitions, transitionKind, transitionSeconds, musicVolume, noMusic, title,
                titleSeconds, mute, zoom, staticPhotos, evenTiming, noDucking, platform, fill, stillSeconds, titleWithoutText,
                unsupported, adjustments, language, understood, notUnderstood);
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
