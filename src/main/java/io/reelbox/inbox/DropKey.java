package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The intake's idempotent key for a sidecar: its path, size, modification time and, where the file system has one,
 * its status-change time, and for a folder job its folder's status-change time too. A file taken once is never taken
 * again; the same file moved back into the inbox (a retry: moving changes the status-change time but not the
 * modification time) is a new drop, and so is a folder job moved back whole (renaming a folder changes the folder's
 * status-change time, not its files').
 */
public final class DropKey {

    private final Path inbox;

    public DropKey(Path inbox) {
        this.inbox = inbox.toAbsolutePath().normalize();
    }

    public String of(String path) {
        Path p = Path.of(path);
        try {
            long size = Files.size(p);
            FileTime modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            Object changed = changeTime(p);
            Path folder = p.toAbsolutePath().normalize().getParent();
            Object folderChanged = folder == null || folder.equals(inbox) ? "" : changeTime(folder);
            return path + "|" + size + "|" + modified.toMillis() + "|" + changed + "|" + folderChanged;
        } catch (IOException e) {
            return path + "|gone";
        }
    }

    private static Object changeTime(Path p) {
        try {
            Object ctime = Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            return ctime instanceof FileTime t ? t.to(java.util.concurrent.TimeUnit.NANOSECONDS) : ctime;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "-";
        }
    }
}
