package io.reelbox.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * A NemoVideo API on loopback (WireMock), answering every step of the chain the way the contract documents. Tests
 * replace single stubs to inject faults. The session's state changes from "no draft" to "draft" once a prompt was
 * sent (a WireMock scenario), so state checks are real.
 */
public final class NemoStub implements AutoCloseable {

    public static final String TOKEN = "nmv_usr_test_token_1";
    public static final String SESSION = "123456789012345678901234567890";
    public static final String DRAFT = "{\"t\":[{\"tt\":0,\"sg\":[{\"id\":\"a\",\"st\":0,\"d\":10000}]},"
            + "{\"tt\":1,\"sg\":[{\"id\":\"m\",\"st\":0,\"d\":10000,\"v\":0.35}]},{\"tt\":7,\"sg\":[{\"text\":\"Urban Dreams\",\"st\":0,\"d\":3000}]}],"
            + "\"d\":10000,\"m\":{\"title\":\"Urban Dreams\",\"width\":1920,\"height\":1080}}";
    /** A tiny but well-formed MP4 head: an ftyp box, then filler. */
    public static final byte[] MP4 = mp4(4096);

    public final WireMockServer server;

    public NemoStub() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        happyPath();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public static byte[] mp4(int size) {
        byte[] b = new byte[size];
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    public static ResponseDefinitionBuilder ok(String dataJson) {
        return json("{\"code\":0,\"message\":\"success\",\"data\":" + dataJson + "}");
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    public static ResponseDefinitionBuilder sse(String... payloads) {
        String body = Arrays.stream(payloads).map(p -> "data: " + p + "\n\n").collect(Collectors.joining());
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    public static String adkText(String text) {
        return "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + text + "\"}]},\"author\":\"nemo_agent\",\"invocationId\":\"e-1\",\"id\":\"ev\",\"timestamp\":1.7e9}";
    }

    public static String adkToolCall() {
        return "{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"id\":\"c1\",\"name\":\"edit_timeline\",\"args\":{}}}]},\"author\":\"nemo_agent\"}";
    }

    public static String adkToolResult() {
        return "{\"content\":{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"id\":\"c1\",\"name\":\"edit_timeline\",\"response\":{\"ok\":true}}}]},\"author\":\"nemo_agent\"}";
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    public void happyPath() {
        server.resetAll();
        stub(post(urlEqualTo("/api/auth/anonymous-token")).willReturn(ok(
                "{\"token\":\"" + TOKEN + "\",\"user_id\":\"anon_42\",\"expires_at\":\"2099-01-01T00:00:00Z\",\"credits\":100}")));
        stub(post(urlEqualTo("/api/tasks/me/with-session/nemo_agent")).willReturn(ok(
                "{\"task_id\":\"task_1\",\"session_id\":\"" + SESSION + "\"}")));
        stub(post(urlPathMatching("/api/upload-video/nemo_agent/me/.*")).willReturn(ok(
                "{\"files\":[{\"filename\":\"a.jpg\",\"file_type\":\"image\",\"cdn_url\":\"https://cdn/a.jpg\",\"width\":1920,\"height\":1080}],\"session_state_applied\":true}")));
        stub(get(urlPathMatching("/api/state/nemo_agent/me/.*/latest")).inScenario("edit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("{\"state\":{\"draft\":null,\"video_infos\":[]}}")));
        stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited")
                .willReturn(sse(adkToolCall(), adkToolResult(), "", adkText("Done: 3 tracks, 10 s."))));
        stub(get(urlPathMatching("/api/state/nemo_agent/me/.*/latest")).inScenario("edit").whenScenarioStateIs("edited")
                .willReturn(ok("{\"state\":{\"draft\":" + DRAFT + "}}")));
        stub(get(urlEqualTo("/api/credits/balance/simple")).willReturn(ok("{\"available\":100,\"frozen\":0,\"total\":100}")));
        stub(post(urlEqualTo("/api/render/proxy/lambda")).willReturn(ok("{\"id\":\"r\",\"status\":\"pending\"}")));
        stub(get(urlPathMatching("/api/render/proxy/lambda/render_.*")).inScenario("render").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("processing").willReturn(json("{\"taskId\":\"t\",\"status\":\"processing\",\"progress\":40}")));
        stub(get(urlPathMatching("/api/render/proxy/lambda/render_.*")).inScenario("render").whenScenarioStateIs("processing")
                .willReturn(json("{\"taskId\":\"t\",\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\""
                        + baseUrl() + "/files/out.mp4\",\"duration\":10.0,\"size\":" + MP4.length + "}}")));
        stub(get(urlPathEqualTo("/files/out.mp4")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4").withBody(MP4)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
