package io.reelbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The clockwise turn a JPEG's EXIF Orientation tag asks a viewer to give the picture. Phones store portrait photos as
 * landscape pixels plus this tag, and ffmpeg 4.4 does not apply it. Only the plain turns are read (orientations 3, 6
 * and 8); the mirrored ones (2, 4, 5, 7), which cameras do not write, and anything unreadable count as upright.
 */
final class ExifOrientation {

    private static final int SCAN_LIMIT = 256 * 1024;

    private ExifOrientation() {
    }

    static int rotation(Path jpeg) {
        byte[] head;
        try (InputStream in = Files.newInputStream(jpeg)) {
            head = in.readNBytes(SCAN_LIMIT);
        } catch (IOException e) {
            return 0;
        }
        return switch (orientation(head)) {
            case 3 -> 180;
            case 6 -> 90;
            case 8 -> 270;
            default -> 0;
        };
    }

    /** The Orientation value (1–8) of the EXIF block in {@code jpeg}'s header, or 1. */
    static int orientation(byte[] jpeg) {
        ByteBuffer b = ByteBuffer.wrap(jpeg);
        if (b.remaining() < 4 || (b.getShort() & 0xffff) != 0xffd8) {
            return 1;
        }
        try {
            while (b.remaining() >= 4) {
                int marker = b.getShort() & 0xffff;
                int length = b.getShort() & 0xffff;
                if ((marker & 0xff00) != 0xff00 || length < 2 || marker == 0xffda) {
                    return 1; // not a marker, or the picture data began: no EXIF before it
                }
                int next = b.position() + length - 2;
                if (marker == 0xffe1 && length >= 16 && "Exif".equals(new String(jpeg, b.position(), 4, java.nio.charset.StandardCharsets.US_ASCII))) {
                    return tiffOrientation(ByteBuffer.wrap(jpeg, b.position() + 6, length - 8).slice());
                }
                b.position(next);
            }
        } catch (RuntimeException malformed) {
            // a truncated or lying header: upright
        }
        return 1;
    }

    private static int tiffOrientation(ByteBuffer tiff) {
        int order = tiff.getShort(0) & 0xffff;
        tiff.order(order == 0x4949 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = tiff.getInt(4);
        int entries = tiff.getShort(ifd) & 0xffff;
        for (int i = 0; i < entries; i++) {
            int at = ifd + 2 + i * 12;
            if ((tiff.getShort(at) & 0xffff) == 0x0112) {
                int value = tiff.getShort(at + 8) & 0xffff;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }
}
