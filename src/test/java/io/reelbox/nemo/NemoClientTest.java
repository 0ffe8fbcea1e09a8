package io.reelbox.nemo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;

import io.reelbox.failure.Failure;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.TestSettings;

/** Each endpoint of the contract, and each way it can fail, against WireMock on loopback. */
class NemoClientTest {

    @TempDir
    Path dir;
    NemoStub api;
    NemoClient client;
    final String tok = NemoStub.TOKEN;

    @BeforeEach
    void start() {
        api = new NemoStub();
        client = new NemoClient(TestSettings.with(Map.of("reelbox.api.read-timeout", "1s")), api::baseUrl);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        api.close();
    }

    @Test
    void anonymousTokenSendsClientIdAndHidesTheTokenInToString() {
        AnonymousToken t = client.anonymousToken("c0ffee00-0000-4000-8000-000000000000");
        assertEquals(NemoStub.TOKEN, t.token());
        assertEquals("anon_42", t.userId());
        assertFalse(t.toString().contains(NemoStub.TOKEN));
        api.server.verify(postRequestedFor(urlEqualTo("/api/auth/anonymous-token"))
                .withHeader("X-Client-Id", equalTo("c0ffee00-0000-4000-8000-000000000000"))
                .withHeader("Authorization", absent()));
    }

