package io.reelbox.local.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.reelbox.local.plan.FollowUp;
import io.reelbox.local.plan.Planner;
import io.reelbox.local.session.Session;
import io.reelbox.local.session.Sessions;

/**
 * {@code /run_sse}: the agent as ADK events on a server-sent event stream, as the cloud's: the {@code plan_timeline}
 * tool call, its result, then the plan in plain words. The plan becomes the session's draft.
 */
final class Agent {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sessions sessions;
    private final Planner planner = new Planner();
    private final FollowUp followUp = new FollowUp();

    Agent(Sessions sessions) {
        this.sessions = sessions;
    }

    void run(HttpExchange ex, String user) throws IOException {
        JsonNode body = Answers.readJson(ex);
        String sid = body.path("session_id").asText("");
        StringBuilder prompt = new StringBuilder();
        for (JsonNode part : body.path("new_message").path("parts")) {
            prompt.append(part.path("text").asText(""));
        }
        if (sid.isEmpty() || prompt.toString().isBlank()) {
            Answers.send(ex, 422, Answers.detail("session_id and new_message.parts[].text are required"));
            return;
        }
        Session s = LocalBackend.session(ex, sessions, sid, user);
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String invocation = "e-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        ObjectNode call = event(invocation);
        call.putObject("content").put("role", "model").putArray("parts").addObject().putObject("functionCall")
                .put("id", "plan-1").put("name", "plan_timeline").putObject("args").put("media", s.media().size());
        sse(out, call);
        // A session that has a draft is edited by the next prompt, as the cloud's agent keeps its timeline state.
        Planner.Plan previous = sessions.plan(s);
        Planner.Plan plan = previous != null
                ? followUp.apply(prompt.toString(), s.language(), List.copyOf(s.media()), previous)
                : planner.plan(prompt.toString(), s.language(), List.copyOf(s.media()));
        if (plan.draft() != null) {
            sessions.plan(s, plan);
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

    private static ObjectNode event(String invocation) {
        return Answers.JSON.createObjectNode().put("author", "nemo_agent").put("invocationId", invocation)
                .put("id", HexFormat.of().formatHex(RANDOM.generateSeed(4))).put("timestamp", System.currentTimeMillis() / 1000.0);
    }

    private static void sse(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + event.toString() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
