package io.reelbox.guard;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Says in the log that requests were refused, at most once a minute: a hostile page can send thousands, and the
 * operator needs to learn that it happens and from where, not to read each one.
 */
public final class RefusalLog {

    private static final long EVERY_MS = 60_000;

    private final Logger log;
    private final String server;
    private final LongSupplier clock;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong quiet = new AtomicLong();

    public RefusalLog(Logger log, String server, LongSupplier clock) {
        this.log = log;
        this.server = server;
        this.clock = clock;
    }

    /** Logs this refusal when a minute has passed since the last logged one; otherwise counts it for the next line. */
    public void refused(String method, String path, Refusal r) {
        long now = clock.getAsLong();
        long due = next.get();
        if (now < due || !next.compareAndSet(due, now + EVERY_MS)) {
            quiet.incrementAndGet();
            return;
        }
        long before = quiet.getAndSet(0);
        log.warn("{} refused {} {} from a web page or an unknown name ({} check: {}){}; see README.md, \"Access\"", server,
                method, Authority.printable(path), r.check(), r.subject(),
                before == 0 ? "" : "; " + before + " more refused since the last such line");
    }
}
