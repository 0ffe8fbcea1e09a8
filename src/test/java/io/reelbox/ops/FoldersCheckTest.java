package io.reelbox.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersCheckTest {

    @TempDir
    Path root;

    @Test
    void upWhileBothFoldersAreThereAndDownNamingTheOneThatIsNot() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path outbox = Files.createDirectories(root.resolve("outbox"));
        FoldersCheck check = new FoldersCheck(inbox, outbox);
        assertEquals(HealthCheck.State.UP, check.call().getState());
        try (var s = Files.list(inbox)) {
            assertEquals(0, s.count(), "asking leaves no file behind (the inbox's watch would wake)");
        }

        Files.delete(outbox);
        HealthCheck.Result down = check.call();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertTrue(down.getMessage().orElse("").contains("The outbox (" + outbox + ") is missing"), down.getMessage().toString());
    }
}
