package io.reelbox.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the inbox and the outbox are folders Reelbox may write to. Asked of the system (access(2), which also
 * says no on a read-only mount), not tried with a file: a file in the inbox would wake its watch for a scan.
 */
public final class FoldersCheck extends AbstractHealthCheck {

    private final Map<String, Path> folders;

    public FoldersCheck(Path inbox, Path outbox) {
        super("reelbox", "folders");
        this.folders = Map.of("inbox", inbox, "outbox", outbox);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        folders.forEach((name, dir) -> {
            builder.detail(name, dir.toString());
            if (!Files.isDirectory(dir)) {
                builder.down().message("The " + name + " (" + dir + ") is missing");
            } else if (!Files.isWritable(dir)) {
                builder.down().message("The " + name + " (" + dir + ") is not writable (permissions, or a read-only disk)");
            }
        });
    }
}
