package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Tells whether a file has stopped changing: same size and modification time for at least {@code stable-for}, timed
 * from when this daemon first saw it. Timing from the first sighting (not the file's mtime) matters: a copy that
 * preserves timestamps would otherwise look finished while it is still growing. Used by the scanner thread only.
 */
final class Stability {

    private record Seen(long size, long mtime, Instant since) {
    }

    private final Map<Path, Seen> seen = new HashMap<>();
    private final Set<Path> touched = new HashSet<>();

    boolean isStable(Path path, Instant now, Duration stableFor) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return false;
        }
        touched.add(path);
        long size = attrs.isDirectory() ? 0 : attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        Seen s = seen.get(path);
        if (s == null || s.size != size || s.mtime != mtime) {
            s = new Seen(size, mtime, now);
            seen.put(path, s);
        }
        return Duration.between(s.since, now).compareTo(stableFor) >= 0;
    }

    /** Forgets files not looked at since the previous call, so the map does not grow forever. */
    void endScan() {
        seen.keySet().retainAll(touched);
        touched.clear();
    }
}
