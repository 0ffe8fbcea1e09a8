package io.reelbox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.Daemon;

/**
 * The container's first start: an empty /config gets the image's routes (reelbox.routes-seed), which then run and
 * reload like any; a later start keeps the operator's edits.
 */
class RoutesSeedTest {

    @TempDir
    Path root;

    @Test
    void aMissingRoutesFolderIsMadeFromTheSeedOnceAndNeverOverwritten() throws Exception {
        Path config = root.resolve("config/routes");
        Map<String, String> props = Map.of("reelbox.routes-dir", config.toString(), "reelbox.routes-seed", Path.of("routes").toAbsolutePath().toString());
        try (Daemon daemon = Daemon.start(root, props)) {
            assertEquals(list(Path.of("routes")), list(config), "every route, the tunables and the examples, copied");
            assertTrue(daemon.context().getRoutes().size() >= 10, "the seeded routes run");
        }
        Path tunables = config.resolve("reelbox.properties");
        Files.writeString(tunables, "# the operator's edit\n", java.nio.file.StandardOpenOption.APPEND);
        String edited = Files.readString(tunables);
        try (Daemon daemon = Daemon.start(root, props)) {
            assertEquals(edited, Files.readString(tunables), "the folder is the operator's once it exists");
        }
    }

    private static java.util.List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }
}
