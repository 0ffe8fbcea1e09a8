package io.reelbox.local.analysis;

import java.io.IOException;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.Ffmpeg;
import io.reelbox.local.MediaInfo;

/**
 * What the backend learns about a medium once, at upload: for music its beats, for a clip its profile. An analysis
 * that fails never fails the upload: the medium is marked so, and the plan falls back (even timing, a clip from its
 * start) and says why.
 */
public final class MediaAnalysis {

    private static final Logger LOG = LoggerFactory.getLogger(MediaAnalysis.class);
    /** 22.05 kHz holds everything onsets need (up to 8 kHz) at half the work of 44.1. */
    private static final int RATE = 22050;
    /** Longer media are analysed for their first ten minutes; no video here is longer. */
    private static final double MAX_SECONDS = 600;

    private final BeatTracker tracker = new BeatTracker();

    public MediaInfo analyse(Ffmpeg ffmpeg, MediaInfo media) {
        return switch (media.category()) {
            case AUDIO -> music(ffmpeg, media);
            case VIDEO -> clip(ffmpeg, media);
            case IMAGE -> media;
        };
    }

    private MediaInfo music(Ffmpeg ffmpeg, MediaInfo media) {
        try {
            long t0 = System.nanoTime();
            Beats beats = tracker.track(Onsets.of(Pcm.decode(ffmpeg, media.file(), RATE, MAX_SECONDS)));
            LOG.info("Analysed {}: {} ({} ms)", media.file().getFileName(), beats.clear()
                    ? String.format(Locale.ROOT, "%.1f BPM, %d beats, %d bars", beats.bpm(), beats.beats().length, beats.downbeats().length)
                    : "no clear beat", (System.nanoTime() - t0) / 1_000_000);
            return media.withBeats(beats);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not analyse the beat of {}: {}; its cuts will be evenly timed", media.file().getFileName(), e.getMessage());
            return media.withBeats(Beats.failed());
        }
    }

    private static MediaInfo clip(Ffmpeg ffmpeg, MediaInfo media) {
        try {
            long t0 = System.nanoTime();
            ClipProfile profile = ClipAnalysis.profile(ffmpeg, media, MAX_SECONDS);
            LOG.info("Analysed {}: {} s of pictures, {} shot cuts ({} ms)", media.file().getFileName(),
                    String.format(Locale.ROOT, "%.1f", profile.seconds()), profile.cuts().length, (System.nanoTime() - t0) / 1_000_000);
            return media.withProfile(profile);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not analyse {}: {}; if it must be shortened it will start from its beginning", media.file().getFileName(),
                    e.getMessage());
            return media.withProfile(ClipProfile.failed());
        }
    }
}
