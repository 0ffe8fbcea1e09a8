package io.reelbox.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MarkerIgnoringBase;

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
        List<String> lines = new ArrayList<>();
        RefusalLog log = new RefusalLog(new Recording(lines), "The server", now::get);
        Refusal r = guard.check(new BrowserGuard.Request("GET", "/api/jobs", "evil.example\u001b[31m", null, null)).orElseThrow();
        for (int i = 0; i < 100; i++) {
            log.refused("GET", "/api/jobs", r);
            now.addAndGet(1_000);
        }
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

    /** A logger that keeps its WARN lines, formatted. */
    private static final class Recording extends MarkerIgnoringBase {
        private final List<String> lines;

        Recording(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public void warn(String format, Object... args) {
            lines.add(org.slf4j.helpers.MessageFormatter.arrayFormat(format, args).getMessage());
        }

        // The rest is not used by RefusalLog.
        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object arg1, Object arg2) { }
        @Override public void trace(String format, Object... arguments) { }
        @Override public void trace(String msg, Throwable t) { }
        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) { }
        @Override public void debug(String format, Object arg) { }
        @Override public void debug(String format, Object arg1, Object arg2) { }
        @Override public void debug(String format, Object... arguments) { }
        @Override public void debug(String msg, Throwable t) { }
        @Override public boolean isInfoEnabled() { return false; }
        @Override public void info(String msg) { }
        @Override public void info(String format, Object arg) { }
        @Override public void info(String format, Object arg1, Object arg2) { }
        @Override public void info(String format, Object... arguments) { }
        @Override public void info(String msg, Throwable t) { }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { lines.add(msg); }
        @Override public void warn(String format, Object arg) { warn(format, new Object[] {arg}); }
        @Override public void warn(String format, Object arg1, Object arg2) { warn(format, new Object[] {arg1, arg2}); }
        @Override public void warn(String msg, Throwable t) { lines.add(msg); }
        @Override public boolean isErrorEnabled() { return false; }
        @Override public void error(String msg) { }
        @Override public void error(String format, Object arg) { }
        @Override public void error(String format, Object arg1, Object arg2) { }
        @Override public void error(String format, Object... arguments) { }
        @Override public void error(String msg, Throwable t) { }
    }
}
