package io.reelbox.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.testing.Probe;

/**
 * The OCI image, built by packaging/container/build.sh (on a Debian base made here: no registry is reachable) and run
 * by podman as a NAS user would run it: a user id that is not the image's, the inbox and outbox bound to host folders,
 * /config a volume, the port published on loopback. Skips, saying why, where podman is not installed (.ci/run
 * installs it). In containers such as this machine's, crun and podman's default ulimits do not work: the test gives
 * podman a containers.conf of its own (runc, and the ulimits this process has).
 */
class ContainerIT {

    private static final String IMAGE = "localhost/reelbox:it";
    private static Path conf;

    @TempDir
    Path root;
    private final List<String> cleanup = new ArrayList<>();

    @BeforeAll
    static void buildTheImage(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("podman"), "podman is not installed: apt-get install podman runc mmdebstrap (.ci/run does)");
        conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=" + limit("Max open files") + ":" + limit("Max open files")
                + "\", \"nproc=32768:32768\"]\n" + (onPath("runc") ? "[engine]\nruntime = \"runc\"\n" : ""));
        Result built = run(Duration.ofMinutes(15), Map.of("SKIP_PACKAGE", "1"), "packaging/container/build.sh", "--base", "debian", "--tag", IMAGE);
        assertEquals(0, built.exit(), built.output());
        assertTrue(built.output().contains("Built " + IMAGE), built.output());
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (String c : cleanup) {
            run(Duration.ofMinutes(1), Map.of(), "podman", "rm", "-f", "-v", c);
        }
    }

    @Test
    void theImageIsSmallRunsAsANumericUserAndWillNotListenOpenlyWithoutAPassword() throws Exception {
        long bytes = Long.parseLong(run(Duration.ofMinutes(1), Map.of(), "podman", "image", "inspect", IMAGE, "--format", "{{.Size}}").output().strip());
        assertTrue(bytes <= 400_000_000L, "at most 400 MB: " + bytes);
        assertEquals("1000:1000", run(Duration.ofMinutes(1), Map.of(), "podman", "image", "inspect", IMAGE, "--format", "{{.Config.User}}")
                .output().strip(), "a numeric user, as runAsNonRoot needs");
        Result open = run(Duration.ofMinutes(1), Map.of(), "podman", "run", "--rm", IMAGE);
        assertNotEquals(0, open.exit(), "exits at once");
        assertTrue(open.output().contains("REELBOX_HTTP_PASSWORD=") && open.output().contains("REELBOX_HTTP_ENABLED=false"),
                "says how to set a password or switch the server off: " + open.output());
    }

    @Test
    void anyUserGetsTheExampleAsAVideoOnceEvenWhenTheContainerIsKilledMidRender() throws Exception {
        long uid = isRoot() ? 1234 : (Long) Files.getAttribute(root, "unix:uid");
        Path inbox = owned(Files.createDirectories(root.resolve("inbox")), uid);
        Path outbox = owned(Files.createDirectories(root.resolve("outbox")), uid);
        String name = "reelbox-it-" + System.nanoTime();
        cleanup.add(name);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result started = run(Duration.ofMinutes(1), Map.of(), "podman", "run", "-d", "--name", name, "--user", uid + ":" + uid,
                "-v", inbox + ":/inbox", "-v", outbox + ":/outbox", "-v", name + ":/config", "-p", "127.0.0.1:" + port + ":8780",
                "-e", "REELBOX_HTTP_PASSWORD=it-password", IMAGE);
        assertEquals(0, started.exit(), started.output());
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        // The example, as a user's file manager drops it, with a file name that is not ASCII.
        Path staging = Files.createDirectories(inbox.resolve(".staging"));
        try (Stream<Path> files = Files.list(Path.of("inbox-example", "lakeside"))) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString().replace("05-lake-at-1am", "05-lac-à-1h");
                owned(Files.copy(f, staging.resolve(n)), uid);
            }
        }
        Files.move(owned(staging, uid), inbox.resolve("lakeside"));
        await().atMost(Duration.ofMinutes(2)).until(() -> logs(name).contains("export started as render_"));
        assertEquals(0, run(Duration.ofMinutes(1), Map.of(), "podman", "kill", name).exit());
        assertEquals(1, list(inbox.resolve(".processing")).size(), "killed mid-render: the job waits in .processing");
        assertEquals(0, run(Duration.ofMinutes(1), Map.of(), "podman", "start", name).exit());

        Path report = outbox.resolve("lakeside.json");
        await().atMost(Duration.ofMinutes(4)).until(() -> Files.exists(report) || Files.exists(inbox.resolve(".failed")));
        assertTrue(Files.exists(report), logs(name));
        assertEquals(List.of("lakeside.json", "lakeside.mp4"), list(outbox), "one video, once");
        Path video = outbox.resolve("lakeside.mp4");
        assertEquals(uid, ((Number) Files.getAttribute(video, "unix:uid")).longValue(), "the outbox's files belong to the user it ran as");
        assertEquals(60.0, Probe.info(video).duration(), 1 / 30.0);
        assertTrue(list(inbox.resolve(".done/lakeside")).contains("05-lac-à-1h.jpg"), "a UTF-8 name survives");
        String log = logs(name);
        assertTrue(log.contains("Resuming 1 unfinished job(s) from the journal"), "resumed from the journal in /config");
        assertTrue(log.contains("Routes folder /config/routes made from /opt/reelbox/routes"), "the first start seeded /config");
        Result health = run(Duration.ofMinutes(1), Map.of(), "podman", "healthcheck", "run", name);
        assertEquals(0, health.exit(), "podman healthcheck run: " + health.output());
    }

    private static String logs(String container) throws Exception {
        return run(Duration.ofMinutes(1), Map.of(), "podman", "logs", container).output();
    }

    private static Path owned(Path p, long uid) throws IOException {
        if (isRoot()) {
            Files.setAttribute(p, "unix:uid", (int) uid);
            Files.setAttribute(p, "unix:gid", (int) uid);
        }
        return p;
    }

    private static boolean isRoot() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** This process's own limit from /proc/self/limits (the hard one), which a container may not exceed. */
    private static String limit(String what) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith(what)) {
                String[] f = line.substring(what.length()).trim().split("\\s+");
                return f[1].equals("unlimited") ? "65536" : f[1];
            }
        }
        return "1024";
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    record Result(int exit, String output) {
    }

    private static Result run(Duration max, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile("podman", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took over " + max + ": " + Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }
}
