package io.reelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void durationsAndSizes() {
        assertEquals(Duration.ofMillis(500), Settings.parseDuration("k", "500ms"));
        assertEquals(Duration.ofSeconds(30), Settings.parseDuration("k", "30s"));
        assertEquals(Duration.ofMinutes(2), Settings.parseDuration("k", "2m"));
        assertEquals(Duration.ofMinutes(90), Settings.parseDuration("k", "1h30m"));
        assertEquals(500_000_000L, Settings.parseBytes("k", "500MB"));
        assertEquals(2_000_000_000L, Settings.parseBytes("k", "2 GB"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Settings.parseDuration("reelbox.export.poll-interval", "soon"));
        assertTrue(e.getMessage().contains("reelbox.export.poll-interval") && e.getMessage().contains("30s"));
        assertThrows(IllegalStateException.class, () -> Settings.parseBytes("k", "lots"));
    }

    @Test
    void environmentNames() {
        assertEquals("REELBOX_INBOX", Settings.envName("reelbox.inbox"));
        assertEquals("REELBOX_API_BASE_URL", Settings.envName("reelbox.api.base-url"));
    }

    @Test
    void tunablesAcceptValidFilesAndRejectInvalidOnesWhole() throws Exception {
        Path file = dir.resolve("reelbox.properties");
        Tunables t = new Tunables(file);
        assertTrue(t.reload(), "a missing file is no overrides");
        Files.writeString(file, "reelbox.concurrency=3\nreelbox.export.poll-interval=5s\n");
        assertTrue(t.reload());
        assertEquals("3", t.get("reelbox.concurrency").orElseThrow());

        Files.writeString(file, "reelbox.concurrency=4\nreelbox.export.poll-interval=soon\n");
        assertFalse(t.reload());
        assertEquals("3", t.get("reelbox.concurrency").orElseThrow(), "the whole edit is rejected");
        Files.writeString(file, "reelbox.inbox=/elsewhere\n");
        assertFalse(t.reload(), "paths are not live tunables");
        Files.writeString(file, "reelbox.concurrency=0\n");
        assertFalse(t.reload());
    }
}
