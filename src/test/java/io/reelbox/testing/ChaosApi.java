package io.reelbox.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * A strict, stateful NemoVideo API on loopback that injects faults on a schedule (the n-th call to an endpoint gets
 * the fault planned for it), or at random, or none at a real API's pace (the cluster tests). Strict like the cloud: a token the API rejected stays rejected (and a token may be made
 * to expire after a number of calls), a lost session stays lost, a prompt that reached a session puts a draft in its
 * state, and a render fails only when told. It counts what it did (faults injected, tokens issued, sessions opened,
 * prompts per session, renders accepted), so a test proves its faults happened and checks the client's behaviour.
 */
public final class ChaosApi implements AutoCloseable {

    public enum Endpoint { TOKEN, SESSION, UPLOAD, PROMPT, STATE, EXPORT, STATUS, DOWNLOAD }

    public enum Fault {
        TOKEN_200("1001 in a 200"), TOKEN_401("1001 in a 401"), SESSION_LOST("1002"), RATE_LIMIT_AFTER("429 Retry-After: 0"),
        RATE_LIMIT("429"), SERVER_ERROR("503"), RESET("connection reset"), STREAM_DROP("stream dropped after the prompt"),
        RENDER_FAILED("render failed");

        public final String what;

        Fault(String what) {
            this.what = what;
        }

        /** The endpoints where this fault can happen. */
        public List<Endpoint> places() {
            List<Endpoint> session = List.of(Endpoint.UPLOAD, Endpoint.PROMPT, Endpoint.STATE, Endpoint.EXPORT, Endpoint.STATUS);
            return switch (this) {
                case TOKEN_200, TOKEN_401 -> List.of(Endpoint.SESSION, Endpoint.UPLOAD, Endpoint.PROMPT, Endpoint.STATE, Endpoint.EXPORT, Endpoint.STATUS);
                case SESSION_LOST -> session;
                case RATE_LIMIT_AFTER, RATE_LIMIT, SERVER_ERROR -> List.of(Endpoint.values());
                // A reset of the prompt after it was sent is a dropped stream (STREAM_DROP), which the agent did get.
                case RESET -> List.of(Endpoint.TOKEN, Endpoint.SESSION, Endpoint.UPLOAD, Endpoint.STATE, Endpoint.EXPORT, Endpoint.STATUS, Endpoint.DOWNLOAD);
                case STREAM_DROP -> List.of(Endpoint.PROMPT);
                case RENDER_FAILED -> List.of(Endpoint.STATUS);
            };
        }
    }

