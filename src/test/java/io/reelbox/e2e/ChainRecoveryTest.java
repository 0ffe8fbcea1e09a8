package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.NemoStub;

/** Every error code and fault the chain must cure or report, each through the real daemon and routes. */
class ChainRecoveryTest extends DaemonTestBase {

    private static final String SESSION_URL = "/api/tasks/me/with-session/nemo_agent";
    private static final String STATUS = "/api/render/proxy/lambda/render_.*";

    /** The first call to {@code url} answers {@code first}; later ones fall through to the happy path. */
    private void once(com.github.tomakehurst.wiremock.client.MappingBuilder first) {
        api.stub(first.inScenario("once").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done").atPriority(1));
    }

    @Test
    void expiredTokenIsReplacedAndTheStepRepeated() throws Exception {
        once(post(urlEqualTo(SESSION_URL)).willReturn(NemoStub.json("{\"code\":1001,\"message\":\"token expired\"}")));
        drop("a", "prompt: p");
        awaitReport("a");
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/auth/anonymous-token")));
        api.server.verify(2, postRequestedFor(urlEqualTo(SESSION_URL)));
    }

    @Test
    void aRefusedClientIdIsReplacedByANewOne() throws Exception {
        once(post(urlEqualTo("/api/auth/anonymous-token")).willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"X-Client-Id required\"}")));
        drop("a", "prompt: p");
        awaitReport("a");
        var calls = api.server.findAll(postRequestedFor(urlEqualTo("/api/auth/anonymous-token")));
        assertEquals(2, calls.size());
        assertFalse(calls.get(0).getHeader("X-Client-Id").equals(calls.get(1).getHeader("X-Client-Id")), "a new client id");
    }

    @Test
    void tokenExpiringWhilePollingKeepsPollingTheSameRender() throws Exception {
        once(get(urlPathMatching(STATUS)).willReturn(aResponse().withStatus(401).withBody("{\"code\":1001}")));
        drop("a", "prompt: p");
        JsonNode report = awaitReport("a");
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/auth/anonymous-token")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
        assertTrue(report.path("renders").get(0).path("failed_render_ids").isMissingNode());
    }

    @Test
    void lostSessionAfterThePromptIsRebuiltInANewSession() throws Exception {
        once(post(urlEqualTo("/api/render/proxy/lambda")).willReturn(NemoStub.json("{\"code\":1002,\"message\":\"session not found\"}")));
        drop("a", "prompt: p");
        JsonNode report = awaitReport("a");
        assertEquals(2, report.path("sessions_used").asInt());
        api.server.verify(2, postRequestedFor(urlEqualTo(SESSION_URL)));
        api.server.verify(2, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        api.server.verify(2, postRequestedFor(urlEqualTo("/run_sse")));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetried() throws Exception {
        api.stub(post(urlPathMatching("/api/upload-video/.*")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("second").atPriority(1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        api.stub(post(urlPathMatching("/api/upload-video/.*")).inScenario("429").whenScenarioStateIs("second")
                .willSetStateTo("third").atPriority(1).willReturn(aResponse().withStatus(429)));
        api.stub(post(urlPathMatching("/api/upload-video/.*")).inScenario("429").whenScenarioStateIs("third")
                .willSetStateTo("fine").atPriority(1).willReturn(aResponse().withStatus(503).withBody("<html>busy</html>")));
        api.stub(post(urlPathMatching("/api/upload-video/.*")).inScenario("429").whenScenarioStateIs("fine")
                .willSetStateTo("ok").atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        drop("a", "prompt: p");
        JsonNode report = awaitReport("a");
        api.server.verify(5, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        assertTrue(report.path("attempts").asInt() >= 5);
    }

    @Test
    void differentFaultsOnOneStepShareItsBudgetAndATokenRenewalStillWorksAfterThem() throws Exception {
        // Camel counts a step's redeliveries across rules: a 1001 after two other faults must still be cured.
        String[] states = {Scenario.STARTED, "2", "3", "ok"};
        var answers = new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder[] {
            aResponse().withStatus(503), aResponse().withStatus(429).withHeader("Retry-After", "0"),
            NemoStub.json("{\"code\":1001,\"message\":\"token expired\"}")};
        for (int i = 0; i < answers.length; i++) {
            api.stub(post(urlPathMatching("/api/upload-video/.*")).inScenario("mixed").whenScenarioStateIs(states[i])
                    .willSetStateTo(states[i + 1]).atPriority(1).willReturn(answers[i]));
        }
        drop("a", "prompt: p");
        awaitReport("a");
        api.server.verify(4, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/auth/anonymous-token")));
    }

    @Test
    void aDroppedStreamIsNeverResentButFollowedThroughTheState() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited")
                .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        drop("a", "prompt: p");
        JsonNode report = awaitReport("a");
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
        JsonNode render = report.path("renders").get(0);
        assertTrue(render.path("stream_dropped").asBoolean());
        assertTrue(render.path("change_summary").asText().contains("3 tracks"), render.toString());
    }

    @Test
    void aDroppedStreamWhoseEditNeverShowsFailsAfterFiveReads() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("verify", error.path("stage").asText());
        assertEquals("no-draft", error.path("code").asText());
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
        api.server.verify(1 + 5, getRequestedFor(urlPathMatching("/api/state/.*")));
    }

    @Test
    void toolCallsOnlyAreDescribedFromTheDraft() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).inScenario("edit").willSetStateTo("edited")
                .willReturn(NemoStub.sse(NemoStub.adkToolCall(), NemoStub.adkToolResult(), "")));
        drop("a", "prompt: p");
        JsonNode render = awaitReport("a").path("renders").get(0);
        assertEquals(0, render.path("agent_replies").size());
        assertEquals("The agent edited without comment; the timeline now has 3 tracks: video (1 segment), audio (1 segment), "
                + "text (1 segment), 10.0 s long, 1920x1080, titled \"Urban Dreams\".", render.path("change_summary").asText());
    }

    @Test
    void anInStreamErrorFailsTheJobWithTheAgentsWords() throws Exception {
        api.stub(post(urlEqualTo("/run_sse")).willReturn(NemoStub.sse("{\"error\":\"model overloaded\",\"error_details\":{}}")));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("prompt", error.path("stage").asText());
        assertEquals("agent-error", error.path("error").asText());
        assertTrue(error.path("message").asText().contains("model overloaded"));
        assertTrue(error.path("hint").asText().contains("Rephrase"));
    }

    @Test
    void aFailedRenderIsExportedOnceMoreUnderANewId() throws Exception {
        once(get(urlPathMatching(STATUS)).willReturn(NemoStub.json("{\"taskId\":\"t\",\"status\":\"failed\",\"error\":\"gpu lost\"}")));
        drop("a", "prompt: p");
        JsonNode render = awaitReport("a").path("renders").get(0);
        assertEquals(1, render.path("failed_render_ids").size());
        assertFalse(render.path("failed_render_ids").get(0).asText().equals(render.path("render_id").asText()));
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
    }

    @Test
    void aRenderFailingTwiceFailsTheJob() throws Exception {
        api.stub(get(urlPathMatching(STATUS)).atPriority(1).willReturn(NemoStub.json("{\"status\":\"failed\",\"error\":\"bad draft\"}")));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("render", error.path("stage").asText());
        assertEquals("render-failed", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("earlier failed render"), error.toString());
        api.server.verify(2, postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
    }

    @Test
    void theWrappedStatusShapeIsUnderstood() throws Exception {
        api.stub(get(urlPathMatching(STATUS)).atPriority(1).willReturn(NemoStub.json(
                "{\"success\":true,\"data\":{\"id\":\"r\",\"status\":\"completed\",\"progress\":100,\"outputUrl\":\"" + api.baseUrl() + "/files/out.mp4\"}}")));
        drop("a", "prompt: p");
        awaitReport("a");
    }

    @Test
    void aRenderThatNeverCompletesIsCancelledAtTheTimeout() throws Exception {
        daemon.close();
        daemon = io.reelbox.testing.Daemon.start(root.resolve("again"), java.util.Map.of("reelbox.api.base-url", api.baseUrl(),
                "reelbox.export.timeout", "500ms"));
        api.stub(get(urlPathMatching(STATUS)).atPriority(1).willReturn(NemoStub.json("{\"status\":\"processing\",\"progress\":10}")));
        api.stub(post(urlPathMatching("/api/render/proxy/lambda/.*/cancel")).willReturn(NemoStub.ok("{}")));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("render-timeout", error.path("code").asText());
        api.server.verify(1, postRequestedFor(urlPathMatching("/api/render/proxy/lambda/.*/cancel")));
    }

    @Test
    void anHtmlDownloadFallsBackToTheDownloadEndpoint() throws Exception {
        api.stub(get(urlEqualTo("/files/out.mp4")).atPriority(1).willReturn(aResponse().withStatus(200).withBody("<html>login</html>")));
        api.stub(get(urlPathMatching("/api/render/proxy/render_.*/download")).willReturn(aResponse().withBody(NemoStub.MP4)));
        drop("a", "prompt: p");
        awaitReport("a");
        assertEquals(NemoStub.MP4.length, Files.size(daemon.outbox.resolve("a.mp4")));
    }

    @Test
    void aShortOrMissingDownloadFailsWithoutLeavingAPartialFile() throws Exception {
        api.stub(get(urlEqualTo("/files/out.mp4")).atPriority(1).willReturn(aResponse().withBody(java.util.Arrays.copyOf(NemoStub.MP4, 1000))));
        api.stub(get(urlPathMatching("/api/render/proxy/render_.*/download")).willReturn(aResponse().withStatus(404)));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("download", error.path("stage").asText());
        try (var files = Files.list(daemon.outbox)) {
            assertEquals(0, files.count(), "no partial or temp file in the outbox");
        }
    }

    @Test
    void permanentRefusalsFailWithTheirCodeAndHint() throws Exception {
        api.stub(post(urlEqualTo("/api/render/proxy/lambda")).atPriority(1).willReturn(aResponse().withStatus(402)));
        drop("a", "prompt: p");
        JsonNode error = awaitFailure("a");
        assertEquals("HTTP 402", error.path("code").asText());
        assertTrue(error.path("hint").asText().contains("attribution"));

        api.stub(post(urlPathMatching("/api/upload-video/.*")).atPriority(1).willReturn(NemoStub.json("{\"code\":4001,\"message\":\"unsupported\"}")));
        drop("b", "prompt: p");
        JsonNode e4001 = awaitFailure("b");
        assertEquals("4001", e4001.path("code").asText());
        assertEquals("upload", e4001.path("stage").asText());
        assertTrue(e4001.path("hint").asText().contains("mp4 mov avi webm mkv"));
        assertTrue(Files.exists(daemon.inbox.resolve(".failed/b/b.mp4")), "inputs kept next to error.json");
    }
}
