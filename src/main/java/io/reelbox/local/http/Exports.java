package io.reelbox.local.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.reelbox.local.render.RenderQueue;
import io.reelbox.local.session.Session;
import io.reelbox.local.session.Sessions;

/** Export, render status (held until the end when asked), cancel and download: the contract's render endpoints. */
final class Exports {

    private static final ObjectMapper JSON = Answers.JSON;
    private static final Pattern PREFER_WAIT = Pattern.compile("(?i)\\bwait\\s*=\\s*(\\d{1,6})");
    private static final Duration MAX_HOLD = Duration.ofSeconds(10);

    private final Sessions sessions;
    private final RenderQueue renders;
    private final Links links;

    Exports(Sessions sessions, RenderQueue renders, Links links) {
        this.sessions = sessions;
        this.renders = renders;
        this.links = links;
    }

    void export(HttpExchange ex, String user) throws IOException {
        JsonNode body = Answers.readJson(ex);
        String id = body.path("id").asText("");
        Session s = LocalBackend.session(ex, sessions, body.path("sessionId").asText(""), user);
        JsonNode draft = body.get("draft");
        if (id.isBlank() || !id.matches("[A-Za-z0-9_.-]{1,100}")) {
            Answers.send(ex, 422, Answers.detail("id must be a unique name of letters, digits, '_', '-', '.'"));
            return;
        }
        if (draft == null || !draft.path("t").isArray()) {
            Answers.send(ex, 422, Answers.detail("draft with tracks (t) required"));
            return;
        }
        Map<String, Path> media = new LinkedHashMap<>();
        s.media().forEach(m -> media.put(m.id(), m.file()));
        if (!renders.submit(id, draft, media)) {
            Answers.send(ex, 200, Answers.error(409, "render id " + id + " is already taken: use a new id"));
            return;
        }
        Answers.send(ex, 200, Answers.ok(JSON.createObjectNode().put("id", id).put("status", "pending")));
    }

    void status(HttpExchange ex, String id) throws IOException {
        RenderQueue.Render r = renders.get(id);
        if (r == null) {
            Answers.send(ex, 404, Answers.detail("render not found: " + id));
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
            ObjectNode output = n.putObject("output").put("url", links.toRender(ex, r.id, r.output)).put("duration", r.duration)
                    .put("size", r.size);
            if (r.delivery != null) {
                output.set("delivery", r.delivery.json(JSON));
            }
        }
        if (r.error != null) {
            n.put("error", r.error);
        }
        Answers.send(ex, 200, n);
    }

    void cancel(HttpExchange ex, String id) throws IOException {
        renders.cancel(id);
        Answers.send(ex, 200, Answers.ok(JSON.createObjectNode().put("id", id).put("status", "cancelled")));
    }

    void download(HttpExchange ex, String id) throws IOException {
        RenderQueue.Render r = renders.get(id);
        if (r == null || r.output == null || !Files.exists(r.output)) {
            Answers.send(ex, 404, Answers.detail("no finished render " + id));
            return;
        }
        Links.serveFile(ex, r.output);
    }
}
