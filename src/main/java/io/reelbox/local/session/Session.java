package io.reelbox.local.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.reelbox.local.MediaInfo;

/**
 * One editing session of the contract: its owner, the language its prompts are read in, its folder of uploads and
 * their probed (and analysed) media, in upload order.
 */
public record Session(String id, String taskId, String user, String language, Path dir, List<MediaInfo> media, long createdAt) {

    /** {@code name}, or {@code name-2}, {@code name-3}…: the first not yet taken in this session. */
    public String uniqueName(String name) {
        String candidate = name;
        int i = 2;
        while (true) {
            String c = candidate;
            if (media.stream().noneMatch(m -> m.id().equals(c)) && !Files.exists(dir.resolve(c))) {
                return c;
            }
            int dot = name.lastIndexOf('.');
            candidate = dot > 0 ? name.substring(0, dot) + "-" + i + name.substring(dot) : name + "-" + i;
            i++;
        }
    }
}
