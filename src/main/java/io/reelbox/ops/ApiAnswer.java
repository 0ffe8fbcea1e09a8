package io.reelbox.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An answer of the job API: the HTTP status and the JSON body (errors carry {@code error} and {@code message}). */
public record ApiAnswer(int status, ObjectNode body) {

    public static ApiAnswer ok(ObjectNode body) {
        return new ApiAnswer(200, body);
    }

    public static ApiAnswer accepted(ObjectNode body) {
        return new ApiAnswer(202, body);
    }

    public static ApiAnswer error(int status, String error, String message) {
        return new ApiAnswer(status, JobBoard.JSON.createObjectNode().put("error", error).put("message", message));
    }
}
