package io.reelbox.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenderStatusTest {

    private static RenderStatus parse(String body) {
        return RenderStatus.from(ApiErrors.unwrap("render status", 200, body, null));
    }

    @Test
    void topLevelShape() {
        RenderStatus s = parse("{\"taskId\":\"t\",\"status\":\"completed\",\"progress\":100,\"output\":{\"url\":\"https://cdn/x.mp4\",\"duration\":60.0,\"size\":1234}}");
        assertTrue(s.completed());
        assertEquals("https://cdn/x.mp4", s.url());
        assertEquals(1234, s.size());
        assertEquals(60.0, s.durationSeconds());
    }

    @Test
    void wrappedShape() {
        RenderStatus s = parse("{\"success\":true,\"data\":{\"id\":\"r\",\"status\":\"processing\",\"progress\":0.4}}");
        assertFalse(s.completed());
        assertEquals(40, s.progress());
        RenderStatus done = parse("{\"success\":true,\"data\":{\"id\":\"r\",\"status\":\"completed\",\"outputUrl\":\"https://cdn/y.mp4\"}}");
        assertEquals("https://cdn/y.mp4", done.url());
        assertEquals(-1, done.size());
    }

    @Test
    void failedWithReason() {
        RenderStatus s = parse("{\"taskId\":\"t\",\"status\":\"failed\",\"error\":\"codec\"}");
        assertTrue(s.failed());
        assertEquals("codec", s.error());
        assertEquals("pending", parse("{\"taskId\":\"t\"}").status());
    }
}
