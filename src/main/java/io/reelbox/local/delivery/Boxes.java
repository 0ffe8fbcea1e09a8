package io.reelbox.local.delivery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Finding boxes inside a box's payload: each result is a view of one child's payload (its header skipped). */
final class Boxes {

    private Boxes() {
    }

    /** Each box inside {@code parent}'s payload, in order: its type and a view of its own payload. */
    static void forEach(ByteBuffer parent, java.util.function.BiConsumer<String, ByteBuffer> visit) {
        int at = parent.position();
        while (at + 8 <= parent.limit()) {
            long size = parent.getInt(at) & 0xffffffffL;
            if (size < 8 || at + size > parent.limit()) {
                return;
            }
            visit.accept(Mp4Layout.type(parent.getInt(at + 4)), parent.duplicate().position(at + 8).limit((int) (at + size)));
            at += (int) size;
        }
    }

    static List<ByteBuffer> children(ByteBuffer parent, String type) {
        List<ByteBuffer> out = new ArrayList<>();
        forEach(parent, (t, payload) -> {
            if (t.equals(type)) {
                out.add(payload);
            }
        });
        return out;
    }

    static ByteBuffer child(ByteBuffer parent, String type) {
        List<ByteBuffer> found = children(parent, type);
        return found.isEmpty() ? null : found.get(0);
    }

    static ByteBuffer path(ByteBuffer parent, String... types) {
        ByteBuffer at = parent;
        for (String t : types) {
            at = child(at, t);
            if (at == null) {
                return null;
            }
        }
        return at;
    }
}
