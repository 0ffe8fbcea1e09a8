package io.reelbox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback proxy in front of a NemoVideo API that injects random faults into a share of requests: 503s, 429s
 * (with and without Retry-After), 1001 (token) and dropped connections. Streams pass through as they come, so SSE
 * and downloads keep their shape. Faults are never injected into {@code /run_sse} after its request went through:
 * that would be a dropped stream, which the crash tests cover on purpose.
 */
public final class ChaosProxy implements AutoCloseable {

    private static final Set<String> HOP = Set.of("connection", "content-length", "transfer-encoding", "host", "upgrade", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final Random random;
    private final double rate;
    public final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

    public ChaosProxy(String target, double rate, long seed) throws IOException {
        this.target = target;
        this.rate = rate;
        this.random = new Random(seed);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int total() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            double roll;
            int kind;
            synchronized (random) {
                roll = random.nextDouble();
                kind = random.nextInt(5);
            }
            if (kind == 4 && path.equals("/run_sse")) {
                // A connection dropped after the prompt went out is a dropped stream, never resent: not chaos but a
                // different test (CrashResumeTest, ChainRecoveryTest).
                kind = 0;
            }
            if (roll < rate && !path.contains("anonymous-token")) {
                String name = switch (kind) {
                    case 0 -> "HTTP 503";
                    case 1 -> "429 with Retry-After";
                    case 2 -> "429 without Retry-After";
                    case 3 -> "1001";
                    default -> "connection dropped";
                };
                injected.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                ex.getRequestBody().readAllBytes();
                switch (kind) {
                    case 0 -> reply(ex, 503, "{\"detail\":\"chaos\"}");
                    case 1 -> {
                        ex.getResponseHeaders().add("Retry-After", "0");
                        reply(ex, 429, "");
                    }
                    case 2 -> reply(ex, 429, "");
                    case 3 -> reply(ex, 401, "{\"code\":1001,\"message\":\"token expired (chaos)\"}");
                    default -> {
                        // Closing the exchange without an answer drops the connection.
                    }
                }
                return;
            }
            forward(ex);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase())) {
                vs.forEach(v -> req.header(k, v));
            }
        });
        byte[] body = ex.getRequestBody().readAllBytes();
        req.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> r;
        try {
            r = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase())) {
                vs.forEach(v -> ex.getResponseHeaders().add(k, v));
            }
        });
        long length = r.headers().firstValueAsLong("content-length").orElse(0);
        ex.sendResponseHeaders(r.statusCode(), length > 0 ? length : 0);
        try (InputStream in = r.body(); OutputStream out = ex.getResponseBody()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
