package io.reelbox.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.reelbox.testing.DaemonTestBase;
import io.reelbox.testing.Media;
import io.reelbox.testing.Routes;
import io.reelbox.testing.SftpServer;

/**
 * Each route file in routes/examples/, installed into a running daemon the way the README says (settings in
 * routes/reelbox.properties, the file copied into routes/, secrets in the environment or -D), against a real server
 * on loopback.
 */
class ExampleRoutesTest extends DaemonTestBase {

    private static final String SECRET = "webhook-secret-for-tests";

    @Override
    protected Map<String, String> settings() {
        // Secrets as an operator passes them: never in routes/reelbox.properties.
        return Map.of("webhook.secret", SECRET, "sftp.password", SftpServer.PASSWORD, "pickup.password", SftpServer.PASSWORD,
                "mail.password", "mail-pw", "reelbox.events.backoff", "50ms");
    }

    @Test
    void webhookPostsTheReportSignedWithHmacSha256() throws Exception {
        WireMockServer hook = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        hook.start();
        try {
            hook.stubFor(post(urlEqualTo("/reelbox")).willReturn(aResponse().withStatus(200)));
            Routes.configure(daemon, Map.of("reelbox.on-published", "direct:reelbox-webhook",
                    "webhook.url", "http://127.0.0.1:" + hook.port() + "/reelbox"));
            Routes.install(daemon, "webhook.yaml", "reelbox-webhook");
            drop("beach", "prompt: p");
            JsonNode report = awaitReport("beach");
            await().atMost(WAIT).until(() -> !hook.findAll(postRequestedFor(urlEqualTo("/reelbox"))).isEmpty());
            LoggedRequest request = hook.findAll(postRequestedFor(urlEqualTo("/reelbox"))).get(0);
            assertEquals(report, JSON.readTree(request.getBodyAsString()));
            assertEquals(hmac(request.getBody()), request.getHeader("X-Reelbox-Signature"));
            assertEquals("beach", request.getHeader("ReelboxJob"));
            assertTrue(request.getHeader("Content-Type").startsWith("application/json"));
            assertFalse(request.containsHeader("ReelboxVideo"), "no local paths leave the machine");
            assertFalse(request.getAllHeaderKeys().stream().anyMatch(h -> h.toLowerCase().contains("secret")));
            assertFalse(request.getBodyAsString().contains(SECRET));
        } finally {
            hook.stop();
        }
    }

    @Test
    void copyToFolderWritesTheSameBytesUnderTheVideosName() throws Exception {
        Path nas = Files.createDirectories(root.resolve("nas"));
        Files.writeString(nas.resolve("beach.mp4"), "a different video that is already there");
        Routes.configure(daemon, Map.of("reelbox.on-published", "direct:reelbox-copy-to-folder", "copy.folder", nas.toString()));
        Routes.install(daemon, "copy-to-folder.yaml", "reelbox-copy-to-folder");
        drop("dunes", "prompt: p");
        awaitReport("dunes");
        Path copy = nas.resolve("dunes.mp4");
        await().atMost(WAIT).until(() -> Files.exists(copy));
        assertArrayEquals(Files.readAllBytes(daemon.outbox.resolve("dunes.mp4")), Files.readAllBytes(copy));
        try (var files = Files.list(nas)) {
            assertEquals(List.of("beach.mp4", "dunes.mp4"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp file left");
        }
        assertEquals("a different video that is already there", Files.readString(nas.resolve("beach.mp4")));
    }

    @Test
    void sftpUploadPutsEachVideoOnTheServer() throws Exception {
        try (SftpServer sftp = new SftpServer(root.resolve("sftp"))) {
            Routes.configure(daemon, Map.of("reelbox.on-published", "direct:reelbox-sftp-upload",
                    "sftp.host", "127.0.0.1", "sftp.port", String.valueOf(sftp.port()), "sftp.user", SftpServer.USER,
                    "sftp.folder", "incoming/videos", "sftp.known-hosts", sftp.knownHosts.toString()));
            Routes.install(daemon, "sftp-upload.yaml", "reelbox-sftp-upload");
            drop("harbour", "prompt: p");
            awaitReport("harbour");
            Path uploaded = sftp.home.resolve("incoming/videos/harbour.mp4");
            await().atMost(WAIT).until(() -> Files.exists(uploaded) && Files.size(uploaded) == Files.size(daemon.outbox.resolve("harbour.mp4")));
            assertArrayEquals(Files.readAllBytes(daemon.outbox.resolve("harbour.mp4")), Files.readAllBytes(uploaded));
        }
    }

    @Test
    void sftpPickupFeedsTheInboxAndTheJobRuns() throws Exception {
        try (SftpServer sftp = new SftpServer(root.resolve("sftp"))) {
            Path outgoing = Files.createDirectories(sftp.home.resolve("outgoing"));
            Media.mp4(outgoing.resolve("remote.mp4"));
            Files.writeString(outgoing.resolve("remote.yaml"), "prompt: combine my clips\n");
            Routes.configure(daemon, Map.of("pickup.host", "127.0.0.1", "pickup.port", String.valueOf(sftp.port()),
                    "pickup.user", SftpServer.USER, "pickup.folder", "outgoing", "pickup.known-hosts", sftp.knownHosts.toString(),
                    "pickup.interval", "200"));
            Routes.install(daemon, "sftp-pickup.yaml", "reelbox-sftp-pickup");
            JsonNode report = awaitReport("remote");
            assertEquals(List.of("remote.yaml", "remote.mp4"), report.path("inputs").findValuesAsText("name"));
            assertArrayEquals(Files.readAllBytes(sftp.home.resolve("outgoing/.picked/remote.mp4")),
                    Files.readAllBytes(daemon.inbox.resolve(".done/remote/remote.mp4")), "picked up whole; the original kept aside");
            assertFalse(Files.exists(outgoing.resolve("remote.yaml")));
        }
    }

    @Test
    void failureMailSendsTheErrorJson() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            smtp.setUser("reelbox@example.org", "reelbox@example.org", "mail-pw");
            Routes.configure(daemon, Map.of("reelbox.on-failed", "direct:reelbox-failure-mail", "mail.host", "127.0.0.1",
                    "mail.port", String.valueOf(smtp.getSmtp().getPort()), "mail.user", "reelbox@example.org",
                    "mail.from", "reelbox@example.org", "mail.to", "studio@example.org"));
            Routes.install(daemon, "failure-mail.yaml", "reelbox-failure-mail");
            Files.writeString(daemon.inbox.resolve("empty.yaml"), "");
            JsonNode error = awaitFailure("empty");
            assertTrue(smtp.waitForIncomingEmail(WAIT.toMillis(), 1));
            var mail = smtp.getReceivedMessages()[0];
            assertEquals("Reelbox: job empty failed", mail.getSubject());
            assertEquals("studio@example.org", mail.getAllRecipients()[0].toString());
            String body = GreenMailUtil.getBody(mail);
            assertTrue(body.contains(error.path("hint").asText().substring(0, 40)), body);
            assertTrue(body.contains("\"code\" : \"" + error.path("code").asText() + "\""), body);
        } finally {
            smtp.stop();
        }
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
