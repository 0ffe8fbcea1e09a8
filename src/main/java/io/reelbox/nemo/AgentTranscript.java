package io.reelbox.nemo;

import java.util.List;

/**
 * What one prompt run produced: the agent's text replies in order (thoughts, tool traffic and streaming fragments
 * removed), and counts that tell a silent edit from a broken one.
 */
public record AgentTranscript(List<String> replies, int toolCalls, int toolResults, int heartbeats, int events) {

    public boolean hasText() {
        return !replies.isEmpty();
    }
}
