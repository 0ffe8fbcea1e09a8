package io.reelbox.pool;

import io.reelbox.job.TokenStore;
import io.reelbox.nemo.NemoClient;

/**
 * One API server a job can run on: its client and its token (each {@code serve-local} node issues its own), and
 * whether it is marked down, why and until when.
 */
public final class RenderNode {

    private final String url;
    private final NemoClient client;
    private final TokenStore tokens;
    volatile long downUntil;
    volatile String downBecause;

    RenderNode(String url, NemoClient client, TokenStore tokens) {
        this.url = url;
        this.client = client;
        this.tokens = tokens;
    }

    public String url() {
        return url;
    }

    public NemoClient client() {
        return client;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public boolean up() {
        return System.currentTimeMillis() >= downUntil;
    }

    @Override
    public String toString() {
        return url;
    }
}
