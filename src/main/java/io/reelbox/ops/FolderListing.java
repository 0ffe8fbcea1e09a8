package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * What was read from a folder, kept while the folder's modification time stays what it was. Entries arrive and leave
 * by rename, which changes the folder's time; an outbox of months holds thousands of them. A folder changed within
 * {@link #RACY_MILLIS} of being read may change again in the same clock tick, so such a reading is never kept.
 */
final class FolderListing<T> {

    static final long RACY_MILLIS = 2_000;

    /** Reads the folder (its listing and what the job view makes of it). */
    @FunctionalInterface
    interface Reader<T> {
        List<T> read() throws IOException;
    }

    private record Reading<T>(FileTime folderTime, long readAt, List<T> items) {
    }

    private final Path dir;
    private final Reader<T> reader;
    private volatile Reading<T> last;

    FolderListing(Path dir, Reader<T> reader) {
        this.dir = dir;
        this.reader = reader;
    }

    List<T> get() throws IOException {
        Reading<T> l = last;
        FileTime now = folderTime();
        if (l != null && now != null && now.equals(l.folderTime()) && l.readAt() - now.toMillis() > RACY_MILLIS) {
            return l.items();
        }
        long readAt = System.currentTimeMillis();
        List<T> items = reader.read();
        last = new Reading<>(now, readAt, items);
        return items;
    }

    private FileTime folderTime() {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return null;
        }
    }
}
