package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells whether a file has stopped changing. Two ways:
 * <ul>
 * <li><b>Moved in whole.</b> A file or job folder that was renamed (or linked) into the inbox after it was written
 * carries the proof: its inode-change time (ctime, set by the rename) is later than its last write (mtime), and
 * nothing inside a folder changed after the folder arrived. Such a drop is ready at once. A writer still at work
 * moves mtime (and ctime) forward with every write, so it never looks like this; neither does a folder still being
 * filled, whose mtime moves with each new entry.</li>
 * <li><b>Otherwise</b>: the same size and mtime for at least {@code stable-for}, timed from when this daemon first
 * saw it. Timing from the first sighting (not the file's mtime) matters: a copy that preserves timestamps would
 * otherwise look finished while it is still growing.</li>
 * </ul>
 * Where the file system has no ctime (not Unix) only the second applies. Used by the scanner thread only.
 */
final class Stability {

    private record Seen(long size, long mtime, Instant since) {
    }

    private final Path inbox;
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Set<Path> touched = new HashSet<>();
    private final Map<Path, Optional<FileTime>> arrivals = new HashMap<>();

    Stability(Path inbox) {
        this.inbox = inbox.toAbsolutePath().normalize();
    }

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
        return Duration.between(s.since, now).compareTo(stableFor) >= 0 || movedInWhole(path);
    }

    /** The drop holding {@code path} (the path itself, or the job folder it is in) arrived by rename, after its last write. */
    private boolean movedInWhole(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(inbox) || p.equals(inbox)) {
            return false;
        }
        Path entry = inbox.resolve(inbox.relativize(p).getName(0));
        // A folder job's files all ask about the same entry: its times are read once per scan.
        Optional<FileTime> arrived = arrivals.computeIfAbsent(entry, Stability::arrival);
        if (arrived.isEmpty() || p.equals(entry)) {
            return arrived.isPresent();
        }
        try {
            return ((FileTime) Files.getAttribute(p, "unix:ctime")).compareTo(arrived.get()) <= 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** When {@code entry} was moved in (its ctime), if that was after its last write; empty otherwise. */
    private static Optional<FileTime> arrival(Path entry) {
        try {
            Map<String, Object> times = Files.readAttributes(entry, "unix:lastModifiedTime,ctime");
            FileTime changed = (FileTime) times.get("ctime");
            return changed.compareTo((FileTime) times.get("lastModifiedTime")) > 0 ? Optional.of(changed) : Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Starts a scan: arrival times are read afresh (a folder may have changed since the last scan). */
    void beginScan() {
        arrivals.clear();
    }

    /** Forgets files not looked at since the previous call, so the map does not grow forever. */
    void endScan() {
        seen.keySet().retainAll(touched);
        touched.clear();
    }
}
