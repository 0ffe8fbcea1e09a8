package io.reelbox.config;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;

/**
 * The live tunables file as a source of Camel properties, ahead of {@code application.properties} (but behind -D
 * and the environment, as everywhere): {@code {{…}}} placeholders in the routes see its values when the routes are
 * loaded, and {@code ${properties:…}} expressions see them at every use.
 */
public final class TunablesSource implements PropertiesSource, Ordered {

    /** How often the job route polls a render, in milliseconds: derived from the backend's own setting. */
    public static final String RENDER_POLL_MILLIS = "reelbox.render.poll-millis";

    private final Tunables tunables;
    private final Supplier<Duration> renderPoll;

    /**
     * {@code renderPoll}: the live poll interval of the backend in use ({@code reelbox.export.poll-interval} for the
     * cloud, {@code reelbox.local.poll-interval} for the embedded backend).
     */
    public TunablesSource(Tunables tunables, Supplier<Duration> renderPoll) {
        this.tunables = tunables;
        this.renderPoll = renderPoll;
    }

    @Override
    public String getName() {
        return "tunables:" + tunables.file();
    }

    @Override
    public String getProperty(String name) {
        if (name.equals(RENDER_POLL_MILLIS)) {
            return String.valueOf(renderPoll.get().toMillis());
        }
        return tunables.get(name).orElse(null);
    }

    @Override
    public int getOrder() {
        // Location sources (application.properties) start at 100: lower comes first.
        return 50;
    }
}
