package io.reelbox.nemo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.failure.Failure;

/**
 * Interprets the payloads of one {@code /run_sse} run. Accepts ADK events (camelCase and snake_case), the vendor's
 * {@code {"type":…}} variant and keep-alives; raises in-stream errors as {@link ApiException}s. Not thread-safe: one
 * instance per run.
 */
public final class AgentStream {

    private static final Logger LOG = LoggerFactory.getLogger(AgentStream.class);
    private static final String TEMPORARY_ISSUE = "i encountered a temporary issue";

    private final String label;
    private final Duration progressEvery;
    private final Duration heartbeatLimit;
    private final Clock clock;

    private final List<String> replies = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private int toolCalls;
    private int toolResults;
    private int heartbeats;
    private int events;
    private Instant lastWork;
    private Instant lastProgressLog;

    public AgentStream(String label, Duration progressEvery, Duration heartbeatLimit, Clock clock) {
        this.label = label;
        this.progressEvery = progressEvery;
        this.heartbeatLimit = heartbeatLimit;
        this.clock = clock;
        this.lastWork = clock.instant();
        this.lastProgressLog = lastWork;
    }

    public void accept(String payload) {
        events++;
        String p = payload.strip();
        if (p.isEmpty()) {
            heartbeat();
            return;
        }
        JsonNode node = ApiErrors.parse(p);
        if (node == null || !node.isObject()) {
            if (p.toLowerCase(Locale.ROOT).contains("error")) {
                throw agentError(null, ApiErrors.truncate(p));
            }
            LOG.debug("{}: ignoring unreadable stream payload", label);
            return;
        }
        String type = node.path("type").asText("");
        if ("heartbeat".equals(type)) {
            heartbeat();
            return;
        }
        checkError(node);
        lastWork = clock.instant();
        switch (type) {
            case "text" -> addReply(node.path("content").asText(node.path("text").asText("")), false);
            case "tool_call" -> {
                toolCalls++;
                LOG.debug("{}: tool call {}", label, node.path("name").asText());
            }
            case "tool_result" -> toolResults++;
            default -> adkEvent(node);
        }
    }

    public AgentTranscript finish() {
        if (partial.length() > 0) {
            // The stream ended inside a streamed reply: the fragments are all the text there is.
            replies.add(partial.toString().strip());
            partial.setLength(0);
        }
        List<String> kept = new ArrayList<>(replies);
        if (kept.size() > 1 && kept.get(kept.size() - 1).toLowerCase(Locale.ROOT).startsWith(TEMPORARY_ISSUE)) {
            kept.remove(kept.size() - 1);
        }
        return new AgentTranscript(List.copyOf(kept), toolCalls, toolResults, heartbeats, events);
    }

    private void heartbeat() {
        heartbeats++;
        Instant now = clock.instant();
        if (Duration.between(lastWork, now).compareTo(heartbeatLimit) >= 0) {
            throw ApiException.of(Failure.UNAVAILABLE, 0, null,
                    "prompt: only keep-alives for " + heartbeatLimit.toSeconds() + " s, treating the run as timed out",
                    null, null);
        }
        if (Duration.between(lastProgressLog, now).compareTo(progressEvery) >= 0) {
            lastProgressLog = now;
            LOG.info("{}: still working…", label);
        }
    }

    private void adkEvent(JsonNode node) {
        JsonNode content = node.path("content");
        JsonNode parts = content.path("parts");
        boolean isPartial = node.path("partial").asBoolean(false);
        String author = node.path("author").asText("");
        if (!parts.isArray()) {
            if (content.isTextual()) {
                addReply(content.asText(), isPartial);
            }
            return;
        }
        for (JsonNode part : parts) {
            if (part.has("functionCall") || part.has("function_call")) {
                toolCalls++;
                LOG.debug("{}: tool call {}", label, part.path("functionCall").path("name").asText(part.path("function_call").path("name").asText()));
            } else if (part.has("functionResponse") || part.has("function_response")) {
                toolResults++;
            } else if (part.path("thought").asBoolean(false)) {
                LOG.debug("{}: skipping a thought", label);
            } else if (part.hasNonNull("text")) {
                String text = part.get("text").asText();
                if ("system".equals(author) && text.strip().startsWith("Error:")) {
                    throw agentError(null, ApiErrors.truncate(text.strip()));
                }
                addReply(text, isPartial);
            }
        }
    }

    private void addReply(String text, boolean isPartial) {
        if (isPartial) {
            partial.append(text);
            return;
        }
        // A complete event repeats everything its partial chunks said: it replaces them, never adds to them.
        partial.setLength(0);
        if (!text.isBlank()) {
            replies.add(text.strip());
        }
    }

    private void checkError(JsonNode node) {
        JsonNode error = node.get("error");
        Integer code = ApiErrors.apiCode(node);
        String errorMessage = node.path("errorMessage").asText(node.path("error_message").asText(""));
        if (error != null && !error.isNull() && !(error.isBoolean() && !error.asBoolean())) {
            String msg = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
            JsonNode details = node.get("error_details");
            if (details != null && details.isObject() && code == null) {
                code = ApiErrors.apiCode(details);
            }
            throw agentError(code, ApiErrors.truncate(msg));
        }
        if ((code != null && code != 0) || !errorMessage.isBlank()) {
            throw agentError(code, ApiErrors.truncate(errorMessage.isBlank() ? "error " + code : errorMessage));
        }
    }

    private ApiException agentError(Integer code, String message) {
        Failure kind = code == null ? Failure.AGENT_ERROR : ApiErrors.kind(200, code, message);
        if (kind == Failure.REJECTED || kind == Failure.UNAVAILABLE) {
            kind = Failure.AGENT_ERROR;
        }
        return ApiException.of(kind, 0, code, "prompt: the agent reported an error: " + message, null, null);
    }
}
