package io.reelbox.job;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.reelbox.config.SafeRouteReloadStrategy;
import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/**
 * The jobs in flight, and the stop signal they wait on: intake claims only as many jobs as there are free slots,
 * and every wait inside a job ends the moment the daemon stops. Threads are never interrupted: they belong to
 * Camel's consumers, and a consumer thread handed back with its interrupt flag set spins instead of polling.
 */
public final class JobRegistry implements SafeRouteReloadStrategy.Drain {

    private final Map<String, Job> claimed = new ConcurrentHashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger();

    /** Intake takes no new job until {@link #release()}: a route edit waits for the running jobs to finish. */
    @Override
    public void hold() {
        holds.incrementAndGet();
    }

    @Override
    public void release() {
        holds.decrementAndGet();
    }

    public boolean held() {
        return holds.get() > 0;
    }

    public int inFlight() {
        return claimed.size();
    }

    /** The jobs in flight now. */
    public java.util.Collection<Job> running() {
        return java.util.List.copyOf(claimed.values());
    }

    /** The job in flight with this id or, failing that, this name. */
    public java.util.Optional<Job> find(String idOrName) {
        Job byId = claimed.get(idOrName);
        if (byId != null) {
            return java.util.Optional.of(byId);
        }
        return claimed.values().stream().filter(j -> j.claimed().name().equals(idOrName)).findFirst();
    }

    public void claimed(Job job) {
        claimed.put(job.id(), job);
    }

    public void finished(Job job) {
        claimed.remove(job.id());
    }

    public boolean stopping() {
        return stop.getCount() == 0;
    }

    public void stopAll() {
        stop.countDown();
    }

    /** Waits {@code d}, or less if the daemon stops, in which case the job ends as stopped. */
    public void pause(Duration d) {
        try {
            if (stop.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping", null, e);
        }
    }
}
