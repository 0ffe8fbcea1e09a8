package io.reelbox.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.Timeline;
import io.reelbox.local.analysis.BeatTracker;
import io.reelbox.local.analysis.MediaAnalysis;
import io.reelbox.local.analysis.Onsets;
import io.reelbox.local.analysis.Pcm;
import io.reelbox.local.render.RenderCommand;
import io.reelbox.testing.Probe;
import io.reelbox.testing.Tracks;

/**
 * Cuts on the beat, measured on the rendered MP4: eight photos of distinct colours and a 100 BPM drum track, analysed
 * as the backend analyses an upload, planned and rendered by ffmpeg. Every cut in the picture (the first frame of a new
 * colour) lies within 40 ms of a beat of the track, and the sound of the MP4 still carries that beat.
 */
class BeatCutRenderTest {

    private static final String[] COLOURS = {"red", "green", "blue", "yellow", "magenta", "cyan", "white", "gray"};

    @TempDir
    Path dir;

    @Test
    void eightPhotosCutOnTheBeatOfA100BpmTrack() throws Exception {
        Ffmpeg ff = Probe.ffmpeg();
        List<MediaInfo> media = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String c : COLOURS) {
            Path p = Probe.still(dir.resolve(c + ".jpg"), "color=c=" + c + ":s=640x360");
            media.add(MediaInfo.probe(ff, c + ".jpg", p, MediaKind.JPG));
            files.put(c + ".jpg", p);
        }
        Tracks.Track song = Tracks.drums(dir.resolve("song.wav"), 100, 0.25, 40, 3);
        media.add(new MediaAnalysis().analyse(ff, MediaInfo.probe(ff, "song.wav", song.file(), MediaKind.WAV)));
        files.put("song.wav", song.file());

        Planner.Plan plan = new Planner().plan("a 20 second slideshow of my photos with hard cuts", null, media);
        assertTrue(plan.reply().contains("Every cut falls on the beat of song.wav (100 BPM)"), plan.reply());
        double in = BeatCutsTest.musicIn(plan.draft());
        double[] beats = BeatCutsTest.heard(song.beats(), in);
        Path out = dir.resolve("out.mp4");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        RenderCommand.Command cmd = RenderCommand.build(plan.draft(), files, LocalSetup.font(dir), scratch, out, RenderCommand.Streams.BOTH);
        Process p = ff.start(cmd.args(), scratch.resolve("log"));
        Ffmpeg.readProgress(p, us -> { });
        assertEquals(0, p.waitFor(), () -> read(scratch.resolve("log")));

        List<byte[]> frames = Probe.frames(out, 16, 9);
        assertEquals(20 * Timeline.FPS, frames.size(), 1, "20 s of frames");
        List<Double> cuts = new ArrayList<>();
        for (int i = 1; i < frames.size(); i++) {
            if (distance(frames.get(i - 1), frames.get(i)) > 60) {
                cuts.add(i / (double) Timeline.FPS);
            }
        }
        assertEquals(7, cuts.size(), "seven cuts between eight photos: " + cuts);
        for (double c : cuts) {
            assertTrue(BeatCutsTest.nearestBeatGap(c, beats) <= 0.04, "cut at " + c + " s within 40 ms of a beat: " + cuts);
        }
        // The sound: the MP4's own audio beats where the track does from its start point, so the picture cuts with what
        // is heard, and the last bar's first beat falls on the video's end, where the fade-out ends.
        assertTrue(BeatCutsTest.nearestBeatGap(20 + in, song.downbeats()) < 0.04, "the music ends on a bar");
        double[] heard = new BeatTracker().track(Onsets.of(Pcm.decode(ff, out, 22050, 60))).beats();
        double[] truth = java.util.Arrays.stream(beats).filter(b -> b < 17).toArray();
        double[] early = java.util.Arrays.stream(heard).filter(b -> b < 17).toArray();
        assertTrue(Tracks.fMeasure(truth, early, 0.07) >= 0.95, "the beat heard in the MP4 is the track's");
    }

    private static double distance(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / a.length;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
