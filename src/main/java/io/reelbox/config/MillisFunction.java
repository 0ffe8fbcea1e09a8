package io.reelbox.config;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{millis:reelbox.retry.initial-backoff}}}: a duration setting ({@code 1s}, {@code 500ms}) in milliseconds,
 * for route options that take a plain number (redelivery delays). {@code {{millis:reelbox.cluster.lease/3}}}: a
 * fraction of it. Invalid values fail when the routes load.
 */
public final class MillisFunction implements PropertiesFunction {

    private final Settings settings;

    public MillisFunction(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String key) {
        String[] parts = key.strip().split("/", 2);
        long millis = settings.duration(parts[0].strip()).toMillis();
        return String.valueOf(parts.length == 1 ? millis : millis / Long.parseLong(parts[1].strip()));
    }
}
