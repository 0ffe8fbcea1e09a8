package io.reelbox.local.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.reelbox.guard.BrowserGuard;
import io.reelbox.guard.HostAllowList;
import io.reelbox.guard.RefusalLog;
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.render.RenderQueue;
import io.reelbox.local.session.Session;
import io.reelbox.local.session.Sessions;

/**
 * The NemoVideo API of {@code shared/nemo-api.md}, served on loopback and rendered with ffmpeg: anonymous tokens,
 * sessions, streaming uploads, an SSE agent that plans a timeline, state, credits, export with a render queue,
 * status with real progress, cancel and download. This class is the HTTP surface: the route table and the small
 * endpoints; sessions live in {@link Sessions}, uploads in {@link Uploads}, the agent in {@link Agent}, files' links
 * in {@link Links}, renders in {@link RenderQueue}. The JDK server suits it: its handlers block on purpose (a probe
 * and an analysis at upload, a status held until a render ends), each on a thread of its own.
 */
public final class LocalBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
    private static final ObjectMapper JSON = Answers.JSON;

    /**
     * What the backend needs to run. {@code fileRoots}: the folders whose files may be uploaded by {@code file:} URL
     * (resolved, links followed); none, and no file is taken that way. {@code hosts}: the names it answers to (a page
     * that rebinds its DNS name to this address must not render on it or read its links). {@code loudness}: the
     * integrated loudness (LUFS) every video's sound is brought to.
     */
    public record Config(Path dir, Ffmpeg ffmpeg, Path font, long maxUpload, int renderConcurrency, int renderParts, Duration retention,
                         List<Path> fileRoots, HostAllowList hosts, double loudness) {
    }

    /** One endpoint: a method, a path pattern (its groups are the handler's parameters), and whether it needs a token. */
    private record Route(String method, Pattern path, boolean open, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex, Matcher path, String user) throws IOException;
    }

    private final Config config;
    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService sweeper;
    private final RenderQueue renders;
    private final int renderSlots;
    private final Sessions sessions;
    private final Links links = new Links(this::baseUrl);
    private final Uploads uploads;
    private final Agent agent;
    private final Exports exports;
    private final BrowserGuard guard;
    private final RefusalLog refusals = new RefusalLog(LOG, "The local backend", System::currentTimeMillis);
    private final List<Route> routes;

    private LocalBackend(Config config, HttpServer server) {
        this.config = config;
        this.server = server;
        this.threads = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-api");
            t.setDaemon(true);
            return t;
        });
        this.sessions = new Sessions(config.dir().resolve("sessions"));
        this.uploads = new Uploads(config, config.fileRoots().stream().map(LocalBackend::real).toList());
        this.agent = new Agent(sessions);
        this.guard = new BrowserGuard(config.hosts(), path -> false);
        this.renderSlots = Math.max(1, config.renderConcurrency());
        this.renders = new RenderQueue(config.ffmpeg(), config.font(), config.dir().resolve("renders"), config.renderConcurrency(), config.renderParts(),
                config.loudness());
        this.exports = new Exports(sessions, renders, links);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-sweeper");
            t.setDaemon(true);
            return t;
        });
        this.routes = routes();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** The contract's endpoints, each with its path's parameters. */
    private List<Route> routes() {
        return List.of(
                new Route("POST", Pattern.compile("/api/auth/anonymous-token"), true, (ex, p, u) -> token(ex)),
                // How busy this render node is, for a daemon choosing among several (reelbox.api.base-url lists them).
                new Route("GET", Pattern.compile("/api/local/queue"), true, (ex, p, u) -> queue(ex)),
                // A link is its own credential, like a CDN's signed URL: clients fetch output.url with a plain GET.
                new Route("GET", Pattern.compile("/files/([^/]+)(?:/.*)?"), true, (ex, p, u) -> links.serve(ex, p.group(1))),
                new Route("POST", Pattern.compile("/api/tasks/me/with-session/nemo_agent"), false, (ex, p, u) -> createSession(ex, u)),
                new Route("POST", Pattern.compile("/api/upload-video/nemo_agent/me/([^/]+)"), false, (ex, p, u) -> upload(ex, p.group(1), u)),
                new Route("POST", Pattern.compile("/run_sse"), false, (ex, p, u) -> agent.run(ex, u)),
                new Route("GET", Pattern.compile("/api/state/nemo_agent/me/([^/]+)/latest"), false, (ex, p, u) -> state(ex, p.group(1), u)),
                new Route("GET", Pattern.compile("/api/credits/balance/simple"), false, (ex, p, u) -> Answers.send(ex, 200,
                        Answers.ok(JSON.createObjectNode().put("available", 100).put("frozen", 0).put("total", 100)))),
                new Route("POST", Pattern.compile("/api/render/proxy/lambda"), false, (ex, p, u) -> exports.export(ex, u)),
                new Route("GET", Pattern.compile("/api/render/proxy/lambda/([^/]+)"), false, (ex, p, u) -> exports.status(ex, p.group(1))),
                new Route("POST", Pattern.compile("/api/render/proxy/lambda/([^/]+)/cancel"), false, (ex, p, u) -> exports.cancel(ex, p.group(1))),
                new Route("GET", Pattern.compile("/api/render/proxy/([^/]+)/download"), false, (ex, p, u) -> exports.download(ex, p.group(1))));
    }



    /** Starts on {@code 127.0.0.1:port} (0: any free port). */
    public static LocalBackend start(Config config, int port) throws IOException {
        return start(config, InetAddress.getLoopbackAddress(), port);
    }

    /** Starts on {@code host:port}: a render node other machines reach ({@code serve-local --host}). */
    public static LocalBackend start(Config config, InetAddress host, int port) throws IOException {
        Files.createDirectories(config.dir());
        // Sessions and renders live in memory: whatever a previous run left on disk (a crash mid-render leaves a
        // scratch folder) belongs to nobody any more.
        RenderQueue.deleteTree(config.dir().resolve("sessions"));
        RenderQueue.deleteTree(config.dir().resolve("renders"));
        // The JDK server writes a response's head and body apart; with Nagle's algorithm on, the body then waits for the
        // client's delayed ACK: 40 ms on every call on Linux (measured: a state read took 45 ms, now under 2).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        LocalBackend backend = new LocalBackend(config, server);
        server.start();
        long every = Math.max(60_000, config.retention().toMillis() / 4);
        backend.sweeper.scheduleWithFixedDelay(backend::sweep, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Local backend on {} (work files in {})", backend.baseUrl(), config.dir());
        return backend;
    }

    /** The URL this server answers on from this machine (loopback when it listens on every address). */
    public String baseUrl() {
        InetAddress bound = server.getAddress().getAddress();
        String host = bound.isAnyLocalAddress() ? "127.0.0.1"
                : bound instanceof java.net.Inet6Address ? "[" + bound.getHostAddress() + "]" : bound.getHostAddress();
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        renders.close();
        sweeper.shutdownNow();
        threads.shutdownNow();
    }

    /** A root as the file system sees it, so that a link in its own path does not hide files under it. */
    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }

    // --- routing ---

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            var wrongName = guard.checkHost(ex.getRequestHeaders().getFirst("Host"));
            if (wrongName.isPresent()) {
                refusals.refused(method, path, wrongName.get());
                Answers.send(ex, 421, Answers.detail(wrongName.get().message()));
                return;
            }
            for (Route route : routes) {
                Matcher m = route.path().matcher(path);
                if (route.method().equals(method) && m.matches()) {
                    String user = route.open() ? null : sessions.user(Answers.bearer(ex)).orElse(null);
                    if (!route.open() && user == null) {
                        Answers.send(ex, 401, Answers.error(1001, "token expired or invalid"));
                    } else {
                        route.handler().handle(ex, m, user);
                    }
                    return;
                }
            }
            boolean known = sessions.user(Answers.bearer(ex)).isPresent();
            Answers.send(ex, known ? 404 : 401, known ? Answers.detail("Not Found") : Answers.error(1001, "token expired or invalid"));
        } catch (Answers.Gone gone) {
            // an answer was already sent
        } catch (RuntimeException e) {
            LOG.warn("Local backend: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            Answers.trySend(ex, 500, Answers.detail("internal error: " + e.getMessage()));
        }
    }

    /** The session {@code id} of {@code user}, or a 1002 answer and the handler unwound. */
    static Session session(HttpExchange ex, Sessions sessions, String id, String user) throws IOException {
        Optional<Session> s = sessions.of(id, user);
        if (s.isEmpty()) {
            throw Answers.fail(ex, 404, Answers.error(1002, "Session not found: " + id));
        }
        return s.get();
    }

    // --- endpoints ---

    private void token(HttpExchange ex) throws IOException {
        String clientId = ex.getRequestHeaders().getFirst("X-Client-Id");
        if (clientId == null || clientId.isBlank()) {
            Answers.send(ex, 400, Answers.detail("X-Client-Id header required"));
            return;
        }
        String token = sessions.issueToken(clientId);
        Answers.send(ex, 200, Answers.ok(JSON.createObjectNode().put("token", token).put("user_id", Sessions.userOf(clientId))
                .put("expires_at", Instant.now().plus(Duration.ofDays(7)).toString()).put("credits", 100)));
    }

    private void queue(HttpExchange ex) throws IOException {
        // Counts only, so no token is needed.
        Answers.send(ex, 200, Answers.ok(JSON.createObjectNode().put("rendering", renders.count("processing"))
                .put("queued", renders.count("pending")).put("slots", renderSlots)));
    }

    private void createSession(HttpExchange ex, String user) throws IOException {
        // The session's language steers the planner (PromptReader reads the prompt in it when the text does not say).
        Session s = sessions.create(user, Answers.readJson(ex).path("language").asText(null));
        Answers.send(ex, 200, Answers.ok(JSON.createObjectNode().put("task_id", s.taskId()).put("session_id", s.id())));
    }

    private void upload(HttpExchange ex, String id, String user) throws IOException {
        Session s = session(ex, sessions, id, user);
        List<MediaInfo> added = uploads.receive(ex, s);
        s.media().addAll(added);
        ObjectNode data = JSON.createObjectNode().put("session_state_applied", true);
        ArrayNode files = data.putArray("files");
        for (MediaInfo m : added) {
            files.addObject().put("filename", m.id()).put("file_type", m.category().name().toLowerCase(Locale.ROOT))
                    .put("cdn_url", links.to(ex, m.file())).put("duration", m.duration())
                    .put("width", m.width()).put("height", m.height()).put("fps", m.fps()).put("hash", "");
        }
        Answers.send(ex, 200, Answers.ok(data));
    }

    private void state(HttpExchange ex, String id, String user) throws IOException {
        Session s = session(ex, sessions, id, user);
        ObjectNode state = JSON.createObjectNode();
        ObjectNode draft = sessions.draft(s);
        state.set("draft", draft);
        ArrayNode infos = state.putArray("video_infos");
        for (MediaInfo m : s.media()) {
            infos.addObject().put("filename", m.id()).put("type", m.category().name().toLowerCase(Locale.ROOT))
                    .put("duration", m.duration()).put("width", m.width()).put("height", m.height());
        }
        state.putArray("generated_media");
        state.putArray("video_analyses");
        if (draft != null) {
            state.putObject("canvas_config").put("width", draft.path("m").path("width").asInt()).put("height", draft.path("m").path("height").asInt());
        }
        ObjectNode data = JSON.createObjectNode();
        data.set("state", state);
        Answers.send(ex, 200, Answers.ok(data));
    }

    /** Deletes sessions' media and finished renders older than the retention. */
    void sweep() {
        long cutoff = System.currentTimeMillis() - config.retention().toMillis();
        sessions.sweep(cutoff);
        renders.all().values().removeIf(r -> {
            boolean old = r.createdAt < cutoff && !"processing".equals(r.status) && !"pending".equals(r.status);
            if (old && r.output != null) {
                RenderQueue.deleteTree(r.output);
            }
            return old;
        });
        links.sweep(renders.all().keySet());
    }
}
