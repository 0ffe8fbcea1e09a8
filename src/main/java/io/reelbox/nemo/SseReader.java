package io.reelbox.nemo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} into event payloads. Multi-line {@code data:} fields are joined with newlines;
 * {@code event:}, {@code id:}, {@code retry:} and comment lines are ignored because the agent's meaning is all in the
 * data. An event with no data field at all (a bare blank line) is not reported; an empty {@code data:} is, as "" —
 * it is a keep-alive.
 */
public final class SseReader {

    private SseReader() {
    }

    public static void read(InputStream in, Consumer<String> onData) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    onData.accept(data.toString());
                    data = null;
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if ("data".equals(field)) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
        // The server ends a run by closing the connection, possibly without the final blank line.
        if (data != null) {
            onData.accept(data.toString());
        }
    }
}
