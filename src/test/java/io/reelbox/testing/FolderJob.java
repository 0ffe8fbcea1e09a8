package io.reelbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Drops a folder job as a file manager does: written in a hidden folder of the inbox, then renamed into place whole. */
public final class FolderJob {

    private FolderJob() {
    }

    /** {@code inbox/name/} with {@code job.yaml} and a copy of each medium under its own file name. */
    public static Path drop(Path inbox, String name, String sidecarYaml, Path... media) throws IOException {
        Path staging = Files.createDirectories(inbox.resolve(".staging-" + name));
        for (Path m : media) {
            Files.copy(m, staging.resolve(m.getFileName()));
        }
        Files.writeString(staging.resolve("job.yaml"), sidecarYaml);
        return Files.move(staging, inbox.resolve(name));
    }
}
