package io.reelbox.local.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.prompt.Request;

/** The agent's words: what the plan is, then what it could not do and what it changed. */
record Reply(Request r, Planner.Frame frame, String fill, List<MediaInfo> visuals, MediaInfo music, int volume, int[] d, int tt,
             String cutsBecause, int total, double titleSeconds, String beat) {

    private static final int FPS = Timeline.FPS;
    private static final double MUSIC_FADE = Planner.MUSIC_FADE;

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
            sb.append(String.format(Locale.ROOT, "Each photo shows for about %.1f s%s. ", Durations.firstStill(d, visuals) / (double) FPS,
                    r.zoom() ? " with a slow zoom" : r.staticPhotos() ? ", still, as asked"
                            : " and pans slowly (say \"static photos\" to keep them still)"));
        }
        sb.append(beat);
        if (clips > 0) {
            sb.append(clips == 1 ? (r.mute() ? "The clip's own sound is muted. " : "The clip keeps its own sound. ")
                    : (r.mute() ? "The clips' own sound is muted. " : "The clips keep their own sound. "));
        }
        if (music != null) {
            sb.append(String.format(Locale.ROOT, "%s plays underneath at %d%%%s%s and fades out over the last %.0f s. ",
                    music.file().getFileName(), volume, music.duration() * FPS < total ? ", looped" : "",
                    Planner.ducks(r, visuals) ? ", lowered while a clip's own sound plays (say \"no ducking\" to keep it level)"
                            : r.noDucking() ? ", at one level as asked" : "",
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

    private static String count(long n, String noun) {
        return n == 0 ? "" : n + " " + noun + (n == 1 ? "" : "s");
    }
}
