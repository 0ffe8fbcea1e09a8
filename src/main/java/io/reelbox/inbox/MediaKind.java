package io.reelbox.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The media formats the API accepts, each with the magic bytes that prove a file really is one. Checking content
 * as well as the extension catches a renamed text file or executable before it costs an upload.
 */
public enum MediaKind {
    MP4(Category.VIDEO, "mp4"), MOV(Category.VIDEO, "mov"), AVI(Category.VIDEO, "avi"), WEBM(Category.VIDEO, "webm"),
    MKV(Category.VIDEO, "mkv"),
    JPG(Category.IMAGE, "jpg", "jpeg"), PNG(Category.IMAGE, "png"), GIF(Category.IMAGE, "gif"), WEBP(Category.IMAGE, "webp"),
    MP3(Category.AUDIO, "mp3"), WAV(Category.AUDIO, "wav"), M4A(Category.AUDIO, "m4a"), AAC(Category.AUDIO, "aac");

    public enum Category { VIDEO, IMAGE, AUDIO }

    public static final String ACCEPTED = "mp4 mov avi webm mkv · jpg png gif webp · mp3 wav m4a aac";

    private final Category category;
    private final Set<String> extensions;

    MediaKind(Category category, String... extensions) {
        this.category = category;
        this.extensions = Set.of(extensions);
    }

    public Category category() {
        return category;
    }

    public static Optional<MediaKind> byName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.extensions.contains(ext)).findFirst();
    }

    /** Whether the first bytes of {@code file} fit this kind. */
    public boolean matches(Path file) throws IOException {
        byte[] h = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(h, 0, h.length);
        }
        return matches(h, n);
    }

    boolean matches(byte[] h, int n) {
        return switch (this) {
            case MP4, MOV, M4A -> n >= 12 && ascii(h, 4, "ftyp")
                    || this == MOV && n >= 8 && (ascii(h, 4, "moov") || ascii(h, 4, "wide") || ascii(h, 4, "mdat") || ascii(h, 4, "free"));
            case AVI -> n >= 12 && ascii(h, 0, "RIFF") && ascii(h, 8, "AVI ");
            case WAV -> n >= 12 && ascii(h, 0, "RIFF") && ascii(h, 8, "WAVE");
            case WEBP -> n >= 12 && ascii(h, 0, "RIFF") && ascii(h, 8, "WEBP");
            case WEBM, MKV -> n >= 4 && (h[0] & 0xff) == 0x1A && (h[1] & 0xff) == 0x45 && (h[2] & 0xff) == 0xDF && (h[3] & 0xff) == 0xA3;
            case JPG -> n >= 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8 && (h[2] & 0xff) == 0xFF;
            case PNG -> n >= 8 && (h[0] & 0xff) == 0x89 && ascii(h, 1, "PNG");
            case GIF -> n >= 6 && (ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a"));
            case MP3 -> n >= 3 && (ascii(h, 0, "ID3") || frameSync(h, n));
            case AAC -> n >= 2 && ((h[0] & 0xff) == 0xFF && (h[1] & 0xf6) == 0xF0 || n >= 4 && ascii(h, 0, "ADIF"));
        };
    }

    private static boolean frameSync(byte[] h, int n) {
        return n >= 2 && (h[0] & 0xff) == 0xFF && (h[1] & 0xE0) == 0xE0 && (h[1] & 0x06) != 0;
    }

    private static boolean ascii(byte[] h, int at, String s) {
        if (h.length < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (h[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
