package io.reelbox.local.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.local.LocalSetup;
import io.reelbox.testing.Probe;
import io.reelbox.testing.TestSettings;

/**
 * A client written only from the contract (shared/nemo-api.md), with the JDK's HttpClient and nothing of Reelbox's:
 * every step against the backend serve-local runs, to a playable MP4 fetched from {@code output.url} with a plain
 * GET, as a cloud's CDN link would be.
 */
class ContractClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private String base;
    private String token;

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .header("X-Skill-Source", "video-maker-download").header("X-Skill-Version", "1.0.0").header("X-Skill-Platform", "unknown");
    }

    private JsonNode data(HttpRequest.Builder r) throws Exception {
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        JsonNode body = JSON.readTree(http.send(r.build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(0, body.path("code").asInt(), body.toString());
        return body.path("data");
    }

    private static HttpRequest.BodyPublisher json(String s) {
        return HttpRequest.BodyPublishers.ofString(s);
    }

    @Test
    void everyStepOfTheContractToAPlayableVideo() throws Exception {
        Path photo = Probe.still(dir.resolve("photo.jpg"), "color=c=0x406080:s=640x360");
        try (LocalBackend backend = LocalSetup.start(TestSettings.with(Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString())),
                dir.resolve("work"), 0, List.of())) {
            base = backend.baseUrl();
            token = data(request("/api/auth/anonymous-token").header("X-Client-Id", UUID.randomUUID().toString())
                    .POST(json("{}"))).path("token").asText();
            String sid = data(request("/api/tasks/me/with-session/nemo_agent").header("Content-Type", "application/json")
                    .POST(json("{\"task_name\":\"project\",\"language\":\"en\"}"))).path("session_id").asText();

            String boundary = "reelbox" + UUID.randomUUID();
            ByteArrayOutputStream multipart = new ByteArrayOutputStream();
            multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"photo.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            multipart.write(Files.readAllBytes(photo));
            multipart.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            JsonNode files = data(request("/api/upload-video/nemo_agent/me/" + sid).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray()))).path("files");
            // The media's cdn_url is a plain link too.
            byte[] uploaded = http.send(request(files.get(0).path("cdn_url").asText()).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            assertArrayEquals(Files.readAllBytes(photo), uploaded);

            String sse = http.send(request("/run_sse").header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                    .header("Content-Type", "application/json").POST(json("{\"app_name\":\"nemo_agent\",\"user_id\":\"me\",\"session_id\":\""
                            + sid + "\",\"new_message\":{\"parts\":[{\"text\":\"make a 5 second 720p video\"}]}}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(sse.lines().anyMatch(l -> l.startsWith("data: ")), sse);

            JsonNode draft = data(request("/api/state/nemo_agent/me/" + sid + "/latest")).path("state").path("draft");
            assertTrue(draft.has("t"), draft.toString());
            String renderId = "render_" + System.currentTimeMillis();
            data(request("/api/render/proxy/lambda").header("Content-Type", "application/json").POST(json("{\"id\":\"" + renderId
                    + "\",\"sessionId\":\"" + sid + "\",\"draft\":" + draft + ",\"output\":{\"format\":\"mp4\",\"quality\":\"high\"}}")));
            JsonNode[] status = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var r = request("/api/render/proxy/lambda/" + renderId).header("Authorization", "Bearer " + token).build();
                status[0] = JSON.readTree(http.send(r, HttpResponse.BodyHandlers.ofString()).body());
                return status[0].path("status").asText().equals("completed");
            });

            // A plain GET, no bearer, as for a CDN link.
            String url = status[0].path("output").path("url").asText();
            HttpResponse<byte[]> video = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, video.statusCode());
            assertEquals(status[0].path("output").path("size").asLong(), video.body().length);
            assertEquals(String.valueOf(video.body().length), video.headers().firstValue("Content-Length").orElse(""));
            Path mp4 = Files.write(dir.resolve("out.mp4"), video.body());
            assertEquals(5.0, Probe.info(mp4).duration(), 1 / 30.0);

            // A player seeking: byte ranges.
            HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=100-199").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, part.statusCode());
            assertArrayEquals(Arrays.copyOfRange(video.body(), 100, 200), part.body());
            assertEquals("bytes 100-199/" + video.body().length, part.headers().firstValue("Content-Range").orElse(""));
            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=-10").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(Arrays.copyOfRange(video.body(), video.body().length - 10, video.body().length), tail.body());
            assertEquals(416, http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=99999999-").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            // The link is unguessable: another name is nothing.
            String guessed = url.replaceAll("/files/[0-9a-f]+/", "/files/" + "0".repeat(32) + "/");
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(guessed)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }
}
