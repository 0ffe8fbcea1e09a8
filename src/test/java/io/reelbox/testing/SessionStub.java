package io.reelbox.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A slow NemoVideo API on loopback (WireMock) that, unlike {@link NemoStub}, keeps real per-session state: each
 * session gets its own id, its state shows a draft only once a prompt reached it, and each render completes a set
 * time after its export. It counts prompts per session, so a test can prove that no prompt was sent twice to one
 * session across nodes, kills and takeovers.
 */
public final class SessionStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer server;
    private final AtomicInteger sessions = new AtomicInteger();
    public final Map<String, AtomicInteger> promptsPerSession = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> exportsPerRender = new ConcurrentHashMap<>();
    private final Map<String, Long> exportedAt = new ConcurrentHashMap<>();
    private final long promptMillis;
    private final long renderMillis;

    public SessionStub(long promptMillis, long renderMillis) {
        this.promptMillis = promptMillis;
        this.renderMillis = renderMillis;
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(64).extensions(new Api()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The most prompts any one session received. */
    public int maxPromptsPerSession() {
        return promptsPerSession.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    public int prompts() {
        return promptsPerSession.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "sessions";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request req = event.getRequest();
            String path = req.getUrl().replaceFirst("\\?.*", "");
            String method = req.getMethod().getName();
            return answer(method, path, req).build();
        }

        private ResponseDefinitionBuilder answer(String method, String path, Request req) {
            if (method.equals("POST") && path.equals("/api/auth/anonymous-token")) {
                return NemoStub.ok("{\"token\":\"" + NemoStub.TOKEN + "\",\"user_id\":\"anon\",\"expires_at\":\"2099-01-01T00:00:00Z\",\"credits\":100000}");
            }
            if (method.equals("POST") && path.equals("/api/tasks/me/with-session/nemo_agent")) {
                String id = String.format("%030d", sessions.incrementAndGet());
                return NemoStub.ok("{\"task_id\":\"task_" + id + "\",\"session_id\":\"" + id + "\"}");
            }
            if (method.equals("POST") && path.startsWith("/api/upload-video/nemo_agent/me/")) {
                return NemoStub.ok("{\"files\":[{\"filename\":\"a.jpg\",\"file_type\":\"image\",\"cdn_url\":\"https://cdn/a.jpg\",\"width\":640,\"height\":360}],\"session_state_applied\":true}")
                        .withFixedDelay(50);
            }
            if (method.equals("GET") && path.startsWith("/api/state/nemo_agent/me/") && path.endsWith("/latest")) {
                String session = path.split("/")[5];
                return promptsPerSession.containsKey(session) ? NemoStub.ok("{\"state\":{\"draft\":" + NemoStub.DRAFT + "}}")
                        : NemoStub.ok("{\"state\":{\"draft\":null,\"video_infos\":[]}}");
            }
            if (method.equals("POST") && path.equals("/run_sse")) {
                String session = body(req).path("session_id").asText();
                promptsPerSession.computeIfAbsent(session, s -> new AtomicInteger()).incrementAndGet();
                return NemoStub.sse(NemoStub.adkToolCall(), NemoStub.adkToolResult(), "", NemoStub.adkText("Done: 3 tracks, 10 s."))
                        .withFixedDelay((int) promptMillis);
            }
            if (method.equals("GET") && path.equals("/api/credits/balance/simple")) {
                return NemoStub.ok("{\"available\":100000,\"frozen\":0,\"total\":100000}");
            }
            if (method.equals("POST") && path.equals("/api/render/proxy/lambda")) {
                String id = body(req).path("id").asText();
                exportsPerRender.computeIfAbsent(id, r -> new AtomicInteger()).incrementAndGet();
                exportedAt.putIfAbsent(id, System.currentTimeMillis());
                return NemoStub.ok("{\"id\":\"" + id + "\",\"status\":\"pending\"}");
            }
            if (method.equals("GET") && path.startsWith("/api/render/proxy/lambda/")) {
                String id = path.substring("/api/render/proxy/lambda/".length());
                Long at = exportedAt.get(id);
                if (at == null) {
                    return NemoStub.json("{\"code\":4001,\"message\":\"no such render\"}").withStatus(404);
                }
                long elapsed = System.currentTimeMillis() - at;
                if (elapsed < renderMillis) {
                    return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"processing\",\"progress\":" + (elapsed * 100 / renderMillis) + "}");
                }
                return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\""
                        + baseUrl() + "/files/" + id + ".mp4\",\"duration\":10.0,\"size\":" + NemoStub.MP4.length + "}}");
            }
            if (method.equals("GET") && path.startsWith("/files/")) {
                return aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody(NemoStub.MP4);
            }
            return aResponse().withStatus(404);
        }

        private JsonNode body(Request req) {
            try {
                return JSON.readTree(req.getBodyAsString());
            } catch (Exception e) {
                return JSON.createObjectNode();
            }
        }
    }
}
