package io.reelbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.reelbox.failure.LocalIo;
import io.reelbox.guard.BrowserGuard;
import io.reelbox.guard.HostAllowList;
import io.reelbox.guard.RefusalLog;
import io.reelbox.inbox.MediaKind;

/**
 * The NemoVideo API of {@code shared/nemo-api.md}, served on loopback and rendered with ffmpeg: anonymous tokens,
 * sessions, streaming uploads, an SSE agent that plans a timeline, state, credits, export with a render queue,
 * status with real progress, cancel and download. Tokens and sessions live in memory (a restart answers 1001 and
 * 1002, which every client must handle anyway); media and renders live under the work dir and are swept by age.
 */
public final class LocalBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the backend needs to run. */
    /**
     * {@code fileRoots}: the folders whose files may be uploaded by {@code file:} URL (resolved, links followed); none,
     * and no file is taken that way. {@code hosts}: the names it answers to (a page that rebinds its DNS name to this
     * address must not render on it or read its links).
     */
    public record Config(Path dir, Ffmpeg ffmpeg, Path font, long maxUpload, int renderConcurrency, int renderParts, Duration retention,
                         List<Path> fileRoots, HostAllowList hosts) {
    }

    private record Session(String id, String taskId, String user, String language, Path dir, List<MediaInfo> media, long createdAt) {
    }

    private final Config config;
    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService sweeper;
    private final RenderQueue renders;
    private final int renderSlots;
    private final List<Path> fileRoots;
    /** Plain GET links, like a CDN's: an unguessable name for each served file; no bearer needed. */
    private final Map<String, Path> links = new ConcurrentHashMap<>();
    private final Map<String, String> renderLinks = new ConcurrentHashMap<>();
    private final Planner planner = new Planner();
    private final io.reelbox.local.analysis.MediaAnalysis analysis = new io.reelbox.local.analysis.MediaAnalysis();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> drafts = new ConcurrentHashMap<>();
    private final AtomicLong sessionSeq = new AtomicLong(System.currentTimeMillis() * 1000);
    private final BrowserGuard guard;
    private final RefusalLog refusals = new RefusalLog(LOG, "The local backend", System::currentTimeMillis);

    private LocalBackend(Config config, HttpServer server) {
        this.config = config;
        this.server = server;
        this.threads = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-api");
            t.setDaemon(true);
            return t;
        });
        this.fileRoots = config.fileRoots().stream().map(LocalBackend::real).toList();
        this.guard = new BrowserGuard(config.hosts(), path -> false);
        this.renderSlots = Math.max(1, config.renderConcurrency());
        this.renders = new RenderQueue(config.ffmpeg(), config.font(), config.dir().resolve("renders"), config.renderConcurrency(), config.renderParts());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-sweeper");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
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
                send(ex, 421, JSON.createObjectNode().put("detail", wrongName.get().message()));
                return;
            }
            if (method.equals("POST") && path.equals("/api/auth/anonymous-token")) {
                token(ex);
                return;
            }
            if (method.equals("GET") && path.equals("/api/local/queue")) {
                // How busy this render node is, for a daemon choosing among several (reelbox.api.base-url lists
                // them). Counts only, so no token is needed.
                send(ex, 200, ok(JSON.createObjectNode().put("rendering", renders.count("processing"))
                        .put("queued", renders.count("pending")).put("slots", renderSlots)));
                return;
            }
            if (method.equals("GET") && path.startsWith("/files/")) {
                // A link is its own credential, like a CDN's signed URL: clients fetch output.url with a plain GET.
                Path file = links.get(path.split("/")[2]);
                if (file == null || !Files.isRegularFile(file)) {
                    send(ex, 404, JSON.createObjectNode().put("detail", "no such file (links expire with the retention)"));
                } else {
                    serveFile(ex, file);
                }
                return;
            }
            String user = tokens.get(bearer(ex));
            if (user == null) {
                send(ex, 401, error(1001, "token expired or invalid"));
                return;
            }
            String[] seg = path.split("/");
            if (method.equals("POST") && path.equals("/api/tasks/me/with-session/nemo_agent")) {
                createSession(ex, user);
            } else if (method.equals("POST") && path.startsWith("/api/upload-video/nemo_agent/me/") && seg.length == 6) {
                upload(ex, session(ex, seg[5], user));
            } else if (method.equals("POST") && path.equals("/run_sse")) {
                runSse(ex, user);
            } else if (method.equals("GET") && path.startsWith("/api/state/nemo_agent/me/") && path.endsWith("/latest") && seg.length == 7) {
                state(ex, session(ex, seg[5], user));
            } else if (method.equals("GET") && path.equals("/api/credits/balance/simple")) {
                send(ex, 200, ok(JSON.createObjectNode().put("available", 100).put("frozen", 0).put("total", 100)));
            } else if (method.equals("POST") && path.equals("/api/render/proxy/lambda")) {
                export(ex, user);
            } else if (method.equals("GET") && path.startsWith("/api/render/proxy/lambda/") && seg.length == 6) {
                status(ex, seg[5]);
            } else if (method.equals("POST") && path.startsWith("/api/render/proxy/lambda/") && path.endsWith("/cancel") && seg.length == 7) {
                renders.cancel(seg[5]);
                send(ex, 200, ok(JSON.createObjectNode().put("id", seg[5]).put("status", "cancelled")));
            } else if (method.equals("GET") && path.startsWith("/api/render/proxy/") && path.endsWith("/download") && seg.length == 6) {
                download(ex, seg[4]);
            } else {
                send(ex, 404, JSON.createObjectNode().put("detail", "Not Found"));
            }
        } catch (Gone gone) {
            // an answer was already sent
        } catch (RuntimeException e) {
            LOG.warn("Local backend: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            trySend(ex, 500, JSON.createObjectNode().put("detail", "internal error: " + e.getMessage()));
        }
    }

    /** Thrown after an error answer has been sent, to unwind the handler. */
    private static final class Gone extends RuntimeException {
        Gone() {
            super(null, null, false, false);
        }
    }

    // --- endpoints ---

    private void token(HttpExchange ex) throws IOException {
        String clientId = ex.getRequestHeaders().getFirst("X-Client-Id");
        if (clientId == null || clientId.isBlank()) {
            send(ex, 400, JSON.createObjectNode().put("detail", "X-Client-Id header required"));
            return;
        }
        String token = "nmv_usr_local_" + HexFormat.of().formatHex(RANDOM.generateSeed(16));
        String user = "anon_" + Integer.toHexString(clientId.hashCode() & 0x7fffffff);
        tokens.put(token, user);
        send(ex, 200, ok(JSON.createObjectNode().put("token", token).put("user_id", user)
                .put("expires_at", Instant.now().plus(Duration.ofDays(7)).toString()).put("credits", 100)));
    }

    private void createSession(HttpExchange ex, String user) throws IOException {
        String id = String.valueOf(sessionSeq.incrementAndGet()) + (100 + RANDOM.nextInt(900));
        Path dir = config.dir().resolve("sessions").resolve(id);
        Files.createDirectories(dir);
        // The session's language steers the planner (PromptReader reads the prompt in it when the text does not say).
        String language = readJson(ex).path("language").asText(null);
        Session s = new Session(id, "task_" + id, user, language, dir, new java.util.concurrent.CopyOnWriteArrayList<>(),
                System.currentTimeMillis());
        sessions.put(id, s);
        send(ex, 200, ok(JSON.createObjectNode().put("task_id", s.taskId()).put("session_id", id)));
    }

    private Session session(HttpExchange ex, String id, String user) throws IOException {
        Session s = sessions.get(id);
        if (s == null || !s.user().equals(user)) {
            send(ex, 404, error(1002, "Session not found: " + id));
            throw new Gone();
        }
        return s;
    }

    private void upload(HttpExchange ex, Session s) throws IOException {
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        List<MediaInfo> added = new ArrayList<>();
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            JsonNode body = readJson(ex);
            for (JsonNode u : body.path("urls")) {
                added.add(fetch(ex, s, u.asText()));
            }
        } else {
            try {
                FileItemInputIterator parts = new MultipartReader().getItemIterator(ex);
                while (parts.hasNext()) {
                    FileItemInput part = parts.next();
                    if (part.isFormField() || !"files".equals(part.getFieldName())) {
                        continue;
                    }
                    try (InputStream in = part.getInputStream()) {
                        added.add(store(ex, s, part.getName(), in));
                    }
                }
            } catch (org.apache.commons.fileupload2.core.FileUploadException e) {
                send(ex, 400, JSON.createObjectNode().put("detail", "malformed multipart body: " + e.getMessage()));
                return;
            }
        }
        if (added.isEmpty()) {
            send(ex, 400, JSON.createObjectNode().put("detail", "no files: send multipart field 'files' or {\"urls\":[…]}"));
            return;
        }
        s.media().addAll(added);
        ObjectNode data = JSON.createObjectNode().put("session_state_applied", true);
        ArrayNode files = data.putArray("files");
        for (MediaInfo m : added) {
            files.addObject().put("filename", m.id()).put("file_type", m.category().name().toLowerCase(Locale.ROOT))
                    .put("cdn_url", origin(ex) + link(m.file())).put("duration", m.duration())
                    .put("width", m.width()).put("height", m.height()).put("fps", m.fps()).put("hash", "");
        }
        send(ex, 200, ok(data));
    }

    /** Streams one upload to disk, refusing unsupported types (4001) and files over the limit (4002). */
    private MediaInfo store(HttpExchange ex, Session s, String rawName, InputStream in) throws IOException {
        String name = Path.of(rawName == null || rawName.isBlank() ? "file" : rawName).getFileName().toString();
        MediaKind kind = MediaKind.byName(name).orElse(null);
        if (kind == null) {
            refuseUnread(ex, error(4001, "unsupported file type: " + name + "; accepted: " + MediaKind.ACCEPTED));
        }
        String id = uniqueName(s, name);
        Path target = s.dir().resolve(id);
        Path part = s.dir().resolve("." + id + ".part");
        long n = 0;
        try (OutputStream out = openForUpload(ex, part, in)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
                if (n > config.maxUpload()) {
                    out.close();
                    Files.deleteIfExists(part);
                    refuseUnread(ex, error(4002, name + " is larger than " + config.maxUpload() / 1_000_000 + " MB"));
                }
                try {
                    out.write(buf, 0, r);
                } catch (IOException e) {
                    out.close();
                    Files.deleteIfExists(part);
                    refuseDiskFull(ex, in, e);
                }
            }
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return probe(ex, id, target, kind);
    }

    private OutputStream openForUpload(HttpExchange ex, Path part, InputStream in) throws IOException {
        try {
            return Files.newOutputStream(part);
        } catch (IOException e) {
            refuseDiskFull(ex, in, e);
            throw e;
        }
    }

    /**
     * The upload cannot be stored because this backend's disk is full: HTTP 507 with a JSON body naming the disk, so
     * the client can tell the user what to free, instead of a dropped connection that looks like a network fault.
     * The rest of the request is read first (and thrown away): a client still sending its body would otherwise meet
     * a closed connection before the answer. Other write errors go on as they are.
     */
    private void refuseDiskFull(HttpExchange ex, InputStream part, IOException e) throws IOException {
        if (!LocalIo.isFull(e)) {
            throw e;
        }
        Path disk = config.dir();
        LOG.warn("Local backend: no space left to store an upload in {} ({})", disk, e.getMessage());
        part.transferTo(OutputStream.nullOutputStream());
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        send(ex, 507, JSON.createObjectNode().put("code", 507).put("disk", disk.toString())
                .put("message", "no space left on the embedded backend's disk (" + disk + ") to store the upload: " + e.getMessage()));
        throw new Gone();
    }

    private MediaInfo probe(HttpExchange ex, String id, Path file, MediaKind kind) throws IOException {
        try {
            return analysis.analyse(config.ffmpeg(), MediaInfo.probe(config.ffmpeg(), id, file, kind));
        } catch (IOException e) {
            Files.deleteIfExists(file);
            send(ex, 200, error(4001, e.getMessage()));
            throw new Gone();
        }
    }

    /**
     * The file a {@code file:} URL names, once links and {@code ..} are resolved, if it lies under one of the
     * configured roots ({@code reelbox.local.file-roots}; the embedded backend adds its daemon's inbox): a backend
     * that any local client can reach must not hand out whatever file its process can read.
     */
    private Path allowedFile(HttpExchange ex, URI uri, String url) throws IOException {
        Path real;
        try {
            real = Path.of(uri).toRealPath();
        } catch (java.nio.file.NoSuchFileException | IllegalArgumentException e) {
            send(ex, 422, JSON.createObjectNode().put("detail", "no such file: " + url));
            throw new Gone();
        }
        if (fileRoots.stream().noneMatch(real::startsWith)) {
            send(ex, 200, error(4001, "file: URLs are taken only from " + (fileRoots.isEmpty() ? "no folder"
                    : fileRoots.toString()) + " (reelbox.local.file-roots); " + url + " is not under them"));
            throw new Gone();
        }
        return real;
    }

    /** URL uploads: {@code file:} URLs under the roots, and http(s) only on loopback — it never reaches out to the net. */
    private MediaInfo fetch(HttpExchange ex, Session s, String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            send(ex, 422, JSON.createObjectNode().put("detail", "not a URL: " + url));
            throw new Gone();
        }
        String name = Path.of(Optional.ofNullable(uri.getPath()).orElse("file")).getFileName().toString();
        if ("file".equals(uri.getScheme())) {
            Path file = allowedFile(ex, uri, url);
            try (InputStream in = Files.newInputStream(file)) {
                return store(ex, s, name, in);
            }
        }
        // Judged from the text alone: resolving a name would already reach out to the network.
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || host.equals("[::1]") || host.equals("::1");
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || !loopback) {
            send(ex, 422, JSON.createObjectNode().put("detail", "the local backend fetches only file: URLs and http(s) URLs on loopback, not " + url));
            throw new Gone();
        }
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                send(ex, 422, JSON.createObjectNode().put("detail", url + " answered " + r.statusCode()));
                throw new Gone();
            }
            try (InputStream in = r.body()) {
                return store(ex, s, name, in);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void runSse(HttpExchange ex, String user) throws IOException {
        JsonNode body = readJson(ex);
        String sid = body.path("session_id").asText("");
        String prompt = "";
        for (JsonNode part : body.path("new_message").path("parts")) {
            prompt += part.path("text").asText("");
        }
        if (sid.isEmpty() || prompt.isBlank()) {
            send(ex, 422, JSON.createObjectNode().put("detail", "session_id and new_message.parts[].text are required"));
            return;
        }
        Session s = session(ex, sid, user);
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String invocation = "e-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        ObjectNode call = event(invocation);
        call.putObject("content").put("role", "model").putArray("parts").addObject().putObject("functionCall")
                .put("id", "plan-1").put("name", "plan_timeline").putObject("args").put("media", s.media().size());
        sse(out, call);
        Planner.Plan plan = planner.plan(prompt, s.language(), List.copyOf(s.media()));
        if (plan.draft() != null) {
            drafts.put(sid, plan.draft());
        }
        ObjectNode result = event(invocation);
        ObjectNode response = result.putObject("content").put("role", "user").putArray("parts").addObject()
                .putObject("functionResponse").put("id", "plan-1").put("name", "plan_timeline").putObject("response");
        response.put("ok", plan.draft() != null);
        if (plan.draft() != null) {
            response.put("duration_ms", plan.draft().path("d").asLong());
        }
        sse(out, result);
        ObjectNode text = event(invocation);
        text.putObject("content").put("role", "model").putArray("parts").addObject().put("text", plan.reply());
        sse(out, text);
        out.close();
    }

    private void state(HttpExchange ex, Session s) throws IOException {
        ObjectNode state = JSON.createObjectNode();
        state.set("draft", drafts.get(s.id()));
        ArrayNode infos = state.putArray("video_infos");
        for (MediaInfo m : s.media()) {
            infos.addObject().put("filename", m.id()).put("type", m.category().name().toLowerCase(Locale.ROOT))
                    .put("duration", m.duration()).put("width", m.width()).put("height", m.height());
        }
        state.putArray("generated_media");
        state.putArray("video_analyses");
        ObjectNode draft = drafts.get(s.id());
        if (draft != null) {
            state.putObject("canvas_config").put("width", draft.path("m").path("width").asInt()).put("height", draft.path("m").path("height").asInt());
        }
        ObjectNode data = JSON.createObjectNode();
        data.set("state", state);
        send(ex, 200, ok(data));
    }

    private void export(HttpExchange ex, String user) throws IOException {
        JsonNode body = readJson(ex);
        String id = body.path("id").asText("");
        Session s = session(ex, body.path("sessionId").asText(""), user);
        JsonNode draft = body.get("draft");
        if (id.isBlank() || !id.matches("[A-Za-z0-9_.-]{1,100}")) {
            send(ex, 422, JSON.createObjectNode().put("detail", "id must be a unique name of letters, digits, '_', '-', '.'"));
            return;
        }
        if (draft == null || !draft.path("t").isArray()) {
            send(ex, 422, JSON.createObjectNode().put("detail", "draft with tracks (t) required"));
            return;
        }
        Map<String, Path> media = new LinkedHashMap<>();
        s.media().forEach(m -> media.put(m.id(), m.file()));
        if (!renders.submit(id, draft, media)) {
            send(ex, 200, error(409, "render id " + id + " is already taken: use a new id"));
            return;
        }
        send(ex, 200, ok(JSON.createObjectNode().put("id", id).put("status", "pending")));
    }

    private void status(HttpExchange ex, String id) throws IOException {
        RenderQueue.Render r = renders.get(id);
        if (r == null) {
            send(ex, 404, JSON.createObjectNode().put("detail", "render not found: " + id));
            return;
        }
        // A client that says "Prefer: wait=N" (RFC 7240) is answered when the render ends, or after N s (at most
        // MAX_HOLD): it learns of the end at once without polling in a tight loop. Others get the status now.
        Matcher wait = PREFER_WAIT.matcher(Optional.ofNullable(ex.getRequestHeaders().getFirst("Prefer")).orElse(""));
        if (wait.find() && r.status.matches("pending|processing")) {
            try {
                r.awaitEnd(Duration.ofSeconds(Math.min(Long.parseLong(wait.group(1)), MAX_HOLD.toSeconds())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ObjectNode n = JSON.createObjectNode().put("taskId", r.id).put("status", r.status).put("progress", r.progress);
        if ("completed".equals(r.status)) {
            n.putObject("output").put("url", origin(ex) + renderLinks.computeIfAbsent(r.id, key -> link(r.output)))
                    .put("duration", r.duration).put("size", r.size);
        }
        if (r.error != null) {
            n.put("error", r.error);
        }
        send(ex, 200, n);
    }

    private static final Pattern PREFER_WAIT = Pattern.compile("(?i)\\bwait\\s*=\\s*(\\d{1,6})");
    private static final Duration MAX_HOLD = Duration.ofSeconds(10);

    private void download(HttpExchange ex, String id) throws IOException {
        RenderQueue.Render r = renders.get(id);
        if (r == null || r.output == null || !Files.exists(r.output)) {
            send(ex, 404, JSON.createObjectNode().put("detail", "no finished render " + id));
            return;
        }
        serveFile(ex, r.output);
    }

    /** A new unguessable link to {@code file}: its path; {@link #origin} makes it whole for the asking client. */
    private String link(Path file) {
        String name = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        links.put(name, file);
        return "/files/" + name + "/" + file.getFileName();
    }

    /**
     * Where the client reached this server: links must work from its machine, which for a render node on the network
     * is not 127.0.0.1. The request's {@code Host}, when it is a plain host and port; else the bound address.
     */
    private String origin(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        return host != null && host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?") ? "http://" + host : baseUrl();
    }

    /**
     * A file with its length, and one byte range when asked ({@link ByteRange}), so a player can seek. A range that
     * cannot be met is 416.
     */
    private static void serveFile(HttpExchange ex, Path file) throws IOException {
        ByteRange range = ByteRange.of(ex.getRequestHeaders().getFirst("Range"), Files.size(file));
        if (!range.satisfiable()) {
            ex.getResponseHeaders().set("Content-Range", range.contentRange());
            ex.sendResponseHeaders(416, -1);
            return;
        }
        int status = 200;
        if (range.partial()) {
            status = 206;
            ex.getResponseHeaders().set("Content-Range", range.contentRange());
        }
        long start = range.start();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ex.getResponseHeaders().set("Content-Type", name.endsWith(".mp4") ? "video/mp4" : "application/octet-stream");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        long length = range.length();
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody(); var ch = java.nio.channels.FileChannel.open(file)) {
            var target = java.nio.channels.Channels.newChannel(out);
            for (long sent = 0; sent < length; ) {
                sent += ch.transferTo(start + sent, length - sent, target);
            }
        }
    }

    /** Deletes sessions' media and finished renders older than the retention. */
    void sweep() {
        long cutoff = System.currentTimeMillis() - config.retention().toMillis();
        sessions.values().removeIf(s -> {
            if (s.createdAt() < cutoff) {
                RenderQueue.deleteTree(s.dir());
                drafts.remove(s.id());
                return true;
            }
            return false;
        });
        renders.all().values().removeIf(r -> {
            boolean old = r.createdAt < cutoff && !"processing".equals(r.status) && !"pending".equals(r.status);
            if (old && r.output != null) {
                RenderQueue.deleteTree(r.output);
            }
            if (old) {
                renderLinks.remove(r.id);
            }
            return old;
        });
        links.values().removeIf(f -> !Files.exists(f));
    }

    // --- helpers ---

    private static String uniqueName(Session s, String name) {
        String candidate = name;
        int i = 2;
        while (true) {
            String c = candidate;
            if (s.media().stream().noneMatch(m -> m.id().equals(c)) && !Files.exists(s.dir().resolve(c))) {
                return c;
            }
            int dot = name.lastIndexOf('.');
            candidate = dot > 0 ? name.substring(0, dot) + "-" + i + name.substring(dot) : name + "-" + i;
            i++;
        }
    }

    /**
     * Answers before the request body was read to its end: the connection cannot be reused, so the answer says so
     * and clients open a new one for their next call.
     */
    private static void refuseUnread(HttpExchange ex, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        send(ex, 200, body);
        throw new Gone();
    }

    private static ObjectNode event(String invocation) {
        return JSON.createObjectNode().put("author", "nemo_agent").put("invocationId", invocation)
                .put("id", HexFormat.of().formatHex(RANDOM.generateSeed(4))).put("timestamp", System.currentTimeMillis() / 1000.0);
    }

    private static void sse(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + event.toString() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : "";
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(8 * 1024 * 1024);
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            send(ex, 422, JSON.createObjectNode().put("detail", "body is not JSON"));
            throw new Gone();
        }
    }

    private static ObjectNode ok(JsonNode data) {
        ObjectNode n = JSON.createObjectNode().put("code", 0).put("message", "success");
        n.set("data", data);
        return n;
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void trySend(HttpExchange ex, int status, JsonNode body) {
        try {
            send(ex, status, body);
        } catch (IOException | RuntimeException ignored) {
            // the response was already under way
        }
    }
}
