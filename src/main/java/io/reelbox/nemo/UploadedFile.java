package io.reelbox.nemo;

import com.fasterxml.jackson.databind.JsonNode;

/** One entry of {@code data.files[]} from an upload. Numbers are 0 when the server did not say. */
public record UploadedFile(String filename, String fileType, String cdnUrl, double duration, int width, int height) {

    static UploadedFile from(JsonNode n) {
        return new UploadedFile(n.path("filename").asText(null), n.path("file_type").asText(n.path("fileType").asText(null)),
                n.path("cdn_url").asText(n.path("cdnUrl").asText(null)), n.path("duration").asDouble(0),
                n.path("width").asInt(0), n.path("height").asInt(0));
    }
}
