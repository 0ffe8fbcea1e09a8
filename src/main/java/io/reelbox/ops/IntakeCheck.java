package io.reelbox.ops;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness and a state: the inbox is being scanned. Intake paused for credits (its route suspended) or for disk space
 * is a state in the details, not DOWN: it resumes by itself. Camel's own checks of the intake route and its consumer
 * are left out for that reason (camel.health.excludePattern), so this check also says DOWN when the route is stopped,
 * and when intake should be scanning and has not for {@code stalledAfter}: a stuck scanner thread, which a restart cures.
 */
public final class IntakeCheck extends AbstractHealthCheck {

    private final LongSupplier lastScanMillis;
    private final BooleanSupplier pausedForCredits;
    private final Supplier<String> diskShortOf;
    private final Supplier<Duration> stalledAfter;
    private final Supplier<String> routeStatus;

    /** {@code routeStatus}: the intake route's Camel status ({@code Started}, {@code Suspended}, {@code Stopped}…). */
    public IntakeCheck(LongSupplier lastScanMillis, BooleanSupplier pausedForCredits, Supplier<String> diskShortOf,
                       Supplier<Duration> stalledAfter, Supplier<String> routeStatus) {
        super("reelbox", "intake");
        this.lastScanMillis = lastScanMillis;
        this.pausedForCredits = pausedForCredits;
        this.diskShortOf = diskShortOf;
        this.stalledAfter = stalledAfter;
        this.routeStatus = routeStatus;
    }

    /** Also a liveness check: a restart cures a stuck scanner (the other checks say what a restart cannot cure). */
    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        String route = routeStatus.get();
        builder.detail("route_status", route);
        if (pausedForCredits.getAsBoolean()) {
            builder.detail("state", "paused-for-credits");
            return;
        }
        String disk = diskShortOf.get();
        builder.detail("state", disk == null ? "running" : "paused-for-disk");
        if (!"Started".equals(route)) {
            builder.down().message("The intake route is " + route + ": no job is taken from the inbox");
            return;
        }
        long last = lastScanMillis.getAsLong();
        if (last > 0) {
            long ago = System.currentTimeMillis() - last;
            builder.detail("last_scan_ms_ago", ago);
            if (ago > stalledAfter.get().toMillis()) {
                builder.down().message("The inbox was last scanned " + ago / 1000 + " s ago");
            }
        }
    }
}
