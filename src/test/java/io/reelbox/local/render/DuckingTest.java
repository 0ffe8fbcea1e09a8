package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.plan.Planner;
import io.reelbox.testing.Probe;

/**
 * Music under a clip's own sound, measured in the MP4 by frequency: the clip speaks at 300 Hz for its 5 s, a photo
 * follows, and the music plays 1 kHz throughout (measured before its fade-out). Ducked, the music sits at least 8 dB under the clip's sound and comes
 * back up over the photo; asked not to duck, it stays level.
 */
class DuckingTest {

    @TempDir
    static Path media;
    @TempDir
    Path work;
    private int renders;

    @BeforeAll
    static void makeMedia() throws Exception {
        // Speech at about -31 dBFS, music 7 dB louder than it once at its 35 %: undocked, it would drown the speech.
        Probe.clip(media.resolve("talk.mp4"), "testsrc2=s=640x360:r=30", "sine=f=300:r=48000,volume=0.3", 5.3);
        Probe.still(media.resolve("photo.jpg"), "color=c=0x336699:s=640x360");
        Probe.tone(media.resolve("song.mp3"), "sine=f=1000:r=44100,volume=2", 20);
    }

    private Path render(String prompt) throws Exception {
        List<MediaInfo> infos = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String n : List.of("talk.mp4", "photo.jpg", "song.mp3")) {
            infos.add(MediaInfo.probe(Probe.ffmpeg(), n, media.resolve(n), MediaKind.byName(n).orElseThrow()));
            files.put(n, media.resolve(n));
        }
        Planner.Plan plan = new Planner().plan(prompt, null, infos);
        try (RenderQueue queue = new RenderQueue(Probe.ffmpeg(), LocalSetup.font(work), work.resolve("renders"), 1, 1, -14)) {
            String id = "r" + (++renders);
            queue.submit(id, plan.draft(), files);
            RenderQueue.Render r = queue.get(id);
            assertTrue(r.awaitEnd(java.time.Duration.ofMinutes(2)));
            assertEquals("completed", r.status, r.error);
            return r.output;
        }
    }

    private static double music(Path video, double from, double to) throws Exception {
        return Probe.meanVolume(video, from, to, "highpass=f=700,highpass=f=700");
    }

    @Test
    void theMusicDucksUnderTheClipsSoundAndComesBackUp() throws Exception {
        Path ducked = render("a 10 second video with hard cuts");
        Path level = render("a 10 second video with hard cuts, no ducking");
        double under = speech(ducked) - music(ducked, 1, 4.5);
        double undocked = speech(level) - music(level, 1, 4.5);
        assertTrue(undocked < 0, "undocked, the music is louder than the speech: " + undocked + " dB");
        assertTrue(under >= 8, "ducked, it sits " + under + " dB under the clip's sound");
        assertTrue(music(ducked, 5.6, 6.9) - music(ducked, 1, 4.5) >= 8, "and comes back up after the clip");
        assertEquals(music(level, 5.6, 6.9), music(level, 1, 4.5), 2.0, "asked not to duck, the music stays level");
    }

    private static double speech(Path video) throws Exception {
        return Probe.meanVolume(video, 1, 4.5, "lowpass=f=500,lowpass=f=500");
    }
}
