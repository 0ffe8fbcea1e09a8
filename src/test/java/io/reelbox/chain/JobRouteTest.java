package io.reelbox.chain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.reelbox.Beans;
import io.reelbox.config.Settings;
import io.reelbox.config.Tunables;
import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.Event;
import io.reelbox.job.Job;
import io.reelbox.testing.Media;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.TestSettings;

/**
 * The shipped YAML routes in Camel's own test idiom: the real beans against a WireMock API, the routes advised
 * (intercepts, replaced endpoints, mocks) and awaited with NotifyBuilder.
 */
class JobRouteTest extends CamelTestSupport {

    @TempDir
    Path root;
    private final NemoStub api = new NemoStub();
    private Beans beans;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties props = new Properties();
        props.putAll(TestSettings.map(Map.of()));
        props.put("reelbox.inbox", root.resolve("inbox").toString());
        props.put("reelbox.outbox", root.resolve("outbox").toString());
        props.put("reelbox.work-dir", root.resolve("work").toString());
        props.put("reelbox.api.base-url", api.baseUrl());
        context.getPropertiesComponent().setOverrideProperties(props);
        Tunables tunables = new Tunables(root.resolve("reelbox.properties"));
        tunables.reload();
        beans = Beans.bind(context, tunables, Settings.of(context, tunables), api.baseUrl(), false);
        return context;
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    /** Loads the shipped route files, lets the test advise routes, then starts Camel. */
    private void start(Map<String, ThrowingConsumer<AdviceWithRouteBuilder, Exception>> advice) throws Exception {
        for (String file : List.of("errors.yaml", "events.yaml", "job.yaml", "intake.yaml")) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/" + file));
        }
        // The inbox is not watched here, nor resumed at start: jobs are handed to the job route directly (a resume running
        // beside submit() would rightly take its claim, which has no journal entry yet, for an interrupted one).
        AdviceWith.adviceWith(context, "reelbox-intake", a -> a.replaceFromWith("direct:intake"));
        AdviceWith.adviceWith(context, "reelbox-resume", a -> a.replaceFromWith("direct:resume"));
        for (var e : advice.entrySet()) {
            AdviceWith.adviceWith(context, e.getKey(), e.getValue());
        }
        context.start();
    }

    /** A real job, claimed from a real inbox, handed to the job route. */
    private Job submit(String name) throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Media.mp4(inbox.resolve(name + ".mp4"));
        Files.writeString(inbox.resolve(name + ".yaml"), "prompt: combine my clips\n");
        Job job = new Job(beans.scanner().claimReady(1, new InboxScanner.Rules(Duration.ZERO, Duration.ofMinutes(1), 10_000)).get(0));
        beans.registry().claimed(job);
        template.sendBody("seda:reelbox-jobs", job);
        return job;
    }

    @Test
    void eachApiStepIsItsOwnEndpointInTheOrderTheRouteShows() throws Exception {
        List<String> steps = List.of("token", "session", "upload", "prompt", "verify", "export", "render-status", "download");
        List<String> calls = new CopyOnWriteArrayList<>();
        start(Map.of("reelbox-job", a -> {
            for (String step : steps) {
                a.weaveByToUri("nemo:" + step).before().process(e -> calls.add(step));
            }
        }));
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("reelbox-job").whenDone(1).create();
        submit("a");
        assertTrue(done.matches(30, TimeUnit.SECONDS));
        assertEquals(steps, calls.stream().distinct().toList());
        assertEquals(1, calls.stream().filter("prompt"::equals).count(), "one prompt");
        assertTrue(Files.exists(root.resolve("outbox/a.mp4")));
    }

    @Test
    void aRateLimitWaitsRetryAfterAndRepeatsOnlyTheStepThatFailed() throws Exception {
        api.stub(post(urlEqualTo("/api/render/proxy/lambda")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").atPriority(1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        start(Map.of());
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("reelbox-job").whenDone(1).create();
        submit("b");
        assertTrue(done.matches(30, TimeUnit.SECONDS));
        var exports = api.server.findAll(postRequestedFor(urlEqualTo("/api/render/proxy/lambda")));
        assertEquals(2, exports.size());
        long waited = Math.abs(exports.get(1).getLoggedDate().getTime() - exports.get(0).getLoggedDate().getTime());
        assertTrue(waited >= 1000, "waited " + waited + " ms, Retry-After said 1 s");
        api.server.verify(1, postRequestedFor(urlPathMatching("/api/upload-video/.*")));
        api.server.verify(1, postRequestedFor(urlEqualTo("/run_sse")));
    }

    @Test
    void theFinishedJobGoesToPublishWithItsVideoWritten() throws Exception {
        start(Map.of("reelbox-job", a -> a.weaveByToUri("direct:reelbox-publish").replace().to("mock:publish")));
        MockEndpoint publish = getMockEndpoint("mock:publish");
        publish.expectedMessageCount(1);
        Job job = submit("c");
        publish.assertIsSatisfied(30_000);
        Job published = publish.getExchanges().get(0).getProperty(Job.PROPERTY, Job.class);
        assertEquals(job.id(), published.id());
        assertTrue(Files.exists(published.render(0).published), "the video has its name before publishing");
        assertEquals(Path.of(root.resolve("outbox").toString(), "c.mp4"), published.render(0).published);
    }

    @Test
    void aFinalFailureBecomesAFailedEvent() throws Exception {
        api.stub(post(urlEqualTo("/api/render/proxy/lambda")).atPriority(1).willReturn(aResponse().withStatus(402)));
        start(Map.of("reelbox-job-failed", a -> a.weaveByToUri("direct:reelbox-event").replace().to("mock:event")));
        MockEndpoint event = getMockEndpoint("mock:event");
        event.expectedMessageCount(1);
        submit("d");
        event.assertIsSatisfied(30_000);
        Event failed = event.getExchanges().get(0).getMessage().getBody(Event.class);
        assertEquals(Event.FAILED, failed.kind());
        assertTrue(failed.body().contains("\"code\" : \"HTTP 402\""), failed.body());
        assertTrue(Files.exists(root.resolve("inbox/.failed/d/error.json")));
    }

    @Test
    void outOfCreditsSuspendsTheIntakeRouteUntilTheBalanceReturns() throws Exception {
        api.stub(post(urlPathMatching("/api/upload-video/.*")).atPriority(1).willReturn(NemoStub.json("{\"code\":2001}")));
        api.stub(get(urlEqualTo("/api/credits/balance/simple")).atPriority(1).willReturn(NemoStub.ok("{\"available\":0}")));
        start(Map.of());
        submit("e");
        await().atMost(Duration.ofSeconds(30)).until(() -> context.getRouteController().getRouteStatus("reelbox-intake") == ServiceStatus.Suspended);
        api.happyPath();
        await().atMost(Duration.ofSeconds(30)).until(() -> context.getRouteController().getRouteStatus("reelbox-intake") == ServiceStatus.Started);
    }
}
