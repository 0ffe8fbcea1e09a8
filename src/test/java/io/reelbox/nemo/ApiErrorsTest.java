package io.reelbox.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import io.reelbox.failure.Failure;

class ApiErrorsTest {

    @Test
    void bothSuccessEnvelopesUnwrapToData() {
        assertEquals("s1", ApiErrors.unwrap("x", 200, "{\"code\":0,\"message\":\"ok\",\"data\":{\"session_id\":\"s1\"}}", null).path("session_id").asText());
        assertEquals("s2", ApiErrors.unwrap("x", 200, "{\"success\":true,\"data\":{\"session_id\":\"s2\"}}", null).path("session_id").asText());
        assertEquals("completed", ApiErrors.unwrap("x", 200, "{\"taskId\":\"t\",\"status\":\"completed\"}", null).path("status").asText());
    }

    @Test
    void codesInHttp200AreErrors() {
        assertEquals(Failure.TOKEN_INVALID, kind(200, "{\"code\":1001,\"message\":\"token expired\"}"));
        assertEquals(Failure.SESSION_NOT_FOUND, kind(200, "{\"code\":1002,\"message\":\"no session\"}"));
        assertEquals(Failure.OUT_OF_CREDITS, kind(200, "{\"code\":2001,\"message\":\"no credits\"}"));
        assertEquals(Failure.UNSUPPORTED_FILE, kind(200, "{\"code\":4001}"));
        assertEquals(Failure.FILE_TOO_LARGE, kind(200, "{\"code\":\"4002\"}"));
        assertEquals(Failure.REJECTED, kind(200, "{\"success\":false,\"error\":\"bad draft\"}"));
        assertEquals(Failure.REJECTED, kind(200, "{\"code\":9999}"));
    }

    @Test
    void httpStatusesWithAndWithoutBodies() {
        assertEquals(Failure.WORK_DIR_FULL, kind(507, "{\"code\":507,\"disk\":\"/srv/work/local\",\"message\":\"no space left\"}"));
        assertEquals("work-dir-full", ApiErrors.classify("upload", 507, null, "", null).code());
        assertEquals(Failure.TOKEN_INVALID, kind(401, null));
        assertEquals(Failure.EXPORT_BLOCKED, kind(402, "{\"detail\":\"free plan\"}"));
        assertEquals(Failure.SESSION_NOT_FOUND, kind(404, "{\"detail\":\"Session not found: 12\"}"));
        assertEquals(Failure.REJECTED, kind(404, "{\"detail\":\"Not Found\"}"));
        assertEquals(Failure.RATE_LIMITED, kind(429, ""));
        assertEquals(Failure.UNAVAILABLE, kind(500, "<html>oops</html>"));
        assertEquals(Failure.UNAVAILABLE, kind(503, null));
        assertEquals(Failure.TOKEN_INVALID, kind(400, "{\"code\":1001}"), "the code wins over the status");
        assertEquals(Failure.REJECTED, kind(422, "{\"detail\":[{\"msg\":\"field required\"}]}"));
    }

    @Test
    void unreadableSuccessIsTransient() {
        assertEquals(Failure.UNAVAILABLE, kind(200, ""));
        assertEquals(Failure.UNAVAILABLE, kind(200, "{\"code\":0,\"data\":"));
        assertEquals(Failure.UNAVAILABLE, kind(200, "<html>proxy</html>"));
    }

    @Test
    void messagesSayWhatTheServerSaidAndStayShort() {
        ApiException e = assertThrows(ApiException.class, () -> ApiErrors.unwrap("upload", 200, "{\"code\":4001,\"message\":\"type .exe\"}", null));
        assertEquals("upload: type .exe", e.getMessage());
        assertEquals("4001", e.code());
        ApiException html = assertThrows(ApiException.class, () -> ApiErrors.unwrap("state", 502, "<html>" + "x".repeat(5000), null));
        assertEquals("state: HTTP 502 with an HTML page", html.getMessage());
        assertEquals("HTTP 502", html.code());
        ApiException longText = assertThrows(ApiException.class, () -> ApiErrors.unwrap("state", 500, "y".repeat(5000), null));
        assertTrue(longText.getMessage().length() < 400);
    }

    @Test
    void retryAfterAsSecondsOrDate() {
        assertEquals(Duration.ofSeconds(7), ApiErrors.parseRetryAfter("7"));
        assertNull(ApiErrors.parseRetryAfter("soon"));
        assertNull(ApiErrors.parseRetryAfter(null));
        String in20s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(20));
        long s = ApiErrors.parseRetryAfter(in20s).toSeconds();
        assertTrue(s >= 18 && s <= 20, "about 20 s, got " + s);
        ApiException e = assertThrows(ApiException.class, () -> ApiErrors.unwrap("x", 429, "", "3"));
        assertEquals(Duration.ofSeconds(3), e.retryAfter());
    }

    private static Failure kind(int status, String body) {
        return assertThrows(ApiException.class, () -> ApiErrors.unwrap("x", status, body, null)).failure();
    }
}
