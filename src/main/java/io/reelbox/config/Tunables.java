package io.reelbox.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings that may change while the daemon runs, from {@code routes/reelbox.properties}. A new version of the
 * file replaces the old one only if every value in it is valid; otherwise it is rejected with one log line per
 * problem and the running values stay. Reelbox keys ({@code reelbox.*}) that are not live tunables are refused
 * too, so nobody edits a path there and wonders why nothing changed. Other keys are the parameters of the user's own
 * routes ({@code {{webhook.url}}}), taken as they are.
 */
public final class Tunables {

    private static final Logger LOG = LoggerFactory.getLogger(Tunables.class);

    private static final BiConsumer<String, String> DURATION = Settings::parseDuration;
    private static final BiConsumer<String, String> COUNT = (k, v) -> {
        try {
            if (Integer.parseInt(v.trim()) < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting '" + k + "' must be a whole number of at least 1, got '" + v + "'");
        }
    };
    private static final BiConsumer<String, String> AT_LEAST_0 = (k, v) -> {
        try {
            if (Integer.parseInt(v.trim()) < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting '" + k + "' must be a whole number of at least 0, got '" + v + "'");
        }
    };
    private static final BiConsumer<String, String> SIZE = Settings::parseBytes;
    /** Comma-separated Camel endpoint URIs ({@code direct:notify, file:/mnt/nas/videos}); empty for none. */
    private static final BiConsumer<String, String> URIS = (k, v) -> {
        for (String uri : io.reelbox.events.Listeners.parse(v)) {
            if (!uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.+")) {
                throw new IllegalStateException("Setting '" + k + "' must list Camel endpoint URIs such as direct:notify, got '" + uri + "'");
            }
        }
    };
    private static final BiConsumer<String, String> TEXT = (k, v) -> {
        if (v.isBlank()) {
            throw new IllegalStateException("Setting '" + k + "' must not be empty");
        }
    };

    /** Every live tunable and how to check it. */
    public static final Map<String, BiConsumer<String, String>> KEYS = Map.ofEntries(
            Map.entry("reelbox.concurrency", COUNT),
            Map.entry("reelbox.inbox.stable-for", DURATION),
            Map.entry("reelbox.inbox.media-timeout", DURATION),
            Map.entry("reelbox.export.poll-interval", DURATION),
            Map.entry("reelbox.local.poll-interval", DURATION),
            Map.entry("reelbox.export.timeout", DURATION),
            Map.entry("reelbox.prompt.timeout", DURATION),
            Map.entry("reelbox.prompt.progress-interval", DURATION),
            Map.entry("reelbox.prompt.heartbeat-timeout", DURATION),
            Map.entry("reelbox.prompt.recovery-first-read", DURATION),
            Map.entry("reelbox.prompt.recovery-interval", DURATION),
            Map.entry("reelbox.prompt.state-reads", COUNT),
            Map.entry("reelbox.prompt.max-length", COUNT),
            Map.entry("reelbox.retry.redeliveries", AT_LEAST_0),
            Map.entry("reelbox.retry.token-budget", AT_LEAST_0),
            Map.entry("reelbox.retry.session-budget", AT_LEAST_0),
            Map.entry("reelbox.retry.rate-limit-budget", AT_LEAST_0),
            Map.entry("reelbox.retry.new-sessions", AT_LEAST_0),
            Map.entry("reelbox.retry.initial-backoff", DURATION),
            Map.entry("reelbox.retry.max-backoff", DURATION),
            Map.entry("reelbox.retry.rate-limit-backoff", DURATION),
            Map.entry("reelbox.upload.max-size", SIZE),
            Map.entry("reelbox.default-language", TEXT),
            Map.entry("reelbox.api.skill-source", TEXT),
            Map.entry("reelbox.api.skill-version", TEXT),
            Map.entry("reelbox.api.skill-platform", TEXT),
            Map.entry("reelbox.on-published", URIS),
            Map.entry("reelbox.on-failed", URIS),
            Map.entry("reelbox.events.redeliveries", AT_LEAST_0),
            Map.entry("reelbox.events.backoff", DURATION),
            Map.entry("reelbox.disk.min-free", SIZE),
            Map.entry("reelbox.disk.min-free-percent", AT_LEAST_0));

    private final Path file;
    private volatile Map<String, String> values = Map.of();
    private volatile Set<String> changed = Set.of();

    public Tunables(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The keys whose values the last successful {@link #reload} changed. */
    public Set<String> changed() {
        return changed;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Loads the file (a missing file means no overrides). Returns false, keeping the old values, when invalid. */
    public boolean reload() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("Rejected {}: cannot read it ({}); keeping the previous tunables", file, e.getMessage());
                return false;
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> next = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (!key.startsWith("reelbox.")) {
                // A parameter of the user's own routes ({{webhook.url}}): Reelbox has no rule for it.
                next.put(key, value);
                continue;
            }
            BiConsumer<String, String> check = KEYS.get(key);
            if (check == null) {
                problems.add("'" + key + "' is not a live tunable (live: " + new TreeMap<>(KEYS).keySet() + ")");
                continue;
            }
            try {
                check.accept(key, value);
                next.put(key, value);
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(msg -> LOG.error("Rejected {}: {}; keeping the previous tunables", file, msg));
            return false;
        }
        Map<String, String> old = values;
        values = Map.copyOf(next);
        Set<String> keys = new TreeSet<>();
        new TreeMap<>(next).forEach((k, v) -> {
            if (!v.equals(old.get(k))) {
                LOG.info("Tunable {} = {}", k, v);
                keys.add(k);
            }
        });
        old.keySet().stream().filter(k -> !next.containsKey(k)).forEach(k -> {
            LOG.info("Tunable {} back to its default", k);
            keys.add(k);
        });
        changed = Set.copyOf(keys);
        return true;
    }
}
