package io.reelbox.nemo;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;

/**
 * The NemoVideo HTTP API (see {@code shared/nemo-api.md}), one method per endpoint. Each call is a single attempt:
 * retry policy lives in the route configuration (routes/errors.yaml), which redelivers a step by the class of its
 * failure. Uploads and downloads stream from and to disk, so memory does not grow with file size. Tokens go only into the
 * {@code Authorization} header of requests to the API's own origin.
 */
public final class NemoClient implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Settings settings;
    private final Supplier<String> baseUrl;
    private final CloseableHttpClient http;
    private final org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager connections;
    private final Set<HttpUriRequestBase> inFlight = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public NemoClient(Settings settings, Supplier<String> baseUrl) {
        this(settings, baseUrl, Clock.systemUTC());
    }

    NemoClient(Settings settings, Supplier<String> baseUrl, Clock clock) {
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.clock = clock;
        Timeout connect = Timeout.ofMilliseconds(settings.duration("reelbox.api.connect-timeout").toMillis());
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                        // A kept-alive connection the server closed meanwhile is found out before reuse, not after.
                        .setValidateAfterInactivity(org.apache.hc.core5.util.TimeValue.ofSeconds(1)).build())
                .setMaxConnTotal(64).setMaxConnPerRoute(32)
                // Nagle's algorithm holds a multipart body's last small write until the server's delayed ACK (40 ms on
                // Linux): 40 ms lost per upload, measured against the embedded backend.
                .setDefaultSocketConfig(org.apache.hc.core5.http.io.SocketConfig.custom().setTcpNoDelay(true).build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                // Retries are decided per step with knowledge of the API; the library must not re-send a prompt.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("Reelbox/0.1")
                .build();
    }

    public AnonymousToken anonymousToken(String clientId) {
        HttpPost post = new HttpPost(url("/api/auth/anonymous-token"));
        post.setHeader("X-Client-Id", clientId);
        post.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));
        JsonNode data = json("token", post, null, readTimeout());
        String token = data.path("token").asText("");
        if (token.isBlank()) {
            throw ApiException.of(Failure.UNAVAILABLE, 200, null, "token: the answer held no token", null, null);
        }
        return new AnonymousToken(token, data.path("user_id").asText(data.path("userId").asText("")),
                data.path("expires_at").asText(data.path("expiresAt").asText("")));
    }

    /** Returns {@code [taskId, sessionId]}; the session id stays a string whatever its JSON type. */
    public String[] createSession(String token, String language) {
        ObjectNode body = JSON.createObjectNode().put("task_name", "project").put("language", language);
        JsonNode data = json("session", jsonPost("/api/tasks/me/with-session/nemo_agent", body), token, readTimeout());
        String sid = data.path("session_id").asText(data.path("sessionId").asText(""));
        if (sid.isBlank()) {
            throw ApiException.of(Failure.UNAVAILABLE, 200, null, "session: the answer held no session_id", null, null);
        }
        return new String[] {data.path("task_id").asText(data.path("taskId").asText("")), sid};
    }

    public List<UploadedFile> upload(String token, String sessionId, List<Path> files) {
        MultipartEntityBuilder multipart = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED);
        for (Path f : files) {
            multipart.addPart("files", new LargeBufferFileBody(f.toFile(), ContentType.APPLICATION_OCTET_STREAM, f.getFileName().toString()));
        }
        HttpPost post = new HttpPost(url("/api/upload-video/nemo_agent/me/" + segment(sessionId)));
        post.setEntity(multipart.build());
        return uploaded(json("upload", post, token, settings.duration("reelbox.api.upload-timeout")));
    }

    public List<UploadedFile> uploadUrls(String token, String sessionId, List<String> urls) {
        ObjectNode body = JSON.createObjectNode().put("source_type", "url");
        urls.forEach(body.putArray("urls")::add);
        return uploaded(json("upload", jsonPost("/api/upload-video/nemo_agent/me/" + segment(sessionId), body), token,
                settings.duration("reelbox.api.upload-timeout")));
    }

    /**
     * Sends a prompt and follows its stream to the end. Throws {@link StreamDroppedException} when the request may
     * have reached the agent but the stream did not end cleanly: never retry that, read the state.
     */
    public AgentTranscript prompt(String token, String sessionId, String prompt, String label) {
        ObjectNode body = JSON.createObjectNode().put("app_name", "nemo_agent").put("user_id", "me").put("session_id", sessionId);
        body.putObject("new_message").putArray("parts").addObject().put("text", prompt);
        HttpPost post = jsonPost("/run_sse", body);
        post.setHeader("Accept", "text/event-stream");
        Duration limit = settings.duration("reelbox.prompt.timeout");
        AgentStream stream = new AgentStream(label, settings.duration("reelbox.prompt.progress-interval"),
                settings.duration("reelbox.prompt.heartbeat-timeout"), clock);
        var started = new boolean[1];
        // A prompt must never be in doubt because of a stale pooled connection: a failure on a fresh connection
        // after the request went out really may have reached the agent, one on a stale connection did not.
        connections.closeIdle(org.apache.hc.core5.util.TimeValue.ZERO_MILLISECONDS);
        try {
            return send(post, token, limit, response -> {
                int status = response.getCode();
                if (status < 200 || status >= 300) {
                    throw ApiErrors.classify("prompt", status, ApiErrors.parse(body(response)), null, header(response, "Retry-After"));
                }
                Header type = response.getFirstHeader("Content-Type");
                if (type != null && type.getValue().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                    // Not a stream but an envelope: an error such as 1001 or 1002 answered with HTTP 200.
                    ApiErrors.unwrap("prompt", status, body(response), header(response, "Retry-After"));
                    throw ApiException.of(Failure.UNAVAILABLE, status, null, "prompt: the API answered JSON instead of a stream", null, null);
                }
                started[0] = true;
                HttpEntity entity = response.getEntity();
                if (entity != null) {
                    try (InputStream in = entity.getContent()) {
                        SseReader.read(in, stream::accept);
                    }
                }
                return stream.finish();
            });
        } catch (StreamDroppedException e) {
            throw e;
        } catch (ApiException e) {
            if (started[0] && e.is(Failure.UNAVAILABLE)) {
                // Keep-alives only past the limit: the run may still be going on the server.
                throw new StreamDroppedException(e.getMessage(), e);
            }
            throw e;
        } catch (IOException e) {
            if (!started[0] && neverConnected(e)) {
                throw ApiErrors.io("prompt", e);
            }
            throw new StreamDroppedException("prompt: the stream broke off (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** {@code data.state} of the session's latest state. */
    public JsonNode state(String token, String sessionId) {
        HttpGet get = new HttpGet(url("/api/state/nemo_agent/me/" + segment(sessionId) + "/latest"));
        JsonNode data = json("state", get, token, readTimeout());
        return data.has("state") ? data.get("state") : data;
    }

    public Credits credits(String token) {
        JsonNode data = json("credits", new HttpGet(url("/api/credits/balance/simple")), token, readTimeout());
        return new Credits(data.path("available").asDouble(0), data.path("frozen").asDouble(0), data.path("total").asDouble(0));
    }

    public void export(String token, String sessionId, String renderId, JsonNode draft) {
        ObjectNode body = JSON.createObjectNode().put("id", renderId).put("sessionId", sessionId);
        body.set("draft", draft);
        body.putObject("output").put("format", "mp4").put("quality", "high");
        json("export", jsonPost("/api/render/proxy/lambda", body), token, readTimeout());
    }

    /** The render's status, now. */
    public RenderStatus renderStatus(String token, String renderId) {
        return renderStatus(token, renderId, Duration.ZERO);
    }

    /**
     * The render's status, asking to be answered when the render ends or within {@code wait} ({@code Prefer: wait},
     * RFC 7240). The embedded backend holds the request that long, so a poll loop learns of the end at once without
     * pausing between polls; a server that does not know the preference ignores it and answers now.
     */
    public RenderStatus renderStatus(String token, String renderId, Duration wait) {
        HttpGet get = new HttpGet(url("/api/render/proxy/lambda/" + segment(renderId)));
        if (wait.toSeconds() > 0) {
            get.addHeader("Prefer", "wait=" + wait.toSeconds());
        }
        return RenderStatus.from(json("render status", get, token, readTimeout()));
    }

    public void cancel(String token, String renderId) {
        HttpPost post = new HttpPost(url("/api/render/proxy/lambda/" + segment(renderId) + "/cancel"));
        json("cancel", post, token, readTimeout());
    }

    public String fallbackDownloadUrl(String renderId) {
        return url("/api/render/proxy/" + segment(renderId) + "/download");
    }

    /**
     * Streams {@code url} into {@code target} (which must not exist). Returns the bytes written. The token is sent
     * only when the URL is on the API's own origin: a CDN never sees it.
     */
    public long download(String token, String url, Path target) {
        HttpGet get = new HttpGet(url);
        boolean sameOrigin = sameOrigin(url);
        try {
            return send(get, sameOrigin ? token : null, settings.duration("reelbox.api.download-timeout"), response -> {
                int status = response.getCode();
                if (status < 200 || status >= 300) {
                    throw ApiErrors.classify("download", status, ApiErrors.parse(body(response)), null, header(response, "Retry-After"));
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    throw ApiException.of(Failure.UNAVAILABLE, status, null, "download: the answer had no body", null, null);
                }
                try (InputStream in = entity.getContent(); OutputStream out = openTarget(target)) {
                    return copy(in, out);
                }
            });
        } catch (IOException e) {
            throw ApiErrors.io("download", e);
        }
    }

    /**
     * Writing the download to its target failed: the local disk, not the API. Kept apart from the API's failures so
     * that a full disk is never retried as a network fault.
     */
    public static final class TargetWriteFailed extends RuntimeException {

        TargetWriteFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }

        public IOException io() {
            return (IOException) getCause();
        }
    }

    private static OutputStream openTarget(Path target) {
        try {
            return Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new TargetWriteFailed(e);
        }
    }

    /** Copies the network's bytes to the file; a failed write is the disk's, a failed read the network's. */
    private static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; n += r) {
            try {
                out.write(buf, 0, r);
            } catch (IOException e) {
                throw new TargetWriteFailed(e);
            }
        }
        return n;
    }

    /** Aborts every request in flight: used when the daemon stops, so no thread stays blocked on a socket. */
    public void abortAll() {
        inFlight.forEach(HttpUriRequestBase::cancel);
    }

    @Override
    public void close() throws IOException {
        abortAll();
        http.close();
    }

    // --- plumbing ---

    private JsonNode json(String step, HttpUriRequestBase request, String token, Duration timeout) {
        try {
            return send(request, token, timeout,
                    response -> ApiErrors.unwrap(step, response.getCode(), body(response), header(response, "Retry-After")));
        } catch (IOException e) {
            throw ApiErrors.io(step, e);
        }
    }

    private interface Handler<T> {
        T handle(ClassicHttpResponse response) throws IOException;
    }

    private <T> T send(HttpUriRequestBase request, String token, Duration timeout, Handler<T> handler) throws IOException {
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        request.setHeader("X-Skill-Source", settings.get("reelbox.api.skill-source"));
        request.setHeader("X-Skill-Version", settings.get("reelbox.api.skill-version"));
        request.setHeader("X-Skill-Platform", settings.get("reelbox.api.skill-platform"));
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(timeout.toMillis())).build());
        inFlight.add(request);
        try {
            return http.execute(request, handler::handle);
        } finally {
            inFlight.remove(request);
        }
    }

    private HttpPost jsonPost(String path, JsonNode body) {
        HttpPost post = new HttpPost(url(path));
        post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
        return post;
    }

    private String url(String path) {
        String base = baseUrl.get();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private boolean sameOrigin(String url) {
        try {
            URI a = URI.create(url);
            URI b = URI.create(baseUrl.get());
            return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Duration readTimeout() {
        return settings.duration("reelbox.api.read-timeout");
    }

    private static boolean neverConnected(IOException e) {
        return e instanceof ConnectException || e instanceof HttpHostConnectException || e instanceof ConnectTimeoutException
                || e instanceof UnknownHostException || e instanceof NoRouteToHostException;
    }

    private static String segment(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<UploadedFile> uploaded(JsonNode data) {
        List<UploadedFile> files = new ArrayList<>();
        data.path("files").forEach(n -> files.add(UploadedFile.from(n)));
        return files;
    }

    private static String body(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return null;
        }
        try {
            return EntityUtils.toString(entity, MAX_ERROR_BODY);
        } catch (org.apache.hc.core5.http.ParseException e) {
            return null;
        }
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

}
