package io.reelbox.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The systemd side: the unit passes {@code systemd-analyze verify}, its stop timeout covers the graceful stop, and
 * the notifier really talks to a notify socket (a Unix datagram socket held by a small Python listener, as systemd
 * holds one): READY, watchdog pings only while alive, STOPPING. The Grafana dashboard is valid JSON on our metrics.
 */
class ServicePackagingTest {

    private static final Path UNIT = Path.of("packaging", "reelbox.service");

    @TempDir
    Path dir;

    @Test
    void theUnitVerifiesAndWaitsForTheGracefulStop() throws Exception {
        String unit = Files.readString(UNIT);
        for (String line : List.of("Type=notify", "NotifyAccess=all", "NoNewPrivileges=true", "ProtectSystem=strict",
                "PrivateTmp=true", "ReadWritePaths=")) {
            assertTrue(unit.contains("\n" + line), line);
        }
        int stop = Integer.parseInt(unit.replaceFirst("(?s).*\nTimeoutStopSec=(\\d+).*", "$1"));
        int graceful = Integer.parseInt(Files.readString(Path.of("application.properties"))
                .replaceFirst("(?s).*\ncamel.main.shutdown-timeout = (\\d+).*", "$1"));
        assertTrue(stop > graceful && stop <= graceful + 30, "TimeoutStopSec " + stop + " covers the " + graceful + " s stop");

        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "Skipped: systemd-analyze is not installed here");
        Path copy = dir.resolve("reelbox.service");
        Files.copy(UNIT, copy);
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), said);
        assertTrue(said.isBlank(), said);
    }

    @Test
    void theNotifierSpeaksToARealNotifySocket() throws Exception {
        Path notify = Path.of("/usr/bin/systemd-notify");
        Assumptions.assumeTrue(Files.isExecutable(notify), "Skipped: systemd-notify is not installed here");
        Assumptions.assumeTrue(python(), "Skipped: python3 (the test's notify-socket listener) is not installed here");
        Path socket = dir.resolve("notify.sock");
        Path heard = dir.resolve("heard.txt");
        Process listener = new ProcessBuilder("python3", "-c", String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1])",
                "with open(sys.argv[2], 'a') as out:",
                "    while True:",
                "        out.write(s.recv(4096).decode().replace('\\n', ' ') + '\\n'); out.flush()"),
                socket.toString(), heard.toString()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            AtomicBoolean alive = new AtomicBoolean(true);
            try (SystemdNotifier n = new SystemdNotifier(Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "400000"),
                    notify.toString())) {
                assertTrue(n.active());
                n.ready("Reelbox running", alive::get);
                await().atMost(Duration.ofSeconds(10)).until(() -> lines(heard).stream().filter(l -> l.contains("WATCHDOG=1")).count() >= 3);
                assertTrue(lines(heard).get(0).contains("READY=1") && lines(heard).get(0).contains("STATUS=Reelbox running"));
                alive.set(false);
                long pings = lines(heard).stream().filter(l -> l.contains("WATCHDOG=1")).count();
                // Four periods of 200 ms with the daemon not alive: at most one ping that was already on its way.
                await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertTrue(lines(heard).stream().filter(l -> l.contains("WATCHDOG=1")).count() <= pings + 1, "no pings while DOWN");
                n.stopping();
                await().atMost(Duration.ofSeconds(10)).until(() -> lines(heard).stream().anyMatch(l -> l.contains("STOPPING=1")));
            }
            assertTrue(!new SystemdNotifier(Map.of(), notify.toString()).active(), "outside systemd it does nothing");
        } finally {
            listener.destroyForcibly();
        }
    }

    @Test
    void theGrafanaDashboardShowsOurMetrics() throws Exception {
        JsonNode board = new ObjectMapper().readTree(Path.of("packaging", "grafana-dashboard.json").toFile());
        String exprs = board.findValues("expr").toString();
        for (String metric : List.of("reelbox_jobs_claimed_total", "reelbox_jobs_completed_total", "reelbox_jobs_failed_total",
                "reelbox_jobs_in_flight", "reelbox_jobs_waiting", "reelbox_stage_seconds_bucket", "reelbox_api_retries_total",
                "reelbox_upload_bytes_total", "reelbox_render_seconds_total")) {
            assertTrue(exprs.contains(metric), metric + " is on the dashboard");
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
