package io.reelbox.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reelbox.testing.DaemonTestBase;

/** reelbox.http.enabled=false: no server, no job API routes, and jobs run exactly as before. */
class ServerDisabledTest extends DaemonTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("reelbox.http.enabled", "false");
    }

    @Test
    void jobsRunWithoutTheServer() throws Exception {
        api.happyPath();
        drop("quiet", "prompt: make a video\n");
        assertEquals("completed", awaitReport("quiet").get("status").asText());
        assertFalse(Files.exists(daemon.workDir.resolve("http.json")));
        assertNull(daemon.context().getRoute("reelbox-api-list-jobs"));
        assertNull(daemon.context().hasService(org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer.class));
    }
}
