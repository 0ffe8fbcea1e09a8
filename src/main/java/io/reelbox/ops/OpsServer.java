package io.reelbox.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelbox.config.Settings;
import io.reelbox.guard.BrowserGuard;
import io.reelbox.guard.GuardHandler;
import io.reelbox.guard.HostAllowList;
import io.reelbox.local.http.ByteRange;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The parts of the operations server that are not routes: who may come in, the files (videos with byte ranges,
 * posters, the dashboard's own three files), and telling the operator where it listens. The job API itself is
 * {@code routes/api.yaml}; health and metrics are Camel's own ({@code /observe/health}, {@code /observe/metrics}).
 *
 * <p>Camel's static-file feature is deliberately not used: it serves any file under the working directory first,
 * which here holds the settings and the token cache.
 */
public final class OpsServer {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** What a probe may read without a password: only whether the daemon is up. */
    private static final String OPEN_PREFIX = "/observe/health";
    private static final Map<String, String> DASHBOARD = Map.of(
            "/", "text/html; charset=utf-8",
            "/dashboard.js", "text/javascript; charset=utf-8",
            "/dashboard.css", "text/css; charset=utf-8");

    private final Settings settings;
    private final JobBoard board;
    private final Posters posters;
    private final Path workDir;
    private final MeterRegistry meters;
    private final java.util.concurrent.atomic.AtomicBoolean installed = new java.util.concurrent.atomic.AtomicBoolean();

    public OpsServer(Settings settings, JobBoard board, Posters posters, Path workDir, MeterRegistry meters) {
        this.settings = settings;
        this.board = board;
        this.posters = posters;
        this.workDir = workDir;
        this.meters = meters;
    }

    public static boolean enabled(Settings settings) {
        return Boolean.parseBoolean(settings.get("reelbox.http.enabled", "true"));
    }

    /**
     * Refuses, before anything starts, to listen beyond loopback without a password: the API moves files and the
     * dashboard shows every job.
     */
    public static void checkAccess(Settings settings) {
        if (!enabled(settings)) {
            return;
        }
        String host = settings.get("reelbox.http.host");
        if (!isLoopback(host) && settings.get("reelbox.http.password", "").isEmpty()) {
            throw new IllegalStateException("reelbox.http.host is " + host + ", which is reachable from other machines, "
                    + "and reelbox.http.password is empty. Set a password (REELBOX_HTTP_PASSWORD=…, e.g. podman run -e "
                    + "REELBOX_HTTP_PASSWORD=…), listen on 127.0.0.1 only (REELBOX_HTTP_HOST), or switch the dashboard and API "
                    + "off (REELBOX_HTTP_ENABLED=false).");
        }
    }

    /**
     * Fails the start when the configured port is taken: Camel's server logs a failed bind and carries on without
     * listening, which would leave a daemon that cannot be watched, and the status command talking to another one.
     */
    public static void checkPortFree(Settings settings) {
        int port = settings.integer("reelbox.http.port");
        if (!enabled(settings) || port == 0) {
            return;
        }
        String host = settings.get("reelbox.http.host");
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): another "
                    + "Reelbox, or another program, uses it. Stop it, or set reelbox.http.port (0 picks a free port).");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Installs the gates and the file handlers on Camel's router, once; call when the HTTP server exists. The browser
     * guard comes first, so that a foreign page is refused even where a password is set (browsers replay cached basic
     * credentials to any page that calls the server).
     */
    public void install(CamelContext context) {
        if (!installed.compareAndSet(false, true)) {
            return;
        }
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("the operations server did not start (camel.server.enabled)");
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(server.getConfigurationPort()));
        HostAllowList hosts = HostAllowList.of(settings);
        if (hosts.anyName()) {
            LOG.warn("{} is *: the operations server answers to any host name, so a web page can reach it through DNS "
                    + "rebinding; name the hosts instead", HostAllowList.SETTING);
        }
        router.route().order(-2000).handler(new GuardHandler(new BrowserGuard(hosts, DASHBOARD::containsKey), meters));
        String password = settings.get("reelbox.http.password", "");
        if (!password.isEmpty()) {
            router.route().order(-1000).handler(basicAuth(settings.get("reelbox.http.user", "reelbox"), password));
        }
        router.route(HttpMethod.GET, "/api/jobs/:id/video").blockingHandler(ctx -> video(ctx), false);
        router.route(HttpMethod.GET, "/api/jobs/:id/poster").blockingHandler(ctx -> poster(ctx), false);
        DASHBOARD.forEach((path, type) -> {
            byte[] body = resource(path.equals("/") ? "index.html" : path.substring(1));
            router.route(HttpMethod.GET, path).handler(ctx -> ctx.response().putHeader("Content-Type", type)
                    .putHeader("Cache-Control", "no-cache")
                    .end(io.vertx.core.buffer.Buffer.buffer(body)));
        });
    }

    /** Says where it listens (the real port when 0 was asked) in the log and in {@code <work-dir>/http.json}. */
    public void announce(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        String host = settings.get("reelbox.http.host");
        if (server.getPort() <= 0) {
            LOG.error("The operations server is not listening on {}:{} (see the warning above): no dashboard, job API,"
                    + " health or metrics", host, settings.get("reelbox.http.port"));
            return;
        }
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
        LOG.info("Dashboard and job API on {}/ (health {}/observe/health, metrics {}/observe/metrics){}", url, url, url,
                settings.get("reelbox.http.password", "").isEmpty() ? "" : ", password required");
        try {
            Path tmp = workDir.resolve(".http.json.tmp");
            JobBoard.JSON.writeValue(tmp.toFile(), JobBoard.JSON.createObjectNode().put("url", url).put("port", server.getPort()));
            Files.move(tmp, workDir.resolve("http.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not write {}: {} (the status command then needs --port)", workDir.resolve("http.json"), e.getMessage());
        }
    }

    private static Handler<RoutingContext> basicAuth(String user, String password) {
        byte[] expected = ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        return ctx -> {
            String path = ctx.normalizedPath();
            if (path.equals(OPEN_PREFIX) || path.startsWith(OPEN_PREFIX + "/")) {
                ctx.next();
                return;
            }
            String given = ctx.request().getHeader("Authorization");
            if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"reelbox\", charset=\"UTF-8\"")
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"unauthorized\",\"message\":\"This Reelbox asks for a password (reelbox.http.password)\"}");
        };
    }

    private void video(RoutingContext ctx) {
        try {
            Optional<JobBoard.Done> done = board.findDone(ctx.pathParam("id"));
            int n = Math.max(0, parseIndex(ctx.request().getParam("n")));
            if (done.isEmpty() || done.get().videos().size() <= n) {
                notFound(ctx, "No finished video for job " + ctx.pathParam("id"));
                return;
            }
            Path video = done.get().videos().get(n);
            ByteRange range = ByteRange.of(ctx.request().getHeader("Range"), Files.size(video));
            var response = ctx.response().putHeader("Accept-Ranges", "bytes").putHeader("Content-Type", "video/mp4");
            if (!range.satisfiable()) {
                response.setStatusCode(416).putHeader("Content-Range", range.contentRange()).end();
                return;
            }
            if (range.partial()) {
                response.setStatusCode(206).putHeader("Content-Range", range.contentRange());
            }
            response.sendFile(video.toString(), range.start(), range.length());
        } catch (IOException e) {
            notFound(ctx, e.getMessage());
        }
    }

    private void poster(RoutingContext ctx) {
        try {
            Optional<JobBoard.Done> done = board.findDone(ctx.pathParam("id"));
            if (done.isEmpty() || done.get().videos().isEmpty()) {
                notFound(ctx, "No finished video for job " + ctx.pathParam("id"));
                return;
            }
            Path poster = posters.of(done.get().id(), done.get().videos().get(0));
            ctx.response().putHeader("Content-Type", "image/jpeg").putHeader("Cache-Control", "max-age=60")
                    .sendFile(poster.toString());
        } catch (IOException e) {
            ctx.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                    .end(JobBoard.JSON.createObjectNode().put("error", "no-poster").put("message", e.getMessage()).toString());
        }
    }

    private static int parseIndex(String n) {
        try {
            return n == null ? 0 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void notFound(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                .end(JobBoard.JSON.createObjectNode().put("error", "not-found").put("message", message).toString());
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsServer.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
