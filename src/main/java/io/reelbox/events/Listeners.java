package io.reelbox.events;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.Header;

import io.reelbox.config.Settings;
import io.reelbox.job.Event;

/**
 * Who hears about a job: the Camel URIs in {@code reelbox.on-published} or {@code reelbox.on-failed}, read at each
 * event, so an edit of {@code routes/reelbox.properties} applies to the next one.
 */
public final class Listeners {

    private final Settings settings;

    public Listeners(Settings settings) {
        this.settings = settings;
    }

    /** The listeners of an event kind ({@link Event#PUBLISHED} or {@link Event#FAILED}). */
    public List<String> of(@Header("ReelboxEvent") String kind) {
        return parse(settings.get(Event.FAILED.equals(kind) ? "reelbox.on-failed" : "reelbox.on-published", ""));
    }

    /** A comma-separated list of Camel URIs; blanks are dropped. */
    public static List<String> parse(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
