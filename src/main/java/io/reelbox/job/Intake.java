package io.reelbox.job;

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

    public Intake(InboxScanner scanner, Settings settings, JobRegistry registry, CreditGate gate) {
        this.scanner = scanner;
        this.settings = settings;
        this.registry = registry;
        this.gate = gate;
    }

    public List<Job> claim() throws IOException {
        int slots = settings.integer("reelbox.concurrency") - registry.inFlight();
        if (slots <= 0 || !gate.isOpen() || registry.stopping()) {
            return List.of();
        }
        InboxScanner.Rules rules = new InboxScanner.Rules(settings.duration("reelbox.inbox.stable-for"),
                settings.duration("reelbox.inbox.media-timeout"), settings.integer("reelbox.prompt.max-length"));
        List<Job> jobs = scanner.claimReady(slots, rules).stream().map(Job::new).toList();
        jobs.forEach(registry::claimed);
        return jobs;
    }
}
