package io.reelbox.guard;

import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@link BrowserGuard} in front of every route of the operations server, before any body is read, so a refused
 * upload never reaches the disk. It also makes sure that no answer grants CORS and that no other site can frame the
 * dashboard (a framed page's clicks would be same-origin).
 */
public final class GuardHandler implements Handler<RoutingContext> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrowserGuard guard;
    private final MeterRegistry meters;
    private final RefusalLog log = new RefusalLog(LoggerFactory.getLogger(GuardHandler.class), "The operations server",
            System::currentTimeMillis);

    public GuardHandler(BrowserGuard guard, MeterRegistry meters) {
        this.guard = guard;
        this.meters = meters;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ctx.addHeadersEndHandler(v -> harden(ctx.response().headers()));
        var refusal = guard.check(new BrowserGuard.Request(request.method().name(), ctx.normalizedPath(),
                host(request), request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site")));
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        Refusal r = refusal.get();
        log.refused(request.method().name(), ctx.normalizedPath(), r);
        Counter.builder("reelbox.http.refused").description("Requests refused as coming from another web page or an unknown host name")
                .tag("check", r.check()).register(meters).increment();
        // The body was never read: the connection cannot carry another request after this answer.
        ctx.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").putHeader("Connection", "close")
                .end(JSON.createObjectNode().put("error", r.error()).put("check", r.check()).put("message", r.message()).toString());
    }

    /** HTTP/1.1's Host header; on HTTP/2 (Java's HttpClient upgrades to h2c) the {@code :authority} stands for it. */
    private static String host(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host == null && request.version() == HttpVersion.HTTP_2 && request.authority() != null) {
            return request.authority().toString();
        }
        return host;
    }

    private static void harden(MultiMap headers) {
        headers.names().stream().filter(n -> n.regionMatches(true, 0, "Access-Control-Allow-", 0, 21)).toList()
                .forEach(headers::remove);
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", "frame-ancestors 'none'");
        headers.set("X-Content-Type-Options", "nosniff");
    }
}
