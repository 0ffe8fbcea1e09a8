package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.reelbox.local.Ffmpeg;


/**
 * A poster frame for each finished video: a 480-pixel-wide JPEG taken one second in (or the first frame of a shorter
 * video), made by ffmpeg on first request and kept in the work dir's {@code posters/}, never in the user's outbox.
 * A video replaced under the same name gets a new poster.
 */
public final class Posters {

    private final Path dir;
    private final FfmpegSource ffmpeg;

    /** ffmpeg is found (or unpacked) only when the first poster is asked for. */
    @FunctionalInterface
    public interface FfmpegSource {
        Ffmpeg get() throws IOException;
    }

    public Posters(Path workDir, FfmpegSource ffmpeg) {
        this.dir = workDir.resolve("posters");
        this.ffmpeg = ffmpeg;
    }

    /** The poster of {@code video}, which the job {@code id} published. */
    public Path of(String id, Path video) throws IOException {
        Path poster = dir.resolve(JobActions.safe(id) + "-" + video.getFileName() + ".jpg");
        // One poster is made at a time: they are small, and made once per video.
        synchronized (this) {
            if (Files.isRegularFile(poster)
                    && Files.getLastModifiedTime(poster).compareTo(Files.getLastModifiedTime(video)) >= 0) {
                return poster;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + poster.getFileName() + ".part.jpg");
            for (String at : List.of("1", "0")) {
                Files.deleteIfExists(tmp);
                ffmpeg.get().run(List.of("-v", "error", "-ss", at, "-i", video.toString(), "-frames:v", "1",
                        "-vf", "scale=480:-2", "-q:v", "4", "-y", tmp.toString()), 30);
                if (Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                    Files.move(tmp, poster, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return poster;
                }
            }
            throw new IOException("ffmpeg made no frame of " + video.getFileName());
        }
    }
}
