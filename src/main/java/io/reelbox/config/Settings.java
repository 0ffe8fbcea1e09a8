package io.reelbox.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * Typed, live view of the settings. Values are looked up on every call rather than cached, so a tunable edited in
 * {@code routes/reelbox.properties} takes effect on the next job step without restarting anything.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /**
     * The daemon's settings: {@code -Dkey=value}, then the environment ({@code REELBOX_INBOX} for
     * {@code reelbox.inbox}), then the live tunables file, then {@code application.properties}.
     */
    public static Settings of(CamelContext context, Tunables tunables) {
        return new Settings(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(envName(key))))
                .or(() -> tunables.get(key))
                .or(() -> context.getPropertiesComponent().resolveProperty(key)));
    }

    /**
     * Settings without a Camel context (the {@code serve-local} command): -D, then the environment, then
     * {@code ./application.properties}, then the packaged one. {@code {{env:NAME:default}}} values are resolved.
     */
    public static Settings fromFiles() throws java.io.IOException {
        java.util.Properties props = new java.util.Properties();
        try (var in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                props.load(in);
            }
        }
        Path local = Path.of("application.properties");
        if (java.nio.file.Files.exists(local)) {
            try (var in = java.nio.file.Files.newBufferedReader(local)) {
                props.load(in);
            }
        }
        return new Settings(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(envName(key))))
                .or(() -> Optional.ofNullable(props.getProperty(key)).map(Settings::resolveEnv)));
    }

    private static String resolveEnv(String value) {
        var m = java.util.regex.Pattern.compile("\\{\\{env:([A-Za-z0-9_]+):?([^}]*)\\}\\}").matcher(value.trim());
        if (m.matches()) {
            return Optional.ofNullable(System.getenv(m.group(1))).orElse(m.group(2));
        }
        return value;
    }

    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** For tests and tools: a fixed map. */
    public static Settings of(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    public String get(String key) {
        return lookup.apply(key).map(String::trim)
                .orElseThrow(() -> new IllegalStateException("Missing setting '" + key + "' (see application.properties)"));
    }

    public String get(String key, String fallback) {
        return lookup.apply(key).map(String::trim).orElse(fallback);
    }

    public int integer(String key) {
        String raw = get(key);
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting '" + key + "' must be a whole number, got '" + raw + "'");
        }
    }

    public long bytes(String key) {
        return parseBytes(key, get(key));
    }

    public Duration duration(String key) {
        return parseDuration(key, get(key));
    }

    public Path path(String key) {
        return Path.of(get(key)).toAbsolutePath().normalize();
    }

    /** Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}; a bare number is ms. */
    public static Duration parseDuration(String key, String raw) {
        try {
            long ms = TimeUtils.toMilliSeconds(raw.trim());
            if (ms < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Duration.ofMillis(ms);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Setting '" + key + "' must be a duration such as 500ms, 30s or 2m, got '" + raw + "'");
        }
    }

    /** Sizes: {@code 500MB}, {@code 2GB}, {@code 1024}. Decimal units, as the vendor states its 500 MB limit. */
    public static long parseBytes(String key, String raw) {
        String s = raw.trim().toUpperCase();
        long unit = 1;
        for (var u : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), unit);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Setting '" + key + "' must be a size such as 500MB, got '" + raw + "'");
        }
    }
}
