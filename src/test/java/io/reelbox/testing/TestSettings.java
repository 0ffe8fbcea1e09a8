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

    private TestSettings() {
    }

    public static Settings with(Map<String, String> overrides) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> all = new HashMap<>();
        p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        all.put("reelbox.api.token", "");
        all.put("reelbox.retry.initial-backoff", "5ms");
        all.put("reelbox.retry.max-backoff", "20ms");
        all.put("reelbox.retry.rate-limit-backoff", "10ms");
        all.put("reelbox.api.read-timeout", "2s");
        all.putAll(overrides);
        return Settings.of(all, null);
    }
}
