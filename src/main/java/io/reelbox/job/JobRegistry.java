package io.reelbox.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs in flight and the threads running them: intake claims only as many jobs as there are free slots, and a
 * stopping daemon interrupts exactly these threads.
 */
public final class JobRegistry {

    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, Job> claimed = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public int inFlight() {
        return claimed.size();
    }

    public void claimed(Job job) {
        claimed.put(job.id(), job);
    }

    public void started(Job job) {
        running.put(job.id(), Thread.currentThread());
    }

    public void finished(Job job) {
        running.remove(job.id());
        claimed.remove(job.id());
    }

    public boolean stopping() {
        return stopping;
    }

    public void stopAll() {
        stopping = true;
        running.values().forEach(Thread::interrupt);
    }
}
