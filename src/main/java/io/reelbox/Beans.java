package io.reelbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import io.reelbox.chain.Chain;
import io.reelbox.chain.HonourRetryAfter;
import io.reelbox.chain.InputCheck;
import io.reelbox.chain.MarkSessionLost;
import io.reelbox.chain.NemoComponent;
import io.reelbox.config.MillisFunction;
import io.reelbox.config.Settings;
import io.reelbox.config.Tunables;
import io.reelbox.config.TunablesSource;
import io.reelbox.events.HmacSigner;
import io.reelbox.events.Listeners;
import io.reelbox.inbox.DropKey;
import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.CreditGate;
import io.reelbox.job.DiskGate;
import io.reelbox.job.Intake;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.Journal;
import io.reelbox.job.Outbox;
import io.reelbox.job.Outcomes;
import io.reelbox.job.TokenStore;
import io.reelbox.nemo.NemoClient;

/**
 * Everything the routes name, bound into a Camel context: the {@code nemo:} component, the beans ({@code intake},
 * {@code outcomes}, {@code creditGate}, …), the live tunables as a properties source and the {@code millis:}
 * properties function. The daemon binds them before its routes load; route tests bind them into their own context.
 */
public record Beans(Settings settings, NemoClient client, JobRegistry registry, InboxScanner scanner) {

    /** {@code embedded}: {@code apiBase} is the embedded backend (its own token cache, its own poll interval). */
    public static Beans bind(CamelContext context, Tunables tunables, Settings settings, String apiBase, boolean embedded) {
        String pollKey = embedded ? "reelbox.local.poll-interval" : "reelbox.export.poll-interval";
        Supplier<Duration> renderPoll = () -> settings.duration(pollKey);
        context.getPropertiesComponent().addPropertiesSource(new TunablesSource(tunables, renderPoll));
        context.getPropertiesComponent().addPropertiesFunction(new MillisFunction(settings));

        Path workDir = settings.path("reelbox.work-dir");
        NemoClient client = new NemoClient(settings, () -> apiBase);
        TokenStore tokens = embedded ? new TokenStore(settings, client, workDir.resolve("token-local.json"), false)
                : new TokenStore(settings, client, workDir);
        JobRegistry registry = new JobRegistry();
        Outbox outbox = new Outbox(settings.path("reelbox.outbox"));
        // A daemon is its work dir: the same one after a restart, a different one beside it on a shared inbox.
        String owner = String.format("%08x", workDir.toString().hashCode());
        InboxScanner scanner = new InboxScanner(new InboxScanner.Layout(settings.path("reelbox.inbox")), Clock.systemUTC(), owner);
        Journal journal = journal(workDir);
        Chain chain = new Chain(settings, client, tokens, registry, journal, outbox, renderPoll);
        CreditGate credits = new CreditGate(client, tokens);

        var beans = context.getRegistry();
        beans.bind("settings", settings);
        beans.bind("nemo", new NemoComponent(chain, credits));
        DiskGate disks = new DiskGate(settings, journal, registry, settings.path("reelbox.outbox"), workDir, embedded);
        beans.bind("intake", new Intake(scanner, settings, registry, journal, outbox, disks));
        beans.bind("diskGate", disks);
        beans.bind("jobClaims", MemoryIdempotentRepository.memoryIdempotentRepository(10_000));
        beans.bind("dropKey", new DropKey());
        beans.bind("inboxWatch", new io.reelbox.inbox.InboxWatchScheduler());
        beans.bind("inputCheck", new InputCheck(settings));
        beans.bind("outcomes", new Outcomes(scanner.layout(), outbox, credits, registry, journal));
        beans.bind("creditGate", credits);
        beans.bind("jobRegistry", registry);
        beans.bind("nemoClient", client);
        beans.bind("sessionLost", new MarkSessionLost());
        beans.bind("retryAfter", new HonourRetryAfter());
        beans.bind("listeners", new Listeners(settings));
        beans.bind("hmac", new HmacSigner());
        return new Beans(settings, client, registry, scanner);
    }

    private static Journal journal(Path workDir) {
        try {
            return new Journal(workDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the journal in " + workDir + ": " + e.getMessage(), e);
        }
    }
}
