package io.reelbox.local.plan;

import java.util.List;
import java.util.Locale;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.prompt.Request;

/**
 * How long each photo and clip shows, in frames, and how long the transitions between them last: the asked length
 * shared out (photos the time the clips leave, clips shortened in proportion, none under the shortest a plan shows),
 * transitions shortened or dropped where they do not fit. What it had to change or could not do goes to the reply.
 *
 * @param d           each item's frames, transitions included
 * @param natural     each clip's usable frames (0 for photos)
 * @param tt          the transitions' frames (0: straight cuts)
 * @param minSeg      the fewest frames an item shows
 * @param cutsBecause why there are straight cuts where none were asked for (empty: nothing to say)
 * @param total       the video's frames
 */
record Durations(int[] d, int[] natural, int tt, int minSeg, String cutsBecause, int total) {

    private static final int FPS = Timeline.FPS;
    private static final double DEFAULT_STILL = 4.0;
    private static final double DEFAULT_TRANSITION = 1.0;
    /** Shorter transitions than this look like a glitch; below it the plan cuts instead. */
    private static final int MIN_TRANSITION_FRAMES = 6;

    static Durations of(Request r, List<MediaInfo> visuals, List<String> notDone, List<String> changed) {
        int n = visuals.size();
        Integer target = r.seconds() == null ? null : (int) Math.round(r.seconds() * FPS);
        int[] natural = new int[n];
        for (int i = 0; i < n; i++) {
            MediaInfo m = visuals.get(i);
            // One frame short of the end: the last frame of a stream is often not decodable at the exact end.
            natural[i] = m.isStill() ? 0 : Math.max(1, (int) Math.floor(m.duration() * FPS) - 1);
        }
        StringBuilder cutsBecause = new StringBuilder();
        int tt = transition(r, visuals, natural, target, changed, cutsBecause);
        int minSeg = Math.max(2 * tt, FPS);
        int stillEach = (int) Math.round((r.stillSeconds() != null ? r.stillSeconds() : DEFAULT_STILL) * FPS);
        int[] d = share(r, visuals, natural, target, tt, minSeg, stillEach, notDone);
        int totalFrames = (int) (sum(d) - (long) (n - 1) * tt);
        long stills = visuals.stream().filter(MediaInfo::isStill).count();
        if (target != null && r.stillSeconds() != null && stills > 0) {
            int shown = firstStill(d, visuals);
            if (Math.abs(shown - stillEach) > FPS / 2) {
                changed.add(String.format(Locale.ROOT, "%s per photo and a %s video do not fit %d photos together; I kept the length, "
                        + "so each photo shows %.1f s", secs(stillEach), secs(target), stills, shown / (double) FPS));
            }
        }
        return new Durations(d, natural, tt, minSeg, cutsBecause.toString(), totalFrames);
    }

    /**
     * The transitions' frames: as asked (or the default), shortened to fit the shortest clip and the video, dropped
     * when too short to look like one. Says why in {@code changed} when asked for, else in {@code cutsBecause}.
     */
    private static int transition(Request r, List<MediaInfo> visuals, int[] natural, Integer target, List<String> changed,
                                  StringBuilder cutsBecause) {
        int n = visuals.size();
        int asked = (int) Math.round((r.transitionSeconds() != null ? r.transitionSeconds() : DEFAULT_TRANSITION) * FPS);
        int tt = n > 1 && !Boolean.FALSE.equals(r.transitions()) ? asked : 0;
        int shortestClip = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            shortestClip = visuals.get(i).isStill() ? shortestClip : Math.min(shortestClip, natural[i]);
        }
        String tooShort = null;
        if (tt > 0 && shortestClip < Integer.MAX_VALUE && tt > shortestClip / 2) {
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
        if (tooShort != null) {
            String outcome = tt > 0 ? String.format(Locale.ROOT, "they last %.1f s", tt / (double) FPS) : "I used straight cuts";
            if (r.transitionSeconds() != null || Boolean.TRUE.equals(r.transitions())) {
                changed.add((r.transitionSeconds() != null ? secs(asked) + " transitions" : "transitions") + " do not fit " + tooShort
                        + ", so " + outcome);
            } else if (tt == 0) {
                cutsBecause.append(" (").append(tooShort).append(" is too short for transitions)");
            }
        }
        return tt;
    }

    /** Each item's frames: photos share what the clips leave, or clips are shortened to leave photos their time. */
    private static int[] share(Request r, List<MediaInfo> visuals, int[] natural, Integer target, int tt, int minSeg, int stillEach,
                               List<String> notDone) {
        int n = visuals.size();
        int stills = (int) visuals.stream().filter(MediaInfo::isStill).count();
        int clips = n - stills;
        long clipFrames = sum(natural);
        int planned = target != null ? target
                : (int) (clipFrames + (long) stills * Math.max(stillEach, minSeg) - (long) (n - 1) * tt);
        long budget = (long) planned + (long) (n - 1) * tt;
        int[] d = new int[n];
        if (stills > 0 && budget - clipFrames >= (long) stills * minSeg) {
            spreadOverStills(d, visuals, budget - clipFrames, stills);
            for (int i = 0; i < n; i++) {
                d[i] = visuals.get(i).isStill() ? d[i] : natural[i];
            }
            return d;
        }
        int stillFrames = stills == 0 ? 0 : Math.max(minSeg, r.stillSeconds() != null ? stillEach : 2 * FPS);
        long clipBudget = budget - (long) stills * stillFrames;
        long clipMinimum = 0;
        for (int i = 0; i < n; i++) {
            clipMinimum += visuals.get(i).isStill() ? 0 : Math.min(natural[i], minSeg);
        }
        boolean shorten = clips > 0 && clipBudget < clipFrames && clipBudget >= clipMinimum;
        if (shorten) {
            shareAmongClips(d, visuals, natural, clipBudget, minSeg);
        }
        boolean whole = clips > 0 && clipBudget >= clipFrames;
        for (int i = 0; i < n; i++) {
            d[i] = visuals.get(i).isStill() ? stillFrames : shorten ? d[i] : whole ? natural[i] : Math.min(natural[i], minSeg);
        }
        if (!shorten && target != null) {
            long total = sum(d) - (long) (n - 1) * tt;
            notDone.add(whole ? String.format(Locale.ROOT, "the %s you asked for: your clips are shorter and I do not slow them down, "
                    + "so the video runs %.1f s", secs(target), total / (double) FPS)
                    : String.format(Locale.ROOT, "the %s you asked for: it is too short to show %d items, so the video runs %.1f s",
                    secs(target), n, total / (double) FPS));
        }
        return d;
    }

    static int firstStill(int[] d, List<MediaInfo> visuals) {
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

    static String secs(int frames) {
        double s = frames / (double) FPS;
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }
}
