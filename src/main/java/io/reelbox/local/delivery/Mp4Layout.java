package io.reelbox.local.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an MP4's boxes say, read without decoding: the box tree (top level, and every path inside {@code moov}), whether
 * {@code moov} comes before {@code mdat}, whether any track has an edit list, the H.264 profile and level from the
 * {@code avcC} record, and the largest gap between keyframes from the sync-sample and time-to-sample tables. Only the
 * headers of the top-level boxes and the {@code moov} box itself are read, so a large video costs a few reads.
 */
public record Mp4Layout(List<String> boxes, boolean moovFirst, boolean editList, int avcProfile, int avcLevel,
                        double largestKeyframeGap, int keyframes) {

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "edts", "mdia", "minf", "stbl");
    private static final int MAX_MOOV = 64 << 20;

    /** Reads {@code file}; throws when it is not an MP4 with a {@code moov} box. */
    public static Mp4Layout read(Path file) throws IOException {
        List<String> boxes = new ArrayList<>();
        ByteBuffer moov = null;
        boolean moovFirst = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            long end = ch.size();
            while (at + 8 <= end) {
                ByteBuffer head = ByteBuffer.allocate(16);
                ch.read(head, at);
                head.flip();
                long size = head.getInt() & 0xffffffffL;
                String type = type(head.getInt());
                int header = 8;
                if (size == 1 && head.remaining() >= 8) {
                    size = head.getLong();
                    header = 16;
                } else if (size == 0) {
                    size = end - at;
                }
                if (size < header || at + size > end) {
                    break;
                }
                boxes.add(type);
                if (type.equals("moov") && moov == null && size - header <= MAX_MOOV) {
                    moovFirst = !boxes.contains("mdat");
                    moov = ByteBuffer.allocate((int) (size - header));
                    ch.read(moov, at + header);
                    moov.flip();
                    walk(moov, "moov/", boxes);
                }
                at += size;
            }
        }
        if (moov == null) {
            throw new IOException(file.getFileName() + " is not a whole MP4: it has no moov box");
        }
        Video video = Video.find(moov);
        return new Mp4Layout(List.copyOf(boxes), moovFirst, boxes.stream().anyMatch(b -> b.endsWith("/edts")),
                video.profile, video.level, video.largestGap(), video.keyframeCount());
    }

    private static void walk(ByteBuffer b, String prefix, List<String> out) {
        Boxes.forEach(b, (type, payload) -> {
            out.add(prefix + type);
            if (CONTAINERS.contains(type)) {
                walk(payload, prefix + type + "/", out);
            }
        });
    }

    static String type(int fourcc) {
        return new String(ByteBuffer.allocate(4).putInt(fourcc).array(), StandardCharsets.ISO_8859_1);
    }
}
