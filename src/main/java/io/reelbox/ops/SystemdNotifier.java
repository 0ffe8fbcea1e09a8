package io.reelbox.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the daemon is doing when it runs as a {@code Type=notify} service (packaging/reelbox.service):
 * ready once the routes run, a watchdog ping every half {@code WatchdogSec} while the liveness checks are UP (so a
 * hung daemon is restarted), and stopping. Uses the {@code systemd-notify} program, as the JDK cannot send on a
 * datagram socket of the Unix domain; the unit therefore says {@code NotifyAccess=all}. Outside systemd
 * ({@code NOTIFY_SOCKET} unset) it does nothing.
 */
public final class SystemdNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final Map<String, String> env;
    private final String program;
    private ScheduledExecutorService watchdog;

    public SystemdNotifier(Map<String, String> env, String program) {
        this.env = env;
        this.program = program;
    }

    public static SystemdNotifier fromEnvironment() {
        return new SystemdNotifier(System.getenv(), "systemd-notify");
    }

    public boolean active() {
        String socket = env.get("NOTIFY_SOCKET");
        return socket != null && !socket.isBlank();
    }

    /** READY=1 with a status line, and the watchdog when the unit asks for one ({@code WATCHDOG_USEC}). */
    public void ready(String status, BooleanSupplier alive) {
        if (!active()) {
            return;
        }
        send("READY=1", "STATUS=" + status);
        long usec = parse(env.get("WATCHDOG_USEC"));
        if (usec > 0) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reelbox-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleAtFixedRate(() -> {
                if (alive.getAsBoolean()) {
                    send("WATCHDOG=1");
                } else {
                    LOG.warn("Liveness check DOWN: no watchdog ping; systemd restarts Reelbox if it stays down");
                }
            }, 0, usec / 2, TimeUnit.MICROSECONDS);
        }
    }

    public void stopping() {
        if (active()) {
            close();
            send("STOPPING=1", "STATUS=Stopping: jobs in flight resume on the next start");
        }
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    private void send(String... assignments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(assignments));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NOTIFY_SOCKET", env.get("NOTIFY_SOCKET"));
        try {
            Process p = pb.start();
            String said = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                LOG.warn("{} {} failed: {}", program, assignments[0], said);
            }
        } catch (IOException e) {
            LOG.warn("Cannot run {} to tell systemd {}: {}", program, assignments[0], e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long parse(String usec) {
        try {
            return usec == null ? 0 : Long.parseLong(usec.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
