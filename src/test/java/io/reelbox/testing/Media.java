package io.reelbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small files whose first bytes are those of the real formats, for tests that do not decode media. */
public final class Media {

    private Media() {
    }

    public static Path jpg(Path file) throws IOException {
        return write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, 2048);
    }

    public static Path mp3(Path file) throws IOException {
        return write(file, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}, 2048);
    }

    public static Path mp4(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, NemoStub.mp4(8192));
    }

    public static Path text(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text);
    }

    private static Path write(Path file, byte[] head, int size) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] b = new byte[size];
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < size; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return Files.write(file, b);
    }
}