    /** The {@code nth} call (from 0) to {@code at} gets {@code fault}. */
    public record Injection(Endpoint at, int nth, Fault fault) {
        @Override
        public String toString() {
            return fault.what + " on " + at.name().toLowerCase() + " call " + nth;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer server;
    private final long renderMillis;
    private List<Injection> schedule = List.of();
    private int tokenLifetime;
    private java.util.Random chaos;
    private double chaosRate;
    private long promptMillis;
    private long uploadMillis;
    private final Map<Endpoint, Integer> calls = new EnumMap<>(Endpoint.class);
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final Map<String, Integer> tokenUses = new HashMap<>();
    private final Set<String> liveSessions = new HashSet<>();
    private final Map<String, Integer> promptsPerSession = new HashMap<>();
    private final Map<String, Long> acceptedRenders = new HashMap<>();
    private final Map<String, Integer> exportsPerRender = new HashMap<>();
    private final Set<String> failedRenders = new HashSet<>();
    private final List<String> log = new ArrayList<>();
    private int tokensIssued;
    private int tokensExpired;
    private int sessionsOpened;
    private int tokenSeq;
    private int sessionSeq;

    public ChaosApi(long renderMillis) {
        this.renderMillis = renderMillis;
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(32).extensions(new Api()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * A new schedule, with every count at zero. Tokens and sessions the API knows stay valid, as a real API's do
     * between two batches of jobs. {@code tokenLifetime}: calls a token serves before it expires (0: forever).
     */
    public synchronized void plan(List<Injection> schedule, int tokenLifetime) {
        this.schedule = List.copyOf(schedule);
        this.tokenLifetime = tokenLifetime;
        calls.clear();
        injected.clear();
        promptsPerSession.clear();
        acceptedRenders.clear();
        exportsPerRender.clear();
        log.clear();
        tokensIssued = 0;
        tokensExpired = 0;
        sessionsOpened = 0;
        tokenUses.replaceAll((t, n) -> 0);
    }

    /** An API at a real one's pace, with no fault: a prompt takes {@code promptMillis}, a render {@code renderMillis}. */
    public static ChaosApi paced(long promptMillis, long renderMillis) {
        ChaosApi api = new ChaosApi(renderMillis);
        api.pace(promptMillis, 50);
        return api;
    }

    /** Prompts and uploads take time, as a real API's do. */
    public synchronized void pace(long promptMillis, long uploadMillis) {
        this.promptMillis = promptMillis;
        this.uploadMillis = uploadMillis;
    }

    /** Besides the schedule, each call gets a fault that fits its endpoint with probability {@code rate} (seeded). */
    public synchronized void chaos(double rate, long seed) {
        this.chaos = new java.util.Random(seed);
        this.chaosRate = rate;
    }

    /** A session the API knows without anyone having opened it (what a node that died left behind). */
    public synchronized void openSession(String id) {
        liveSessions.add(id);
    }

    /** The prompts that reached {@code session}. */
    public synchronized int prompts(String session) {
        return promptsPerSession.getOrDefault(session, 0);
    }

    /** The most export calls any one render id got (a redelivered export repeats its id). */
    public synchronized int maxExportsPerRender() {
        return exportsPerRender.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Faults injected by kind. */
    public synchronized Map<Fault, Integer> injected() {
        return new EnumMap<>(injected);
    }

    public synchronized int prompts() {
        return promptsPerSession.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized int injected(Fault f) {
        return injected.getOrDefault(f, 0);
    }

    public synchronized int injectedTotal() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    /** Tokens that expired by their lifetime (the 1001s the schedule did not place). */
    public synchronized int tokensExpired() {
        return tokensExpired;
    }

    public synchronized int sessionsOpened() {
        return sessionsOpened;
    }

    public synchronized int maxPromptsPerSession() {
        return promptsPerSession.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Distinct renders the API accepted (an export repeated under the same id is one). */
    public synchronized int rendersAccepted() {
        return acceptedRenders.size();
    }

    /** What happened, call by call, for a failure's message. */
    public synchronized String log() {
        return String.join("\n", log);
    }

    @Override
    public void close() {
        server.stop();
    }

    private synchronized ResponseDefinitionBuilder answer(Endpoint at, String path, Request req) {
        int nth = calls.merge(at, 1, Integer::sum) - 1;
        String token = bearer(req);
        for (Injection i : schedule) {
            if (i.at() == at && i.nth() == nth) {
                injected.merge(i.fault(), 1, Integer::sum);
                log.add(at + " #" + nth + ": " + i.fault().what);
                return inject(i.fault(), token, at, path, req);
            }
        }
        if (chaos != null && chaos.nextDouble() < chaosRate) {
            List<Fault> fit = java.util.Arrays.stream(Fault.values()).filter(f -> f.places().contains(at)).toList();
            Fault f = fit.get(chaos.nextInt(fit.size()));
            injected.merge(f, 1, Integer::sum);
            return inject(f, token, at, path, req);
        }
        if (at != Endpoint.TOKEN && !(at == Endpoint.DOWNLOAD && path.startsWith("/files/"))) {
            Integer uses = token == null ? null : tokenUses.get(token);
            if (uses == null) {
                log.add(at + " #" + nth + ": 1001 (token unknown or rejected before)");
                return apiError(401, 1001, "token expired or invalid");
            }
            if (tokenLifetime > 0 && uses >= tokenLifetime) {
                tokenUses.remove(token);
                tokensExpired++;
                log.add(at + " #" + nth + ": 1001 (token expired after " + uses + " calls)");
                return apiError(200, 1001, "token expired");
            }
            tokenUses.put(token, uses + 1);
        }
        String session = session(at, path, req);
        if (session != null && !liveSessions.contains(session)) {
            log.add(at + " #" + nth + ": 1002 (session " + session + " lost before)");
            return apiError(404, 1002, "Session not found: " + session);
        }
        log.add(at + " #" + nth + ": ok");
        return normal(at, path, req, session);
    }

    private ResponseDefinitionBuilder inject(Fault f, String token, Endpoint at, String path, Request req) {
        switch (f) {
            case TOKEN_200, TOKEN_401 -> {
                tokenUses.remove(token);
                return apiError(f == Fault.TOKEN_200 ? 200 : 401, 1001, "token expired");
            }
            case SESSION_LOST -> {
                // A render status names no session: the client gives its session up all the same.
                liveSessions.remove(session(at, path, req));
                return apiError(404, 1002, "Session not found");
            }
            case RATE_LIMIT_AFTER -> {
                return aResponse().withStatus(429).withHeader("Retry-After", "0").withBody("{\"detail\":\"slow down\"}");
            }
            case RATE_LIMIT -> {
                return aResponse().withStatus(429).withBody("{\"detail\":\"slow down\"}");
            }
            case SERVER_ERROR -> {
                return aResponse().withStatus(503).withBody("<html>busy</html>");
            }
            case RESET -> {
                return aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
            }
            case STREAM_DROP -> {
                // The prompt reached the agent, which edits the session; then the stream breaks off.
                String session = body(req).path("session_id").asText();
                promptsPerSession.merge(session, 1, Integer::sum);
                return aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK);
            }
            case RENDER_FAILED -> {
                String id = path.substring(path.lastIndexOf('/') + 1);
                failedRenders.add(id);
                return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"failed\",\"progress\":0,\"error\":\"gpu lost\"}");
            }
            default -> throw new IllegalStateException(f.name());
        }
    }

    private ResponseDefinitionBuilder normal(Endpoint at, String path, Request req, String session) {
        switch (at) {
            case TOKEN -> {
                String token = "nmv_usr_chaos_" + (++tokenSeq);
                tokenUses.put(token, 0);
                tokensIssued++;
                return NemoStub.ok("{\"token\":\"" + token + "\",\"user_id\":\"anon\",\"expires_at\":\"2099-01-01T00:00:00Z\",\"credits\":100000}");
            }
            case SESSION -> {
                String id = String.format("%030d", ++sessionSeq);
                liveSessions.add(id);
                sessionsOpened++;
                return NemoStub.ok("{\"task_id\":\"task_" + id + "\",\"session_id\":\"" + id + "\"}");
            }
            case UPLOAD -> {
                return NemoStub.ok("{\"files\":[{\"filename\":\"a.mp4\",\"file_type\":\"video\",\"cdn_url\":\"https://cdn/a.mp4\",\"width\":640,\"height\":360}],\"session_state_applied\":true}")
                        .withFixedDelay((int) uploadMillis);
            }
            case STATE -> {
                return promptsPerSession.containsKey(session) ? NemoStub.ok("{\"state\":{\"draft\":" + NemoStub.DRAFT + "}}")
                        : NemoStub.ok("{\"state\":{\"draft\":null,\"video_infos\":[]}}");
            }
            case PROMPT -> {
                promptsPerSession.merge(session, 1, Integer::sum);
                return NemoStub.sse(NemoStub.adkToolCall(), NemoStub.adkToolResult(), "", NemoStub.adkText("Done: 3 tracks, 10 s."))
                        .withFixedDelay((int) promptMillis);
            }
            case EXPORT -> {
                String id = body(req).path("id").asText();
                acceptedRenders.putIfAbsent(id, System.currentTimeMillis());
                exportsPerRender.merge(id, 1, Integer::sum);
                return NemoStub.ok("{\"id\":\"" + id + "\",\"status\":\"pending\"}");
            }
            case STATUS -> {
                String id = path.substring(path.lastIndexOf('/') + 1);
                Long at0 = acceptedRenders.get(id);
                if (at0 == null) {
                    return NemoStub.json("{\"code\":4001,\"message\":\"no such render\"}").withStatus(404);
                }
                if (failedRenders.contains(id)) {
                    return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"failed\",\"progress\":0,\"error\":\"gpu lost\"}");
                }
                long elapsed = System.currentTimeMillis() - at0;
                if (elapsed < renderMillis) {
                    return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"processing\",\"progress\":" + (elapsed * 100 / renderMillis) + "}");
                }
                return NemoStub.json("{\"taskId\":\"" + id + "\",\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\""
                        + baseUrl() + "/files/" + id + ".mp4\",\"duration\":10.0,\"size\":" + NemoStub.MP4.length + "}}");
            }
            case DOWNLOAD -> {
                return aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody(NemoStub.MP4);
            }
            default -> throw new IllegalStateException(at.name());
        }
    }

    /** The session a call names, in its path or its body; null for calls that name none. */
    private static String session(Endpoint at, String path, Request req) {
        String[] seg = path.split("/");
        return switch (at) {
            case UPLOAD -> seg.length > 5 ? seg[5] : null;
            case STATE -> seg.length > 5 ? seg[5] : null;
            case PROMPT -> body(req).path("session_id").asText(null);
            case EXPORT -> body(req).path("sessionId").asText(null);
            default -> null;
        };
    }

    private static ResponseDefinitionBuilder apiError(int status, int code, String message) {
        return NemoStub.json("{\"code\":" + code + ",\"message\":\"" + message + "\"}").withStatus(status);
    }

    private static String bearer(Request req) {
        String h = req.getHeader("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7) : null;
    }

    private static JsonNode body(Request req) {
        try {
            return JSON.readTree(req.getBodyAsString());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static Endpoint endpoint(String method, String path) {
        if (method.equals("POST") && path.equals("/api/auth/anonymous-token")) {
            return Endpoint.TOKEN;
        } else if (method.equals("POST") && path.equals("/api/tasks/me/with-session/nemo_agent")) {
            return Endpoint.SESSION;
        } else if (method.equals("POST") && path.startsWith("/api/upload-video/nemo_agent/me/")) {
            return Endpoint.UPLOAD;
        } else if (method.equals("POST") && path.equals("/run_sse")) {
            return Endpoint.PROMPT;
        } else if (method.equals("GET") && path.startsWith("/api/state/nemo_agent/me/")) {
            return Endpoint.STATE;
        } else if (method.equals("POST") && path.equals("/api/render/proxy/lambda")) {
            return Endpoint.EXPORT;
        } else if (method.equals("GET") && path.startsWith("/api/render/proxy/lambda/")) {
            return Endpoint.STATUS;
        } else if (method.equals("GET") && (path.startsWith("/files/") || path.endsWith("/download"))) {
            return Endpoint.DOWNLOAD;
        }
        return null;
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "chaos";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request req = event.getRequest();
            String path = req.getUrl().replaceFirst("\\?.*", "");
            Endpoint at = endpoint(req.getMethod().getName(), path);
            if (at == null) {
                return aResponse().withStatus(404).build();
            }
            return answer(at, path, req).build();
        }
    }
}
