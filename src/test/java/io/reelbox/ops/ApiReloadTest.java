package io.reelbox.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.OpsClient;

/** routes/api.yaml reloads like the other routes: an edited REST path answers without a restart. */
class ApiReloadTest {

    @TempDir
    Path root;

    @Test
    void anEditedApiPathAnswersWithoutARestart() throws Exception {
        try (Daemon d = Daemon.start(root, Map.of())) {
            OpsClient ops = OpsClient.of(d);
            assertEquals(200, ops.get("/api/jobs").statusCode());
            Path api = d.routesDir.resolve("api.yaml");
            Files.writeString(api, Files.readString(api).replace("      - id: reelbox-api-list\n        path: /jobs ",
                    "      - id: reelbox-api-list\n        path: /queue"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ops.get("/api/queue").statusCode() == 200);
            assertEquals(405, ops.get("/api/jobs").statusCode(), "only the POST of /api/jobs is left");
        }
    }
}
