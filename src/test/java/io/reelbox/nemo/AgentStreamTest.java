package io.reelbox.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.reelbox.failure.Failure;
import io.reelbox.testing.MutableClock;

class AgentStreamTest {

    private final MutableClock clock = new MutableClock();

    private AgentTranscript run(String wire) throws IOException {
        AgentStream stream = new AgentStream("test", Duration.ofMinutes(2), Duration.ofMinutes(10), clock);
        SseReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), stream::accept);
        return stream.finish();
    }

    @Test
    void readerJoinsMultiLineDataAndIgnoresOtherFields() throws IOException {
        List<String> got = new ArrayList<>();
        String wire = ": comment\nevent: message\nid: 7\nretry: 100\ndata: {\"a\":\ndata: 1}\n\ndata:\n\ndata:no-space\n\n\n\ndata: tail-without-blank";
        SseReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), got::add);
        assertEquals(List.of("{\"a\":\n1}", "", "no-space", "tail-without-blank"), got);
    }

    @Test
    void adkEventsGiveTextAndCountToolTraffic() throws IOException {
        AgentTranscript t = run("""
                data: {"content":{"role":"model","parts":[{"functionCall":{"id":"1","name":"add_clip","args":{}}}]},"author":"nemo_agent","invocationId":"e-1","id":"a","timestamp":1.7e9}

                data: {"content":{"role":"user","parts":[{"functionResponse":{"id":"1","name":"add_clip","response":{}}}]},"author":"nemo_agent"}

                data: {"content":{"role":"model","parts":[{"text":"thinking…","thought":true},{"text":"Your 60-second video is ready."}]},"author":"nemo_agent","actions":{"stateDelta":{}},"unknownField":[1,2]}

                """);
        assertEquals(List.of("Your 60-second video is ready."), t.replies());
        assertEquals(1, t.toolCalls());
        assertEquals(1, t.toolResults());
    }

    @Test
    void snakeCaseAndVendorVariantAreAccepted() throws IOException {
        AgentTranscript t = run("""
                data: {"content":{"parts":[{"function_call":{"name":"x"}},{"function_response":{"name":"x"}}]}}

                data: {"type":"tool_call","name":"trim"}

                data: {"type":"tool_result","name":"trim"}

                data: {"type":"heartbeat"}

                data: {"type":"text","content":"Trimmed to 30 s."}

                """);
        assertEquals(List.of("Trimmed to 30 s."), t.replies());
        assertEquals(2, t.toolCalls());
        assertEquals(2, t.toolResults());
        assertEquals(1, t.heartbeats());
    }

    @Test
    void partialChunksAreNotCountedTwice() throws IOException {
        AgentTranscript t = run("""
                data: {"content":{"parts":[{"text":"Combining "}]},"partial":true}

                data: {"content":{"parts":[{"text":"your clips."}]},"partial":true}

                data: {"content":{"parts":[{"text":"Combining your clips."}]},"partial":false}

                """);
        assertEquals(List.of("Combining your clips."), t.replies());
    }

    @Test
    void partialChunksWithoutFinalEventAreJoined() throws IOException {
        AgentTranscript t = run("data: {\"content\":{\"parts\":[{\"text\":\"Half \"}]},\"partial\":true}\n\n"
                + "data: {\"content\":{\"parts\":[{\"text\":\"done\"}]},\"partial\":true}\n\n");
        assertEquals(List.of("Half done"), t.replies());
    }

    @Test
    void toolCallsOnlyAndHeartbeatsGiveNoText() throws IOException {
        AgentTranscript t = run("data:\n\ndata: {\"type\":\"heartbeat\"}\n\ndata: {\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"x\"}}]}}\n\n");
        assertFalse(t.hasText());
        assertEquals(2, t.heartbeats());
        assertEquals(1, t.toolCalls());
    }

    @Test
    void trailingTemporaryIssueIsIgnoredAfterNormalReplies() throws IOException {
        AgentTranscript t = run("data: " + text("Added music at 35%.") + "\n\ndata: " + text("I encountered a temporary issue, please retry.") + "\n\n");
        assertEquals(List.of("Added music at 35%."), t.replies());
    }

    @Test
    void inStreamErrorsInEveryDocumentedForm() {
        String[] forms = {
            "data: {\"error\":\"Session not found\"}\n\n",
            "data: {\"error\":\"quota\",\"error_details\":{\"code\":2001}}\n\n",
            "data: {\"content\":{\"parts\":[{\"text\":\"Error: the model failed\"}]},\"author\":\"system\"}\n\n",
            "data: {\"errorCode\":\"INTERNAL\",\"errorMessage\":\"tool crashed\"}\n\n",
            "data: {error: not json at all}\n\n",
        };
        Failure[] kinds = {Failure.AGENT_ERROR, Failure.OUT_OF_CREDITS, Failure.AGENT_ERROR, Failure.AGENT_ERROR, Failure.AGENT_ERROR};
        for (int i = 0; i < forms.length; i++) {
            String wire = forms[i];
            ApiException e = assertThrows(ApiException.class, () -> run(wire), wire);
            assertEquals(kinds[i], e.failure(), wire);
            assertTrue(e.getMessage().startsWith("prompt: the agent reported an error"), e.getMessage());
        }
    }

    @Test
    void unreadablePayloadWithoutErrorIsSkipped() throws IOException {
        AgentTranscript t = run("data: <html>\n\ndata: " + text("ok") + "\n\n");
        assertEquals(List.of("ok"), t.replies());
    }

    @Test
    void heartbeatsOnlyForTheLimitTimeOut() {
        AgentStream stream = new AgentStream("test", Duration.ofMinutes(2), Duration.ofMinutes(10), clock);
        stream.accept(text("working on it"));
        for (int minute = 1; minute < 10; minute++) {
            clock.advance(Duration.ofMinutes(1));
            stream.accept("");
        }
        clock.advance(Duration.ofMinutes(1));
        ApiException e = assertThrows(ApiException.class, () -> stream.accept("{\"type\":\"heartbeat\"}"));
        assertEquals(Failure.UNAVAILABLE, e.failure());
        assertTrue(e.getMessage().contains("keep-alives"));
    }

    @Test
    void realEventsResetTheHeartbeatLimit() {
        AgentStream stream = new AgentStream("test", Duration.ofMinutes(2), Duration.ofMinutes(10), clock);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(1));
            stream.accept(i % 5 == 4 ? "{\"type\":\"tool_call\",\"name\":\"x\"}" : "");
        }
        assertInstanceOf(AgentTranscript.class, stream.finish());
    }

    private static String text(String s) {
        return "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + s + "\"}]},\"author\":\"nemo_agent\"}";
    }
}
