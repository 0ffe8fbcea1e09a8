package io.reelbox.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A daemon on temp folders against a WireMock API, started fresh for each test. */
public abstract class DaemonTestBase {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    protected Path root;
    protected NemoStub api;
    protected Daemon daemon;

    /** Extra settings for the daemon of this test class. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @BeforeEach
    void startDaemon() throws Exception {
        api = new NemoStub();
        Map<String, String> props = new HashMap<>(settings());
        props.put("reelbox.api.base-url", api.baseUrl());
        daemon = Daemon.start(root, props);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.close();
        api.close();
    }

    protected void drop(String name, String sidecarYaml) throws IOException {
        Media.mp4(daemon.inbox.resolve(name + ".mp4"));
        Files.writeString(daemon.inbox.resolve(name + ".yaml"), sidecarYaml);
    }

    protected JsonNode awaitReport(String output) throws IOException {
        Path report = daemon.outbox.resolve(output + ".json");
        await().atMost(WAIT).until(() -> Files.exists(report));
        assertTrue(Files.exists(daemon.outbox.resolve(output + ".mp4")));
        // The report is written just before the inputs move to .done/: wait for the job to have left .processing/.
        await().atMost(WAIT).until(() -> idle(daemon.inbox.resolve(".processing")));
        return JSON.readTree(report.toFile());
    }

    public static boolean idle(Path processing) throws IOException {
        if (!Files.isDirectory(processing)) {
            return true;
        }
        try (var s = Files.list(processing)) {
            return s.findAny().isEmpty();
        }
    }

    protected JsonNode awaitFailure(String job) throws IOException {
        Path error = daemon.inbox.resolve(".failed").resolve(job).resolve("error.json");
        await().atMost(WAIT).until(() -> Files.exists(error));
        return JSON.readTree(error.toFile());
    }
}
