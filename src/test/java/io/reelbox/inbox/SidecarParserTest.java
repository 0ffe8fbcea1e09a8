package io.reelbox.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

class SidecarParserTest {

    @TempDir
    Path dir;
    final SidecarParser parser = new SidecarParser(10_000);

    private JobSpec parse(String name, String text) throws IOException {
        return parser.parse(Files.writeString(dir.resolve(name), text), "promo");
    }

    private String refusal(String name, String text) {
        JobFailure f = assertThrows(JobFailure.class, () -> parse(name, text));
        assertEquals(Failure.BAD_SIDECAR, f.failure());
        return f.getMessage();
    }

    @Test
    void yamlWithEveryField() throws IOException {
        JobSpec s = parse("promo.yaml", """
                prompt: combine my clips into a 60-second video with transitions
                media: [b.jpg, a.jpg, song.mp3, "https://example.org/x.mp4"]
                output: launch.mp4
                language: de
                aspect: "9:16"
                resolution: 1080p
                duration: 60
                title: Urban Dreams
                music_volume: 35%
                fill: Crop
                """);
        assertEquals(List.of("b.jpg", "a.jpg", "song.mp3", "https://example.org/x.mp4"), s.media());
        assertTrue(s.mediaListed());
        assertEquals("launch", s.renders().get(0).output());
        assertEquals("de", s.language());
        assertEquals("combine my clips into a 60-second video with transitions\n\nRequirements: aspect ratio 9:16; resolution 1080p; "
                + "duration 60 seconds; title \"Urban Dreams\"; background music at 35%; crop to fill.", s.promptFor(0));
    }

    @Test
    void jsonAndTxt() throws IOException {
        JobSpec j = parse("promo.json", "{\"prompt\":\"make a reel\",\"music_volume\":0.35}");
        assertEquals(35, j.hints().musicVolumePercent());
        assertEquals("promo", j.renders().get(0).output());
        assertNull(j.language());
        assertEquals("make a video\n\nRequirements: for YouTube Shorts.",
                parse("short.yaml", "prompt: make a video\nplatform: YouTube Shorts\n").promptFor(0), "the hint in the words every backend reads");
        JobSpec t = parse("beach.txt", "  make a 30s vertical video\n");
        assertEquals("make a 30s vertical video", t.promptFor(0));
        assertFalse(t.mediaListed());
    }

    @Test
    void rendersBatch() throws IOException {
        JobSpec s = parse("batch.yaml", """
                prompt: use all my clips
                output: promo
                renders:
                  - prompt: a 15-second teaser
                    output: teaser
                  - prompt: the full 60-second cut
                """);
        assertEquals("use all my clips", s.basePrompt());
        assertEquals(2, s.renders().size());
        assertEquals("teaser", s.renders().get(0).output());
        assertEquals("promo-2", s.renders().get(1).output());
    }

    @Test
    void clearRefusals() {
        assertTrue(refusal("a.yaml", "prompt: [unclosed").contains("not valid YAML at line 1"));
        assertTrue(refusal("a.json", "{\"prompt\": }").contains("not valid JSON"));
        assertTrue(refusal("a.yaml", "media: [a.jpg]\n").contains("has no prompt"));
        assertTrue(refusal("a.txt", "   \n").contains("a.txt has no text: say what video to make"));
        assertTrue(refusal("a.yaml", "prompt: " + "x".repeat(10_001)).contains("limit is 10000"));
        assertTrue(refusal("a.yaml", "promt: typo").contains("unknown field(s) [promt]"));
        assertTrue(refusal("a.yaml", "prompt: p\naspect: 4:3").contains("'aspect' must be one of"));
        assertTrue(refusal("a.yaml", "prompt: p\nduration: forever").contains("'duration'"));
        assertTrue(refusal("a.yaml", "prompt: p\nmusic_volume: 300").contains("'music_volume'"));
        assertTrue(refusal("a.yaml", "prompt: p\nfill: stretch").contains("'fill' must be one of blur, black, crop"));
        assertTrue(refusal("a.yaml", "prompt: p\nplatform: myspace").contains("'platform' must be one of youtube, shorts, reels, tiktok, stories"));
        assertTrue(refusal("a.yaml", "prompt: p\noutput: ../x").contains("'output' must be a plain file name"));
        assertTrue(refusal("a.yaml", "prompt: p\nmedia: []").contains("'media' is empty"));
        assertTrue(refusal("a.yaml", "- just\n- a list").contains("must be a mapping"));
        assertTrue(refusal("a.yaml", "prompt: p\nrenders: []").contains("'renders' must be a non-empty list"));
    }

    @Test
    void nonUtf8IsRefused() throws IOException {
        Files.write(dir.resolve("x.yaml"), new byte[] {'p', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertTrue(assertThrows(JobFailure.class, () -> parser.parse(dir.resolve("x.yaml"), "x")).getMessage().contains("not UTF-8"));
    }

    @Test
    void sidecarNames() {
        assertTrue(SidecarParser.isSidecarName("beach.YAML"));
        assertTrue(SidecarParser.isSidecarName("notes.txt"));
        assertFalse(SidecarParser.isSidecarName("error.json"));
        assertFalse(SidecarParser.isSidecarName("beach.mp4"));
    }
}
