package io.reelbox.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the API answers at all. Any HTTP answer counts (the root of the API may well be a 404); a refused
 * connection or a timeout does not. No token is sent, so nothing secret leaves for a health probe. With several
 * render nodes, the daemon is ready while one of them answers; each node's answer is in the details.
 */
public final class BackendCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<String> urls;

    public BackendCheck(List<String> urls) {
        super("reelbox", "backend");
        this.urls = List.copyOf(urls);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("url", String.join(", ", urls));
        List<String> silent = new ArrayList<>();
        for (String url : urls) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                builder.detail(urls.size() == 1 ? "http_status" : "http_status " + url, r.statusCode());
            } catch (IOException e) {
                silent.add("the API at " + url + " does not answer: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                silent.add("interrupted");
                break;
            }
        }
        if (silent.size() == urls.size()) {
            builder.down().message(String.join("; ", silent));
        } else {
            builder.up();
            if (!silent.isEmpty()) {
                builder.detail("down", String.join("; ", silent));
            }
        }
    }
}
