package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake's poll scheduler: Camel's own fixed-delay schedule (the {@code scan-interval}), plus a poll as soon as
 * something appears in the inbox, seen through a file-system watch. A job moved in whole is then taken within
 * milliseconds instead of up to a scan interval later. The schedule stays the fallback: watches do not fire for
 * changes made by other machines on NFS or SMB shares. Watch-triggered polls run on the schedule's own thread, so two
 * polls never overlap.
 * <p>
 * Used from {@code routes/intake.yaml} as {@code scheduler: "#inboxWatch"} with {@code scheduler.watch} (the folder)
 * and {@code scheduler.delay}. A reloaded route's new consumer stops it and starts it again with its own poll task.
 */
public class InboxWatchScheduler extends DefaultScheduledPollConsumerScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(InboxWatchScheduler.class);
    /** Events come in bursts (a rename, then the claim's own moves): one poll for each burst. */
    private static final long SETTLE_MILLIS = 20;

    private String watch;
    private Runnable task;
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private volatile WatchService service;
    private Thread watcher;
    private ScheduledExecutorService ownExecutor;

    public String getWatch() {
        return watch;
    }

    public void setWatch(String watch) {
        this.watch = watch;
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
        super.scheduleTask(task);
    }

    @Override
    public void startScheduler() {
        // The executor is this scheduler's own, made here rather than in doStart: as a registry bean it may have been
        // started before a consumer was given to it, and a reloaded route's consumer starts it again.
        if (getScheduledExecutorService() == null && getCamelContext() != null) {
            ownExecutor = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "reelbox-intake-poll");
            setScheduledExecutorService(ownExecutor);
        }
        super.startScheduler();
        if (watcher == null && watch != null && !watch.isBlank()) {
            startWatching(Path.of(watch));
        }
    }

    private void startWatching(Path folder) {
        try {
            Files.createDirectories(folder);
            WatchService ws = FileSystems.getDefault().newWatchService();
            folder.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
            service = ws;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("No file-system watch on {} ({}); the inbox is scanned every {} ms", folder, e.getMessage(), getDelay());
            return;
        }
        watcher = new Thread(this::watchLoop, "reelbox-inbox-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watchLoop() {
        WatchService ws = service;
        try {
            while (true) {
                WatchKey key = ws.take();
                boolean arrival = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // An overflow may hide arrivals: poll. Dot-files and temporary names are never jobs.
                    arrival |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || event.context() instanceof Path name && !InboxScanner.ignored(name.toString());
                }
                key.reset();
                if (arrival) {
                    pollSoon();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    private void pollSoon() {
        ScheduledExecutorService executor = getScheduledExecutorService();
        if (executor == null || task == null || !pollQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(() -> {
                pollQueued.set(false);
                task.run();
            }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            pollQueued.set(false);
        }
    }

    @Override
    protected void doStop() throws Exception {
        WatchService ws = service;
        service = null;
        if (ws != null) {
            ws.close();
        }
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(2000);
            watcher = null;
        }
        super.doStop();
        if (ownExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(ownExecutor);
            setScheduledExecutorService(null);
            ownExecutor = null;
        }
    }
}
