package io.reelbox.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.sun.net.httpserver.HttpServer;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Probe;

/**
 * The attacks of issue 17 in a real headless Chromium (Debian's chromium and chromium-driver): a page from another
 * loopback origin posts a job with a {@code no-cors} multipart fetch and with forms, and a page whose own DNS name
 * resolves to 127.0.0.1 (DNS rebinding, played with {@code --host-resolver-rules}) opens the API as a same-origin
 * page. Nothing may arrive and no job may be read; the daemon's refusal counters prove each request reached it.
 */
class ForeignPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String REBOUND = "rebind.reelbox-attacker.test";

    @TempDir
    static Path root;
    static Daemon daemon;
    static OpsClient ops;
    static HttpServer attacker;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Skipped: the foreign-page browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver); .ci/run installs them: sudo apt-get install chromium chromium-driver");
        daemon = Daemon.start(root.resolve("d"), Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString()));
        ops = OpsClient.of(daemon);
        // A job with a name worth stealing: it fails at once (its sidecar is not YAML) and stays in the list.
        Files.writeString(daemon.inbox.resolve("secret-holiday-plans.yaml"), "prompt: [unclosed\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> ops.get("/api/jobs").body().contains("secret-holiday-plans"));

        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        attacker.createContext("/", ex -> {
            byte[] page = attackPage(ops.base).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        attacker.start();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                        "--host-resolver-rules=MAP " + REBOUND + " 127.0.0.1");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (attacker != null) {
            attacker.stop(0);
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aPageOfAnotherLoopbackOriginCannotSubmitOrRetry() throws Exception {
        String failed = OperationsTest.find(ops.json("/api/jobs").get("failed"), "secret-holiday-plans").get("id").asText();
        List<String> before = inbox();
        double refusedBefore = refused("origin");

        browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/?failed=" + failed);
        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(js("return document.title;")));

        // The fetch, the multipart form and the text/plain form each reached the daemon and were refused.
        await().atMost(Duration.ofSeconds(20)).until(() -> refused("origin") >= refusedBefore + 3);
        assertEquals(refusedBefore + 3, refused("origin"));
        assertEquals(before, inbox(), "nothing arrived in the inbox or the upload folder");
        var jobs = ops.json("/api/jobs");
        assertEquals(0, jobs.get("waiting").size() + jobs.get("running").size() + jobs.get("done").size(), jobs.toString());
        assertEquals(1, jobs.get("failed").size(), "the failed job was not retried: " + jobs);
    }

    @Test
    void aRebindingPageReadsNoJob() throws Exception {
        double refusedBefore = refused("host");
        String port = ops.base.replaceFirst(".*:", "");
        browser.get("http://" + REBOUND + ":" + port + "/");
        String page = (String) js("return document.body.innerText;");
        assertTrue(page.contains("unknown-host"), "the daemon answered the rebound name with its refusal: " + page);

        Object read = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " Promise.all(['/api/jobs', '/observe/metrics', '/dashboard.js'].map(p => fetch(p).then(r => r.status + ' ' + r.url)"
                + ".then(s => s, e => 'error ' + e)))"
                + ".then(a => fetch('/api/jobs').then(r => r.text()).then(t => done(a.join(',') + '\\n' + t)), e => done('error ' + e));");
        String answer = String.valueOf(read);
        assertTrue(answer.startsWith("421 "), answer);
        assertFalse(answer.contains("secret-holiday-plans"), "no job was read: " + answer);
        assertFalse(answer.matches("(?s).*\\b200 .*"), "nothing answered 200: " + answer);
        // The page load, three reads and the text read reached the daemon on the rebound name and were refused (Chromium
        // adds its favicon, and tries a 421 again on a new connection, so there are more).
        assertTrue(refused("host") >= refusedBefore + 5, "refused on the host check: " + (refused("host") - refusedBefore));
    }

    private static String attackPage(String target) {
        return """
                <!doctype html><html><head><title>cute cats</title></head><body>
                <iframe name="sink1"></iframe><iframe name="sink2"></iframe>
                <form id="job" method="POST" enctype="multipart/form-data" action="TARGET/api/jobs" target="sink1">
                  <input name="prompt" value="spend the credits"><input name="name" value="from-a-form"></form>
                <form id="retry" method="POST" enctype="text/plain" target="sink2"><input name="x" value="1"></form>
                <script>
                  const failed = new URLSearchParams(location.search).get('failed');
                  const data = new FormData();
                  data.append('prompt', 'spend the credits');
                  data.append('name', 'from-a-fetch');
                  data.append('files', new Blob([new Uint8Array(4096)], {type: 'image/jpeg'}), 'photo.jpg');
                  fetch('TARGET/api/jobs', {method: 'POST', mode: 'no-cors', body: data}).catch(() => {}).finally(() => {
                    document.getElementById('job').submit();
                    const retry = document.getElementById('retry');
                    retry.action = 'TARGET/api/jobs/' + failed + '/retry';
                    retry.submit();
                    document.title = 'sent';
                  });
                </script></body></html>
                """.replace("TARGET", target);
    }

    private static List<String> inbox() throws IOException {
        List<String> all = new ArrayList<>();
        for (Path dir : new Path[] {daemon.inbox, daemon.workDir.resolve("uploads")}) {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.map(p -> daemon.root.relativize(p).toString()).sorted().forEach(all::add);
                }
            }
        }
        return all;
    }

    private static double refused(String check) throws IOException, InterruptedException {
        String line = "reelbox_http_refused_total{check=\"" + check + "\"} ";
        return ops.get("/observe/metrics").body().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
