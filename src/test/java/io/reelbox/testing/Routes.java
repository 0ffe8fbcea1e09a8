package io.reelbox.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.reelbox.config.Settings;

/** What a user does to a running daemon's routes/ folder: edits reelbox.properties, drops in a route file. */
public final class Routes {

    private Routes() {
    }

    /** Writes {@code routes/reelbox.properties} and waits until the daemon has applied it. */
    public static void configure(Daemon daemon, Map<String, String> values) throws IOException {
        String text = values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(daemon.routesDir.resolve("reelbox.properties"), text);
        Settings settings = daemon.context().getRegistry().lookupByNameAndType("settings", Settings.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> values.entrySet().stream()
                .allMatch(e -> e.getValue().equals(settings.get(e.getKey(), null))));
    }

    /** Copies a shipped example route file into the daemon's routes/ folder and waits until its route runs. */
    public static void install(Daemon daemon, String example, String routeId) throws IOException {
        add(daemon, example, Files.readString(Path.of("routes", "examples", example)), routeId);
    }

    /** Writes a route file of the test's own into the daemon's routes/ folder and waits until its route runs. */
    public static void add(Daemon daemon, String fileName, String yaml, String routeId) throws IOException {
        Path staging = daemon.root.resolve("." + fileName);
        Files.writeString(staging, yaml);
        Files.move(staging, daemon.routesDir.resolve(fileName));
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.context().getRoute(routeId) != null);
    }
}
