package io.reelbox.ops;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the disks of the work dir and the outbox keep the free space that intake needs
 * ({@code reelbox.disk.min-free}, {@code reelbox.disk.min-free-percent}); the same rule as the disk gate, read now.
 */
public final class DiskCheck extends AbstractHealthCheck {

    private final Supplier<String> shortage;

    /** {@code shortage}: what the disks lack, or null when they have room. */
    public DiskCheck(Supplier<String> shortage) {
        super("reelbox", "disk");
        this.shortage = shortage;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String lack = shortage.get();
        if (lack == null) {
            builder.up();
        } else {
            builder.down().message(lack);
        }
    }
}
