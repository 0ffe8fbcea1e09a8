package io.reelbox.nemo;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.failure.Failure;

/**
 * Turns whatever the API answered into either the payload or a classified {@link ApiException}. The contract allows
 * two success envelopes, errors as HTTP status or as HTTP 200 with a non-zero code, and bodies that are not JSON at
 * all, so every branch here is defensive.
 */
public final class ApiErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private ApiErrors() {
    }

    /** Parses a body; {@code null} when it is empty or not JSON. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The {@code data} of a successful answer. A 2xx with an unreadable body is treated as transient: proxies and
     * overloaded servers produce exactly that, and a retry is the cure.
     */
    public static JsonNode unwrap(String step, int status, String body, String retryAfterHeader) {
        JsonNode root = parse(body);
        Integer code = apiCode(root);
        boolean envelopeFailed = root != null && root.has("success") && !root.path("success").asBoolean(true);
        if (status >= 200 && status < 300 && (code == null || code == 0) && !envelopeFailed) {
            if (root == null || !root.isObject()) {
                throw ApiException.of(Failure.UNAVAILABLE, status, null,
                        step + ": the API answered " + status + " with " + describeBody(body), null, null);
            }
            JsonNode data = root.get("data");
            return data != null && !data.isNull() ? data : root;
        }
        throw classify(step, status, root, body, retryAfterHeader);
    }

    public static ApiException classify(String step, int status, JsonNode root, String body, String retryAfterHeader) {
        Integer code = apiCode(root);
        String message = step + ": " + serverMessage(root, body, status);
        Failure kind = kind(status, code, message);
        Duration retryAfter = kind == Failure.RATE_LIMITED ? parseRetryAfter(retryAfterHeader) : null;
        return ApiException.of(kind, status, code != null && code != 0 ? code : null, message, retryAfter, null);
    }

    public static ApiException io(String step, IOException e) {
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage()));
        return ApiException.of(Failure.UNAVAILABLE, 0, null, step + ": " + what, null, e);
    }

    static Failure kind(int status, Integer code, String message) {
        if (code != null && code != 0) {
            switch (code) {
                case 1001: return Failure.TOKEN_INVALID;
                case 1002: return Failure.SESSION_NOT_FOUND;
                case 2001: return Failure.OUT_OF_CREDITS;
                case 4001: return Failure.UNSUPPORTED_FILE;
                case 4002: return Failure.FILE_TOO_LARGE;
                case 429: return Failure.RATE_LIMITED;
                default: break;
            }
        }
        if (status == 401) {
            return Failure.TOKEN_INVALID;
        }
        if (status == 404 && message.toLowerCase().contains("session not found")) {
            return Failure.SESSION_NOT_FOUND;
        }
        if (status == 402) {
            return Failure.EXPORT_BLOCKED;
        }
        if (status == 413) {
            return Failure.FILE_TOO_LARGE;
        }
        if (status == 415) {
            return Failure.UNSUPPORTED_FILE;
        }
        if (status == 429) {
            return Failure.RATE_LIMITED;
        }
        if (status == 507) {
            // Insufficient storage: the backend's disk is full (the embedded backend names it). Waiting will not cure it.
            return Failure.WORK_DIR_FULL;
        }
        if (status >= 500 || status == 408 || status == 0) {
            return Failure.UNAVAILABLE;
        }
        // Other 4xx, and HTTP 200 with a code we do not know: the server decided, a retry will not change it.
        return Failure.REJECTED;
    }

    static Integer apiCode(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        for (String field : new String[] {"code", "errorCode", "error_code"}) {
            JsonNode n = root.get(field);
            if (n != null && (n.isInt() || n.isLong())) {
                return n.asInt();
            }
            if (n != null && n.isTextual() && n.asText().matches("-?\\d{1,9}")) {
                return Integer.parseInt(n.asText());
            }
        }
        return null;
    }

    static String serverMessage(JsonNode root, String body, int status) {
        if (root != null && root.isObject()) {
            for (String field : new String[] {"message", "error", "detail", "errorMessage", "error_message", "msg"}) {
                JsonNode n = root.get(field);
                if (n != null && n.isTextual() && !n.asText().isBlank()) {
                    return (status >= 300 ? "HTTP " + status + ", " : "") + truncate(n.asText());
                }
                if (n != null && n.isObject() && n.has("message")) {
                    return (status >= 300 ? "HTTP " + status + ", " : "") + truncate(n.get("message").asText());
                }
            }
        }
        return "HTTP " + status + " with " + describeBody(body);
    }

    static String describeBody(String body) {
        if (body == null || body.isBlank()) {
            return "an empty body";
        }
        String t = body.strip();
        if (t.startsWith("<")) {
            return "an HTML page";
        }
        return "an unreadable body: " + truncate(t);
    }

    static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
    }

    /** {@code Retry-After} as seconds or an HTTP date; {@code null} when absent or unreadable. */
    static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(h)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
