package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Places a file or folder under a name that is free, never replacing anything: {@code promo}, then {@code promo-2},
 * {@code promo-3}… The check and the placing are one atomic step (a rename that fails on an existing target, or a
 * hard link), so two jobs finishing at once cannot take the same name.
 */
public final class FreeName {

    /** Puts {@code source} at {@code dir/candidate}. */
    @FunctionalInterface
    public interface Placer {
        void place(Path target) throws IOException;
    }

    private FreeName() {
    }

    /** Tries {@code base+suffix}, {@code base-2+suffix}… and returns the target that {@code placer} succeeded on. */
    public static Path place(Path dir, String base, String suffix, Placer placer) throws IOException {
        return place(dir, base, "-", 1, suffix, placer);
    }

    /**
     * Tries {@code base+separator+n+suffix} from {@code first} on ({@code base+suffix} for 1), and returns the target
     * that {@code placer} succeeded on: {@code promo-v2.mp4}, {@code promo-v3.mp4}… for the versions of a video.
     */
    public static Path place(Path dir, String base, String separator, int first, String suffix, Placer placer) throws IOException {
        for (int n = first; n < 10_000; n++) {
            Path target = dir.resolve(n == 1 ? base + suffix : base + separator + n + suffix);
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                placer.place(target);
                return target;
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException taken) {
                // Someone took it between the check and the move: try the next name.
            }
        }
        throw new IOException("no free name for " + base + suffix + " in " + dir);
    }

    /** Moves {@code source} (file or folder) into {@code dir} under a free name based on {@code base}. */
    public static Path move(Path source, Path dir, String base, String suffix) throws IOException {
        Files.createDirectories(dir);
        return place(dir, base, suffix, target -> Files.move(source, target));
    }
}
