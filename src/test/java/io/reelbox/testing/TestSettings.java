package io.reelbox.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.reelbox.config.Settings;

/** The shipped application.properties with fast timings, for tests that use beans without the daemon. */
public final class TestSettings {

    /** Timings shortened so that retries, polling and recovery take milliseconds in tests. */
    public static final Map<String, String> FAST = Map.ofEntries(
            Map.entry("reelbox.api.token", ""),
            Map.entry("reelbox.inbox.scan-interval", "100"),
            Map.entry("reelbox.inbox.stable-for", "200ms"),
            Map.entry("reelbox.export.poll-interval", "50ms"),
            Map.entry("reelbox.local.poll-interval", "100ms"),
            Map.entry("reelbox.retry.initial-backoff", "10ms"),
            Map.entry("reelbox.retry.max-backoff", "50ms"),
            Map.entry("reelbox.retry.rate-limit-backoff", "20ms"),
            Map.entry("reelbox.prompt.recovery-first-read", "50ms"),
            Map.entry("reelbox.prompt.recovery-interval", "50ms"),
            Map.entry("reelbox.credits.check-interval", "200ms"),
            Map.entry("reelbox.disk.check-interval", "200ms"),
            // Tests must not wait on a nearly full build disk; the disk tests set their own floor.
            Map.entry("reelbox.disk.min-free", "1MB"),
            // Tests run daemons side by side: each one's operations server on a free port.
            Map.entry("reelbox.http.port", "0"),
            // Fault tests renew tokens dozens of times a minute on purpose; TokenStoreTest checks the bound itself.
            Map.entry("reelbox.api.token-burst", "1000"));

    private TestSettings() {
    }

    /**
     * Everything a daemon under test needs to live in {@code root}: inbox, outbox, work dir, and a copy of this
     * repository's routes (kept when already there, so a restarted daemon finds the edits a test made), plus
     * {@link #FAST} and the test's own {@code props} on top.
     */
    public static Map<String, String> daemonIn(Path root, Map<String, String> props) throws IOException {
        Path routes = root.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                if (!Files.exists(routes.resolve(f.getFileName()))) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        }
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("reelbox.inbox", root.resolve("inbox").toString());
        all.put("reelbox.outbox", root.resolve("outbox").toString());
        all.put("reelbox.work-dir", root.resolve("work").toString());
        all.put("reelbox.routes-dir", routes.toString());
        all.put("reelbox.api.base-url", "embedded");
        all.putAll(FAST);
        all.putAll(props);
        return all;
    }

    public static Settings with(Map<String, String> overrides) {
        return Settings.of(map(overrides));
    }

    /** application.properties, {@link #FAST} and {@code overrides}, as a map of values. */
    public static Map<String, String> map(Map<String, String> overrides) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> all = new HashMap<>();
        p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        all.putAll(FAST);
        all.put("reelbox.api.read-timeout", "2s");
        all.putAll(overrides);
        return all;
    }
}
