package io.reelbox.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The checks alone: which Host names are answered, how Origin and Host are compared, and how often refusals are logged. */
class BrowserGuardTest {

    private final BrowserGuard guard = new BrowserGuard(HostAllowList.of("reelbox.lan, *.studio.example"), "/"::equals);

    @Test
    void hostNamesThatNoAttackerCanPointAtLoopbackAreAnswered() {
        HostAllowList none = HostAllowList.of("");
        for (String ok : List.of("127.0.0.1", "127.0.0.1:8780", "10.0.0.5:1", "[::1]:8780", "[::1]", "localhost", "LOCALHOST:80",
                "localhost.", "app.localhost:3000")) {
            assertTrue(none.allows(ok), ok);
        }
        for (String bad : List.of("evil.example", "127.0.0.1.nip.io:8780", "localhost.evil.example", "localhost:99999",
                "127.1:8780", "2130706433", "0x7f.0.0.1", "[::1", "[evil]:80", "a b", "user@127.0.0.1", "", "127.0.0.1:80:80")) {
            assertFalse(none.allows(bad), bad);
        }
        HostAllowList some = HostAllowList.of(" Reelbox.LAN ,*.studio.example, nas.local.");
        assertTrue(some.allows("reelbox.lan:9"));
        assertTrue(some.allows("nas.local"));
        assertTrue(some.allows("cam.studio.example"));
        assertFalse(some.allows("studio.example"), "*.x is the names under x");
        assertFalse(some.allows("evilstudio.example"));
        assertFalse(some.anyName());
        assertTrue(HostAllowList.of("*").allows("anything.example"));
    }

    @Test
    void originsAreComparedWithTheHostIncludingThePort() {
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "127.0.0.1:8780", "http://127.0.0.1:8780", "same-origin"));
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "localhost:80", "http://localhost", null));
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "reelbox.lan", "https://reelbox.lan", null), "TLS proxy");
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "[::1]:8780", "http://[::1]:8780", null));
        assertEquals("origin", refusedBy("POST", "/api/jobs", "127.0.0.1:8780", "http://127.0.0.1:8781", null));
        assertEquals("origin", refusedBy("POST", "/api/jobs", "127.0.0.1:8780", "http://localhost:8780", null), "another origin");
        assertEquals("origin", refusedBy("POST", "/api/jobs", "reelbox.lan", "http://reelbox.lan:8443", null));
        assertEquals("origin", refusedBy("POST", "/api/jobs", "127.0.0.1:8780", "null", null));
        assertEquals("origin", refusedBy("POST", "/api/jobs", "127.0.0.1:8780", "http://127.0.0.1:8780/path", null));
        assertEquals("origin", refusedBy("POST", "/api/jobs", "127.0.0.1:8780", "chrome-extension://abc", null));
        assertEquals("origin", refusedBy("DELETE", "/api/jobs", "127.0.0.1:8780", "http://evil.example", "same-origin"));
    }

    @Test
    void fetchMetadataGuardsWritesAndPrivateReadsButNotALinkToTheDashboard() {
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "127.0.0.1", null, "none"));
        assertEquals(Optional.empty(), check("POST", "/api/jobs", "127.0.0.1", null, null), "curl");
        assertEquals("fetch-site", refusedBy("POST", "/api/jobs", "127.0.0.1", null, "same-site"));
        assertEquals("fetch-site", refusedBy("POST", "/api/jobs", "127.0.0.1", null, "cross-site"));
        assertEquals("fetch-site", refusedBy("GET", "/api/jobs", "127.0.0.1", null, "cross-site"));
        assertEquals("fetch-site", refusedBy("HEAD", "/api/jobs/x/video", "127.0.0.1", null, "same-site"));
        assertEquals(Optional.empty(), check("GET", "/api/jobs", "127.0.0.1", null, "same-origin"));
        assertEquals(Optional.empty(), check("GET", "/", "127.0.0.1", null, "cross-site"), "a link from anywhere");
        assertEquals(Optional.empty(), check("GET", "/", "127.0.0.1", "http://evil.example", "cross-site"));
        assertEquals("host", refusedBy("GET", "/", "evil.example", null, null), "the Host check comes first, everywhere");
        assertEquals(421, guard.check(new BrowserGuard.Request("GET", "/", "evil.example", null, null)).orElseThrow().status());
    }

    @Test
    void refusalsAreLoggedAtMostOnceAMinuteWithTheCountInBetween() {
        AtomicLong now = new AtomicLong(1_000_000);
        Logger logger = (Logger) LoggerFactory.getLogger("refusal-log-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        RefusalLog log = new RefusalLog(logger, "The server", now::get);
        Refusal r = guard.check(new BrowserGuard.Request("GET", "/api/jobs", "evil.example\u001b[31m", null, null)).orElseThrow();
        for (int i = 0; i < 100; i++) {
            log.refused("GET", "/api/jobs", r);
            now.addAndGet(1_000);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("59 more refused"), lines.get(1));
        assertTrue(lines.get(0).contains("Host evil.example?[31m"), "control characters never reach the log: " + lines.get(0));
    }

    private Optional<Refusal> check(String method, String path, String host, String origin, String site) {
        return guard.check(new BrowserGuard.Request(method, path, host, origin, site));
    }

    private String refusedBy(String method, String path, String host, String origin, String site) {
        return check(method, path, host, origin, site).map(Refusal::check).orElse("passed");
    }
}
