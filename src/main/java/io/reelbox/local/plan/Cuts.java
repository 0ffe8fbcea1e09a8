package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.plan.MomentPicker.Choice;
import io.reelbox.local.plan.MomentPicker.Moment;
import io.reelbox.local.prompt.Request;

/**
 * The picture track of a plan: each photo, and each clip as the stretches of it worth keeping. A clip that fits whole
 * is one segment from its start; a shortened one gives one segment per stretch {@link MomentPicker} chose, joined by
 * straight cuts, with the plan's transition only after its last. A segment's {@code in} is where in its clip it
 * starts (ms), {@code d} how long it shows, {@code st} where the video shows it. A photo moves (a slow pan, see
 * {@link io.reelbox.local.render.Pan}) unless a zoom or still photos were asked for.
 */
final class Cuts {

    private final Request request;
    private final List<MediaInfo> visuals;
    private final int[] d;
    private final int tt;
    private final boolean tall;
    private final List<Choice> choices = new ArrayList<>();

    /**
     * @param beats the music's beats as timeline frames, empty when the cuts are not on a beat
     * @param tall  the frame is taller than wide: photos move along its height
     */
    Cuts(Request request, List<MediaInfo> visuals, int[] natural, int[] d, int tt, int[] beats, boolean tall) {
        this.request = request;
        this.tall = tall;
        this.visuals = visuals;
        this.d = d;
        this.tt = tt;
        int start = 0;
        for (int i = 0; i < d.length; i++) {
            MediaInfo m = visuals.get(i);
            if (!m.isStill() && d[i] < natural[i]) {
                int from = start;
                int length = d[i];
                int[] local = Arrays.stream(beats).map(b -> b - from).filter(b -> b > 0 && b < length).toArray();
                choices.add(MomentPicker.pick(m.profile(), natural[i], d[i], local));
            } else {
                choices.add(new Choice(List.of(new Moment(0, d[i])), false, ""));
            }
            start += d[i] - tt;
        }
    }

    void addTo(ArrayNode segments) {
        long start = 0;
        int photos = 0;
        for (int i = 0; i < d.length; i++) {
            MediaInfo m = visuals.get(i);
            List<Moment> moments = choices.get(i).moments();
            long at = start;
            for (int j = 0; j < moments.size(); j++) {
                Moment moment = moments.get(j);
                ObjectNode sg = segments.addObject().put("src", m.id()).put("kind", m.isStill() ? "image" : "video")
                        .put("st", Timeline.ms(at)).put("d", Timeline.ms(moment.length())).put("in", Timeline.ms(moment.in()))
                        .put("w", m.width()).put("h", m.height());
                if (m.rotation() != 0) {
                    sg.put("rot", m.rotation());
                }
                if (j == moments.size() - 1 && i < d.length - 1 && tt > 0) {
                    sg.put("fx", request.transitionKind() != null ? request.transitionKind() : "fade").put("td", Timeline.ms(tt));
                }
                if (m.isStill() && request.zoom()) {
                    sg.put("zoom", true);
                } else if (m.isStill() && !request.staticPhotos()) {
                    // A slow slide, the other way for every other photo; pl: the slide's length when a render splits it.
                    boolean forward = photos++ % 2 == 0;
                    sg.put("pan", tall ? (forward ? "down" : "up") : (forward ? "right" : "left")).put("pl", Timeline.ms(moment.length()));
                }
                if (!m.isStill()) {
                    sg.put("mute", request.mute() || !m.hasAudio());
                }
                at += moment.length();
            }
            start += d[i] - tt;
        }
    }

    /** What the reply says about the shortened clips: the parts kept, or why a clip starts from its beginning. */
    String says() {
        List<String> kept = new ArrayList<>();
        List<String> fromStart = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            Choice c = choices.get(i);
            String name = visuals.get(i).file().getFileName().toString();
            if (c.chosen()) {
                List<String> spans = c.moments().stream().map(m -> clock(m.in()) + "–" + clock(m.end())).toList();
                kept.add(name + " " + String.join(" and ", spans));
            } else if (!c.why().isEmpty()) {
                fromStart.add(String.format(Locale.ROOT, c.why(), name) + ", so it starts from its beginning. ");
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!kept.isEmpty()) {
            sb.append("Kept the liveliest parts: ").append(String.join("; ", kept)).append(". ");
        }
        fromStart.forEach(sb::append);
        return sb.toString();
    }

    /** A clip frame as m:ss, to the nearest second. */
    private static String clock(int frame) {
        int s = Math.round(frame / (float) Timeline.FPS);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
