package io.reelbox.job;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.reelbox.nemo.NemoClient;
import io.reelbox.nemo.RateLimited;
import io.reelbox.testing.Daemon;
import io.reelbox.testing.Media;
import io.reelbox.testing.MutableClock;
import io.reelbox.testing.NemoStub;
import io.reelbox.testing.TestSettings;

/**
 * Anonymous tokens against a stubbed API that counts every token request: a token that arrives already expired by
 * this machine's clock serves until the API rejects it, callers at once share one request, and a burst of requests is
 * bounded.
 */
class TokenStoreTest {

    private static final String EXPIRED_BY_OUR_CLOCK = "2001-01-01T00:00:00Z";

    @TempDir
    Path dir;
    NemoStub api;

    @BeforeEach
    void start() {
        api = new NemoStub();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aTokenExpiredByOurClockIsUsedUntilTheApiRejectsIt() throws Exception {
        tokensExpiring(EXPIRED_BY_OUR_CLOCK, 0);
        try (NemoClient client = new NemoClient(TestSettings.with(Map.of()), api::baseUrl)) {
            TokenStore tokens = new TokenStore(TestSettings.with(Map.of()), client, dir.resolve("token.json"), false);
            String first = tokens.current();
            for (int i = 0; i < 20; i++) {
                assertEquals(first, tokens.current());
            }
            assertEquals(1, tokenRequests(), "one token for twenty calls");
            tokens.invalidate(first);
            tokens.current();
            assertEquals(2, tokenRequests(), "a rejected token is replaced");
            TokenStore restarted = new TokenStore(TestSettings.with(Map.of()), client, dir.resolve("token.json"), false);
            restarted.current();
            assertEquals(2, tokenRequests(), "after a restart the cached token is used, not replaced");
        }
    }

    @Test
    void callersAtOnceShareOneTokenRequest() throws Exception {
        tokensExpiring("2099-01-01T00:00:00Z", 400);
        try (NemoClient client = new NemoClient(TestSettings.with(Map.of()), api::baseUrl)) {
            TokenStore tokens = new TokenStore(TestSettings.with(Map.of()), client, dir.resolve("token.json"), false);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> all = pool.invokeAll(IntStream.range(0, 8).<Callable<String>>mapToObj(i -> tokens::current).toList());
                for (Future<String> f : all) {
                    assertEquals(NemoStub.TOKEN, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, tokenRequests());
        }
    }

    @Test
    void aBurstOfTokenRequestsIsBoundedAndTheStepWaitsAsAfterA429() throws Exception {
        tokensExpiring("2099-01-01T00:00:00Z", 0);
        MutableClock clock = new MutableClock();
        try (NemoClient client = new NemoClient(TestSettings.with(Map.of()), api::baseUrl)) {
            TokenStore tokens = new TokenStore(TestSettings.with(Map.of("reelbox.api.token-burst", "3")), client,
                    dir.resolve("token.json"), false, clock);
            for (int i = 0; i < 3; i++) {
                tokens.invalidate(tokens.current());
                clock.advance(Duration.ofSeconds(10));
            }
            RateLimited limited = assertThrows(RateLimited.class, tokens::current);
            assertEquals(Duration.ofSeconds(30), limited.retryAfter(), "until the first of the three is a minute old");
            assertTrue(limited.getMessage().contains("reelbox.api.token-burst"), limited.getMessage());
            assertEquals(3, tokenRequests());
            clock.advance(Duration.ofSeconds(30));
            tokens.current();
            assertEquals(4, tokenRequests());
        }
    }

    @Test
    void aJobServedTokensExpiredByOurClockUsesOneToken() throws Exception {
        try (Daemon daemon = Daemon.start(dir, Map.of("reelbox.api.base-url", api.baseUrl()))) {
            tokensExpiring(EXPIRED_BY_OUR_CLOCK, 0);
            Media.mp4(daemon.inbox.resolve("clock.mp4"));
            Files.writeString(daemon.inbox.resolve("clock.yaml"), "prompt: make a video\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(daemon.outbox.resolve("clock.json")));
            assertEquals(1, tokenRequests(), "one token served the whole job");
            long calls = api.server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                    .filter(r -> r.containsHeader("Authorization")).count();
            assertTrue(calls >= 8, "the job's calls all carried it: " + calls);
            assertFalse(Files.readString(daemon.outbox.resolve("clock.json")).contains(NemoStub.TOKEN));
        }
    }

    private void tokensExpiring(String expiresAt, int delayMs) {
        api.stub(post(urlEqualTo("/api/auth/anonymous-token")).atPriority(1).willReturn(NemoStub.ok("{\"token\":\"" + NemoStub.TOKEN
                + "\",\"user_id\":\"anon_42\",\"expires_at\":\"" + expiresAt + "\",\"credits\":100}").withFixedDelay(delayMs)));
    }

    private int tokenRequests() {
        return api.server.countRequestsMatching(postRequestedFor(urlEqualTo("/api/auth/anonymous-token")).build()).getCount();
    }
}
