package io.reelbox.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the API answers at all. Any HTTP answer counts (the root of the API may well be a 404); a refused
 * connection or a timeout does not. No token is sent, so nothing secret leaves for a health probe.
 */
public final class BackendCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String baseUrl;

    public BackendCheck(String baseUrl) {
        super("reelbox", "backend");
        this.baseUrl = baseUrl;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("url", baseUrl);
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            builder.up().detail("http_status", r.statusCode());
        } catch (IOException e) {
            builder.down().message("The API at " + baseUrl + " does not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down().message("interrupted");
        }
    }
}
