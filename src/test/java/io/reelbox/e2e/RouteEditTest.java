package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;

import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.reelbox.config.SafeRouteReloadStrategy;
import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.NemoStub;

/** Operators change what a job does by editing the YAML under a running daemon: the next job follows the edit. */
class RouteEditTest extends DaemonTestBase {

    private static final String UPLOAD = "/api/upload-video/.*";

    /** The upload answers 503 once per scenario run, then works. */
    private void oneServerErrorOnUpload(String scenario) {
        api.stub(post(urlPathMatching(UPLOAD)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("cured")
                .atPriority(1).willReturn(aResponse().withStatus(503)));
    }

    @Test
    void anEditOfTheErrorRulesAppliesToTheNextJob() throws Exception {
        oneServerErrorOnUpload("first");
        drop("before", "prompt: p");
        awaitReport("before");

        // The operator decides that a 5xx is not worth retrying.
        Path errors = daemon.routesDir.resolve("errors.yaml");
        String text = Files.readString(errors);
        String edited = text.replaceFirst("(exception: \\[ \"io.reelbox.nemo.ApiUnavailable\" \\]\\n\\s+redeliveryPolicy:\\n\\s+maximumRedeliveries: )\"[^\"]+\"",
                "$10");
        assertTrue(!edited.equals(text), "the edit applies to the shipped errors.yaml");
        SafeRouteReloadStrategy reload = daemon.context().hasService(SafeRouteReloadStrategy.class);
        Route before = daemon.context().getRoute("reelbox-job");
        Files.writeString(errors, edited);
        // The job route is built again with the new rules.
        await().atMost(WAIT).until(() -> daemon.context().getRoute("reelbox-job") != before
                && daemon.context().getRoute("reelbox-job") != null);
        assertEquals(0, reload.rejectedRouteEdits());

        oneServerErrorOnUpload("second");
        drop("after", "prompt: p");
        JsonNode error = awaitFailure("after");
        assertEquals("HTTP 503", error.path("code").asText());
        assertEquals("upload", error.path("stage").asText());
    }

    @Test
    void anEditOfTheJobRouteWaitsForTheRunningJobAndAppliesToTheNext() throws Exception {
        // The render takes a while: the job sits in the polling loop when job.yaml changes.
        String status = "/api/render/proxy/lambda/render_.*";
        api.stub(get(urlPathMatching(status)).inScenario("slow").whenScenarioStateIs(Scenario.STARTED).atPriority(1)
                .willReturn(NemoStub.json("{\"status\":\"processing\",\"progress\":50}")));
        drop("running", "prompt: p");
        await().atMost(WAIT).until(() -> !api.server.findAll(getRequestedFor(urlPathMatching(status))).isEmpty());

        // The edit: every finished job is also handed to a queue of the operator's.
        Path job = daemon.routesDir.resolve("job.yaml");
        Route before = daemon.context().getRoute("reelbox-job");
        Files.writeString(job, Files.readString(job).replace("        - to: \"direct:reelbox-publish\"",
                "        - to: { uri: \"seda:edited\", parameters: { waitForTaskToComplete: Never } }\n        - to: \"direct:reelbox-publish\""));
        drop("waiting", "prompt: p");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> daemon.context().getRoute("reelbox-job") == before
                && Files.exists(daemon.inbox.resolve("waiting.yaml")));

        api.stub(get(urlPathMatching(status)).inScenario("slow").atPriority(1).willReturn(NemoStub.json(
                "{\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\"" + api.baseUrl() + "/files/out.mp4\",\"size\":"
                        + NemoStub.MP4.length + "}}")));
        awaitReport("running");
        await().atMost(WAIT).until(() -> daemon.context().getRoute("reelbox-job") != before && daemon.context().getRoute("reelbox-job") != null);
        awaitReport("waiting");
        SedaEndpoint edited = daemon.context().getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("seda://edited"))
                .map(SedaEndpoint.class::cast).findFirst().orElseThrow();
        assertEquals(1, edited.getExchanges().size(), "the edit applies to the next job, not to the one that was running");
        api.server.verify(2, postRequestedFor(urlEqualTo("/run_sse")));
    }
}
