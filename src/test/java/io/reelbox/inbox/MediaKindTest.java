package io.reelbox.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MediaKindTest {

    private static boolean is(MediaKind k, String hexOrAscii) {
        byte[] b = hexOrAscii.startsWith("0x") ? hex(hexOrAscii.substring(2)) : hexOrAscii.getBytes(StandardCharsets.ISO_8859_1);
        return k.matches(b, b.length);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void extensions() {
        assertEquals(Optional.of(MediaKind.JPG), MediaKind.byName("Photo.JPEG"));
        assertEquals(Optional.of(MediaKind.M4A), MediaKind.byName("a.m4a"));
        assertEquals(Optional.empty(), MediaKind.byName("a.exe"));
        assertEquals(Optional.empty(), MediaKind.byName("noext"));
    }

    @Test
    void magicBytes() {
        assertTrue(is(MediaKind.MP4, "0x00000018667479706973736f6d"));
        assertTrue(is(MediaKind.MOV, "0x0000001466747970717420202005"));
        assertTrue(is(MediaKind.MOV, "0x000000086d6f6f76000000"));
        assertTrue(is(MediaKind.JPG, "0xffd8ffe000104a464946"));
        assertTrue(is(MediaKind.PNG, "0x89504e470d0a1a0a"));
        assertTrue(is(MediaKind.GIF, "GIF89a...."));
        assertTrue(is(MediaKind.WEBP, "RIFF\0\0\0\0WEBPVP8 "));
        assertTrue(is(MediaKind.WAV, "RIFF\0\0\0\0WAVEfmt "));
        assertTrue(is(MediaKind.AVI, "RIFF\0\0\0\0AVI LIST"));
        assertTrue(is(MediaKind.WEBM, "0x1a45dfa3a3"));
        assertTrue(is(MediaKind.MP3, "ID3\u0004\0"));
        assertTrue(is(MediaKind.MP3, "0xfffb9064"));
        assertTrue(is(MediaKind.AAC, "0xfff15080"));
        assertFalse(is(MediaKind.MP4, "#!/bin/sh\necho hi\n"));
        assertFalse(is(MediaKind.MP4, "0x7f454c46020101000000"), "an ELF executable renamed .mp4");
        assertFalse(is(MediaKind.JPG, "0x89504e470d0a1a0a"), "a PNG named .jpg");
        assertFalse(is(MediaKind.WAV, "RIFF\0\0\0\0WEBPVP8 "));
        assertFalse(is(MediaKind.MP3, ""));
    }
}
