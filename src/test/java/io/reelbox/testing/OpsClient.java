package io.reelbox.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Talks to a daemon's operations server the way any HTTP client would, at the address it announced in http.json. */
public final class OpsClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    public final String base;
    private final String auth;

    public OpsClient(String base, String auth) {
        this.base = base;
        this.auth = auth;
    }

    /** The daemon's server, once it has written {@code <work-dir>/http.json}. */
    public static OpsClient of(Daemon daemon) throws IOException {
        return of(daemon.workDir);
    }

    /** The server of the daemon whose work dir this is (a child JVM's too). */
    public static OpsClient of(Path workDir) throws IOException {
        Path file = workDir.resolve("http.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        return new OpsClient(JSON.readTree(file.toFile()).get("url").asText(), null);
    }

    public OpsClient withPassword(String user, String password) {
        return new OpsClient(base, "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> bytes(String path, String... headers) throws IOException, InterruptedException {
        return http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(request(path, "Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public java.util.concurrent.CompletableFuture<HttpResponse<String>> postAsync(String path) {
        return http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }
}