    @Test
    void missingClientIdIsHttp400() {
        api.stub(post(urlEqualTo("/api/auth/anonymous-token")).willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"X-Client-Id required\"}")));
        ApiException e = assertThrows(ApiException.class, () -> client.anonymousToken("x"));
        assertEquals(400, e.httpStatus());
    }

    @Test
    void sessionKeepsLongNumericIdsAsStrings() {
        api.stub(post(urlEqualTo("/api/tasks/me/with-session/nemo_agent"))
                .willReturn(NemoStub.json("{\"success\":true,\"data\":{\"task_id\":7,\"session_id\":98765432109876543210987654321}}")));
        String[] ids = client.createSession(tok, "de");
        assertEquals("98765432109876543210987654321", ids[1]);
        api.server.verify(postRequestedFor(urlEqualTo("/api/tasks/me/with-session/nemo_agent"))
                .withRequestBody(equalToJson("{\"task_name\":\"project\",\"language\":\"de\"}")));
    }

    @Test
    void uploadStreamsFilesAsRepeatedFilesFieldInOrder() throws Exception {
        Path a = Media.jpg(dir.resolve("b-first.jpg"));
        Path b = Media.mp3(dir.resolve("a-second.mp3"));
        List<UploadedFile> files = client.upload(tok, "s1", List.of(a, b));
        assertEquals("image", files.get(0).fileType());
        String body = api.server.findAll(postRequestedFor(urlEqualTo("/api/upload-video/nemo_agent/me/s1"))).get(0).getBodyAsString();
        int first = body.indexOf("filename=\"b-first.jpg\"");
        int second = body.indexOf("filename=\"a-second.mp3\"");
        assertTrue(first > 0 && second > first, "sidecar order kept");
        assertEquals(2, body.split("name=\"files\"", -1).length - 1);
    }

    @Test
    void urlUploadUsesTheJsonForm() {
        client.uploadUrls(tok, "s1", List.of("https://example.org/a.mp4"));
        api.server.verify(postRequestedFor(urlEqualTo("/api/upload-video/nemo_agent/me/s1"))
                .withRequestBody(equalToJson("{\"urls\":[\"https://example.org/a.mp4\"],\"source_type\":\"url\"}")));
    }

    @Test
    void uploadRejectionsAreClassified() throws Exception {
        Path a = Media.jpg(dir.resolve("a.jpg"));
        api.stub(post(urlPathMatching("/api/upload-video/.*")).willReturn(NemoStub.json("{\"code\":4001,\"message\":\"unsupported\"}")));
        assertEquals(Failure.UNSUPPORTED_FILE, assertThrows(ApiException.class, () -> client.upload(tok, "s", List.of(a))).failure());
        api.stub(post(urlPathMatching("/api/upload-video/.*")).willReturn(NemoStub.json("{\"code\":4002,\"message\":\"too large\"}")));
        assertEquals(Failure.FILE_TOO_LARGE, assertThrows(ApiException.class, () -> client.upload(tok, "s", List.of(a))).failure());
    }

    @Test
    void promptPostsSnakeCaseBodyAndReadsTheStream() {
        AgentTranscript t = client.prompt(tok, "s1", "make it 60 s", "test");
        assertEquals(List.of("Done: 3 tracks, 10 s."), t.replies());
        api.server.verify(postRequestedFor(urlEqualTo("/run_sse")).withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("{\"app_name\":\"nemo_agent\",\"user_id\":\"me\",\"session_id\":\"s1\",\"new_message\":{\"parts\":[{\"text\":\"make it 60 s\"}]}}")));
    }

    @Test
    void promptErrorsBeforeTheStreamAreOrdinary() {
        api.stub(post(urlEqualTo("/run_sse")).willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Session not found: s1\"}")));
        ApiException e = assertThrows(ApiException.class, () -> client.prompt(tok, "s1", "p", "t"));
        assertEquals(Failure.SESSION_NOT_FOUND, e.failure());
        assertFalse(e instanceof StreamDroppedException);
        api.stub(post(urlEqualTo("/run_sse")).willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"bad body\"}")));
        assertEquals(Failure.REJECTED, assertThrows(ApiException.class, () -> client.prompt(tok, "s1", "p", "t")).failure());
    }

    @Test
    void aStreamCutMidWayIsADroppedStreamNotARetry() {
        api.stub(post(urlEqualTo("/run_sse")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        assertThrows(StreamDroppedException.class, () -> client.prompt(tok, "s1", "p", "t"));
        api.stub(post(urlEqualTo("/run_sse")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThrows(StreamDroppedException.class, () -> client.prompt(tok, "s1", "p", "t"));
    }

    @Test
    void aSilentStreamTimesOutAsDropped() {
        NemoClient slow = new NemoClient(TestSettings.with(Map.of("reelbox.prompt.timeout", "300ms")), api::baseUrl);
        api.stub(post(urlEqualTo("/run_sse")).willReturn(NemoStub.sse(NemoStub.adkText("x")).withFixedDelay(2000)));
        assertThrows(StreamDroppedException.class, () -> slow.prompt(tok, "s1", "p", "t"));
    }

    @Test
    void stateCreditsExportStatusCancel() throws Exception {
        api.stub(get(urlPathMatching("/api/state/nemo_agent/me/s1/latest")).willReturn(NemoStub.ok("{\"state\":{\"draft\":" + NemoStub.DRAFT + "}}")));
        assertEquals(3, client.state(tok, "s1").path("draft").path("t").size());
        assertEquals(100.0, client.credits(tok).available());
        client.export(tok, "s1", "render_1", new ObjectMapper().readTree(NemoStub.DRAFT));
        api.server.verify(postRequestedFor(urlEqualTo("/api/render/proxy/lambda"))
                .withRequestBody(equalToJson("{\"id\":\"render_1\",\"sessionId\":\"s1\",\"draft\":" + NemoStub.DRAFT
                        + ",\"output\":{\"format\":\"mp4\",\"quality\":\"high\"}}")));
        assertEquals("processing", client.renderStatus(tok, "render_1").status());
        api.stub(post(urlEqualTo("/api/render/proxy/lambda/render_1/cancel")).willReturn(NemoStub.ok("{}")));
        client.cancel(tok, "render_1");
    }

    @Test
    void exportBlockedIs402() {
        api.stub(post(urlEqualTo("/api/render/proxy/lambda")).willReturn(aResponse().withStatus(402)));
        assertEquals(Failure.EXPORT_BLOCKED, assertThrows(ApiException.class, () -> client.export(tok, "s", "r", null)).failure());
    }

    @Test
    void faultsOnOrdinaryCallsAreTransient() {
        Fault[] faults = {Fault.CONNECTION_RESET_BY_PEER, Fault.EMPTY_RESPONSE, Fault.RANDOM_DATA_THEN_CLOSE};
        for (Fault f : faults) {
            api.stub(get(urlEqualTo("/api/credits/balance/simple")).willReturn(aResponse().withFault(f)));
            assertEquals(Failure.UNAVAILABLE, assertThrows(ApiException.class, () -> client.credits(tok)).failure(), f.name());
        }
        api.stub(get(urlEqualTo("/api/credits/balance/simple")).willReturn(NemoStub.json("{\"code\":0,\"data\":{\"avail")));
        assertEquals(Failure.UNAVAILABLE, assertThrows(ApiException.class, () -> client.credits(tok)).failure());
        api.stub(get(urlEqualTo("/api/credits/balance/simple")).willReturn(NemoStub.ok("{}").withFixedDelay(3000)));
        assertEquals(Failure.UNAVAILABLE, assertThrows(ApiException.class, () -> client.credits(tok)).failure(), "read timeout");
    }

    @Test
    void downloadStreamsAndSendsTheTokenOnlyToTheApiOrigin() throws Exception {
        Path same = dir.resolve("same.mp4");
        assertEquals(NemoStub.MP4.length, client.download(tok, api.baseUrl() + "/files/out.mp4", same));
        assertArrayEquals(NemoStub.MP4, Files.readAllBytes(same));
        api.server.verify(getRequestedFor(urlEqualTo("/files/out.mp4")).withHeader("Authorization", containing("Bearer")));

        api.server.resetRequests();
        Path other = dir.resolve("other.mp4");
        client.download(tok, "http://localhost:" + api.server.port() + "/files/out.mp4", other);
        api.server.verify(getRequestedFor(urlEqualTo("/files/out.mp4")).withHeader("Authorization", absent()));
        assertEquals(api.baseUrl() + "/api/render/proxy/render_9/download", client.fallbackDownloadUrl("render_9"));
    }

    @Test
    void tokensNeverAppearInExceptionMessages() {
        api.stub(get(urlEqualTo("/api/credits/balance/simple")).willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"bad\"}")));
        ApiException e = assertThrows(ApiException.class, () -> client.credits(tok));
        assertFalse(String.valueOf(e.getMessage()).contains(tok));
        assertEquals(Failure.TOKEN_INVALID, e.failure());
    }
}
