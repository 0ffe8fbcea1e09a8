package io.reelbox.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.Settings;
import io.reelbox.inbox.InboxScanner;

/**
 * The intake route's bean. For the inbox's file consumer it is the poll strategy (each poll is one scan of the
 * inbox, timing every file from its first sighting) and the filter (a sidecar passes when its job is ready, a slot is
 * free — {@code reelbox.concurrency} jobs at most — and the disks have room for it: waiting jobs stay in the inbox,
 * where a crash cannot lose them). Then it claims the job. At start it resumes the jobs the journal knows, before intake takes any.
 */
public final class Intake implements GenericFileFilter<File>, PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final InboxScanner scanner;
    private final Settings settings;
    private final JobRegistry registry;
    private final Journal journal;
    private final Outbox outbox;
    private final DiskGate disks;
    private volatile boolean resumed;
    private boolean scanning;
    private int accepted;
    private volatile long lastScan;
    private final java.util.function.BooleanSupplier canClaim;

    public Intake(InboxScanner scanner, Settings settings, JobRegistry registry, Journal journal, Outbox outbox, DiskGate disks) {
        this(scanner, settings, registry, journal, outbox, disks, () -> true);
    }

    /** {@code canClaim}: false while a claim could not be recorded (a cluster node that cannot reach its database). */
    public Intake(InboxScanner scanner, Settings settings, JobRegistry registry, Journal journal, Outbox outbox, DiskGate disks,
                  java.util.function.BooleanSupplier canClaim) {
        this.canClaim = canClaim;
        this.disks = disks;
        this.scanner = scanner;
        this.settings = settings;
        this.registry = registry;
        this.journal = journal;
        this.outbox = outbox;
    }

    /** When the inbox was last scanned (epoch millis; 0 before the first scan): the intake health check reads it. */
    public long lastScan() {
        return lastScan;
    }

    /** Whether the jobs left unfinished at start were looked at (until then nothing new is claimed or taken over). */
    public boolean resumed() {
        return resumed;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        accepted = 0;
        lastScan = System.currentTimeMillis();
        // Until resume() has looked at .processing/, a fresh claim could be mistaken for an interrupted one.
        scanning = resumed && !registry.stopping() && canClaim.getAsBoolean();
        if (scanning) {
            try {
                scanner.beginScan(new InboxScanner.Rules(settings.duration("reelbox.inbox.stable-for"),
                        settings.duration("reelbox.inbox.media-timeout"), settings.integer("reelbox.prompt.max-length")));
            } catch (IOException e) {
                LOG.warn("Cannot scan the inbox: {}", e.getMessage());
                scanning = false;
            }
        }
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (scanning) {
            scanner.endScan();
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warn("Inbox scan failed: {}", cause.getMessage());
        commit(consumer, endpoint, 0);
        return false;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return !InboxScanner.ignored(file.getFileNameOnly());
        }
        if (!scanning) {
            return false;
        }
        // Evaluated even when no slot is free: a waiting job's media timeout runs from its first sighting.
        Optional<InboxScanner.Ready> ready = scanner.ready(Path.of(file.getAbsoluteFilePath()));
        if (ready.isEmpty() || registry.held() || registry.inFlight() + accepted >= settings.integer("reelbox.concurrency")) {
            return false;
        }
        try {
            if (!disks.roomFor(ready.get().bytes())) {
                return false;
            }
        } catch (IOException e) {
            LOG.warn("Could not measure job {} yet: {}", file.getFileNameOnly(), e.getMessage());
            return false;
        }
        accepted++;
        return true;
    }

    /** Takes the job whose sidecar the exchange carries: its files move into {@code .processing/<job-id>/}. */
    public Job claim(Exchange exchange) throws IOException {
        Path sidecar = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        Job job = new Job(scanner.claim(sidecar));
        journal.save(job);
        registry.claimed(job);
        return job;
    }

    /**
     * At start: every job the journal knows and whose files are still in {@code .processing/} runs again from its
     * last safe point; folders there with no journal entry (a crash in the middle of a claim) go back to the inbox.
     */
    public List<Job> resume() throws IOException {
        try {
            return resumeUnfinished();
        } finally {
            resumed = true;
        }
    }

    private List<Job> resumeUnfinished() throws IOException {
        List<Job> jobs = new ArrayList<>();
        Set<Path> known = new HashSet<>();
        for (Job job : journal.resume(settings.integer("reelbox.prompt.max-length"))) {
            known.add(job.claimed().workDir());
            if (!Files.isDirectory(job.claimed().workDir())) {
                // It had already been moved to .done or .failed when the daemon stopped.
                journal.remove(job);
                continue;
            }
            registry.claimed(job);
            jobs.add(job);
        }
        scanner.returnUnclaimed(dir -> known.contains(dir) || journal.knows(dir.getFileName().toString()));
        int stale = outbox.removeStaleTemps();
        if (stale > 0) {
            LOG.info("Removed {} partial download(s) left in the outbox by a crash", stale);
        }
        if (!jobs.isEmpty()) {
            LOG.info("Resuming {} unfinished job(s) from the journal", jobs.size());
        }
        return jobs;
    }
}
