package io.reelbox.local.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** The contract's envelopes ({@code code}, {@code message}, {@code data}) and how an answer is written. */
final class Answers {

    static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    /** Thrown after an error answer has been sent, to unwind the handler. */
    static final class Gone extends RuntimeException {
        Gone() {
            super(null, null, false, false);
        }
    }

    static ObjectNode ok(JsonNode data) {
        ObjectNode n = JSON.createObjectNode().put("code", 0).put("message", "success");
        n.set("data", data);
        return n;
    }

    static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message);
    }

    static ObjectNode detail(String detail) {
        return JSON.createObjectNode().put("detail", detail);
    }

    static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Sends and unwinds the handler: for an answer from deep inside it. */
    static Gone fail(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, body);
        throw new Gone();
    }

    static void trySend(HttpExchange ex, int status, JsonNode body) {
        try {
            send(ex, status, body);
        } catch (IOException | RuntimeException ignored) {
            // the response was already under way
        }
    }

    /**
     * Answers before the request body was read to its end: the connection cannot be reused, so the answer says so
     * and clients open a new one for their next call.
     */
    static Gone refuseUnread(HttpExchange ex, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        return fail(ex, 200, body);
    }

    static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : "";
    }

    static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(8 * 1024 * 1024);
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            throw fail(ex, 422, detail("body is not JSON"));
        }
    }
}
