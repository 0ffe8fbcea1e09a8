package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the inbox and the outbox exist and Reelbox can create files in them (a hidden probe, removed at once). */
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
            try {
                Path probe = Files.createTempFile(dir, ".reelbox-health", ".tmp");
                Files.delete(probe);
            } catch (IOException | RuntimeException e) {
                builder.down().message("The " + name + " (" + dir + ") is not writable: " + e.getMessage());
            }
        });
    }
}
