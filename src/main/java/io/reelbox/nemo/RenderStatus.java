package io.reelbox.nemo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One render-status answer, from either documented shape: top-level {@code {taskId,status,progress,output{url,…}}} or
 * {@code {success,data{id,status,progress,outputUrl}}}. {@code size} is -1 when not announced. {@code delivery} is what
 * the embedded backend measured of the finished video (null from servers that do not say).
 */
public record RenderStatus(String status, int progress, String url, long size, double durationSeconds, String error,
                           JsonNode delivery) {

    public boolean completed() {
        return "completed".equalsIgnoreCase(status) || "succeeded".equalsIgnoreCase(status) || "success".equalsIgnoreCase(status);
    }

    public boolean failed() {
        return "failed".equalsIgnoreCase(status) || "error".equalsIgnoreCase(status) || "cancelled".equalsIgnoreCase(status);
    }

    /** {@code node} is what {@link ApiErrors#unwrap} returned: {@code data} when there was one, else the root. */
    public static RenderStatus from(JsonNode node) {
        JsonNode output = node.path("output");
        String url = firstText(output.path("url"), node.path("outputUrl"), node.path("output_url"), node.path("url"));
        long size = output.path("size").asLong(node.path("size").asLong(-1));
        double duration = output.path("duration").asDouble(node.path("duration").asDouble(0));
        JsonNode err = node.path("error");
        String error = err.isTextual() ? err.asText() : err.isObject() ? err.path("message").asText(err.toString()) : null;
        double progress = node.path("progress").asDouble(0);
        // Some servers report progress as a fraction, others as a percentage.
        int pct = (int) Math.round(progress <= 1.0 && progress > 0 ? progress * 100 : progress);
        JsonNode delivery = output.path("delivery");
        return new RenderStatus(node.path("status").asText("pending"), pct, url, size <= 0 ? -1 : size, duration, error,
                delivery.isObject() ? delivery : null);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual() && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return null;
    }
}
