package io.reelbox.job;

import org.slf4j.LoggerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.HashSet;
import java.util.ArrayList;
import java.io.IOException;
import java.util.List;

import io.reelbox.config.Settings;
import io.reelbox.inbox.InboxScanner;

/** The intake route's bean: claims as many ready jobs as there are free slots, unless credits ran out. */
public final class Intake {

    private final InboxScanner scanner;
    private final Settings settings;
    private final JobRegistry registry;
    private final CreditGate gate;
    private final Journal journal;
    private final Outbox outbox;
    private volatile boolean resumed;

    public Intake(InboxScanner scanner, Settings settings, JobRegistry registry, CreditGate gate, Journal journal, Outbox outbox) {
        this.journal = journal;
        this.outbox = outbox;
        this.scanner = scanner;
        this.settings = settings;
        this.registry = registry;
        this.gate = gate;
    }

    public List<Job> claim() throws IOException {
        if (!resumed) {
            // Until resume() has looked at .processing/, a fresh claim could be mistaken for an interrupted one.
            return List.of();
        }
        int slots = settings.integer("reelbox.concurrency") - registry.inFlight();
        if (slots <= 0 || !gate.isOpen() || registry.stopping()) {
            return List.of();
        }
        InboxScanner.Rules rules = new InboxScanner.Rules(settings.duration("reelbox.inbox.stable-for"),
                settings.duration("reelbox.inbox.media-timeout"), settings.integer("reelbox.prompt.max-length"));
        List<Job> jobs = scanner.claimReady(slots, rules).stream().map(Job::new).toList();
        for (Job job : jobs) {
            journal.save(job);
            registry.claimed(job);
        }
        return jobs;
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
        for (Job job : journal.load(settings.integer("reelbox.prompt.max-length"))) {
            known.add(job.claimed().workDir());
            if (!Files.isDirectory(job.claimed().workDir())) {
                // It had already been moved to .done or .failed when the daemon stopped.
                journal.remove(job);
                continue;
            }
            registry.claimed(job);
            jobs.add(job);
        }
        scanner.returnUnclaimed(known);
        int stale = outbox.removeStaleTemps();
        if (stale > 0) {
            LoggerFactory.getLogger(Intake.class).info("Removed {} partial download(s) left in the outbox by a crash", stale);
        }
        if (!jobs.isEmpty()) {
            LoggerFactory.getLogger(Intake.class).info("Resuming {} unfinished job(s) from the journal", jobs.size());
        }
        return jobs;
    }
}
