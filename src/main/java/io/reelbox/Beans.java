package io.reelbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reelbox.chain.Chain;
import io.reelbox.chain.HonourRetryAfter;
import io.reelbox.chain.InputCheck;
import io.reelbox.chain.NemoComponent;
import io.reelbox.cluster.Cluster;
import io.reelbox.cluster.ClusterDatabase;
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
import io.reelbox.job.FileJournal;
import io.reelbox.job.Intake;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.Journal;
import io.reelbox.job.Outbox;
import io.reelbox.job.Outcomes;
import io.reelbox.job.TokenStore;
import io.reelbox.local.Ffmpeg;
import io.reelbox.nemo.NemoClient;
import io.reelbox.ops.BackendCheck;
import io.reelbox.ops.DaemonState;
import io.reelbox.ops.DiskCheck;
import io.reelbox.ops.FoldersCheck;
import io.reelbox.ops.IntakeCheck;
import io.reelbox.ops.JobActions;
import io.reelbox.ops.JobApi;
import io.reelbox.ops.JobBoard;
import io.reelbox.ops.JobMetrics;
import io.reelbox.ops.OpsServer;
import io.reelbox.ops.Posters;
import io.reelbox.refine.RefineRequests;
import io.reelbox.refine.Refines;
import io.reelbox.pool.RenderPool;

/**
 * Everything the routes name, bound into a Camel context: the {@code nemo:} component, the beans ({@code intake},
 * {@code outcomes}, {@code creditGate}, …), the live tunables as a properties source and the {@code millis:}
 * properties function. The daemon binds them before its routes load; route tests bind them into their own context.
 */
public record Beans(Settings settings, RenderPool pool, JobRegistry registry, InboxScanner scanner, OpsServer ops, Cluster cluster) {

    /** {@code embedded}: {@code apiBase} is the embedded backend (its own token cache, its own poll interval). */
    public static Beans bind(CamelContext context, Tunables tunables, Settings settings, String apiBase, boolean embedded) {
        String pollKey = embedded ? "reelbox.local.poll-interval" : "reelbox.export.poll-interval";
        Supplier<Duration> renderPoll = () -> settings.duration(pollKey);
        context.getPropertiesComponent().addPropertiesSource(new TunablesSource(tunables, renderPoll));
        context.getPropertiesComponent().addPropertiesFunction(new MillisFunction(settings));

        Path workDir = settings.path("reelbox.work-dir");
        JobRegistry registry = new JobRegistry();
        Cluster cluster = ClusterDatabase.configured(settings) ? Cluster.join(settings, registry) : null;
        // A daemon is its work dir (in a cluster, its node name): the same after a restart, different beside others.
        String owner = String.format("%08x", (cluster != null ? cluster.node() : workDir.toString()).hashCode());
        InboxScanner scanner = new InboxScanner(new InboxScanner.Layout(settings.path("reelbox.inbox")), Clock.systemUTC(), owner);
        Outbox outbox = new Outbox(settings.path("reelbox.outbox"), owner);
        Journal journal = cluster != null ? cluster.journal() : journal(workDir);
        // The API: the embedded backend (its own token cache), the cloud, or several serve-local render nodes.
        RenderPool pool = embedded ? RenderPool.single(settings, apiBase, c -> new TokenStore(settings, c, workDir.resolve("token-local.json"), false))
                : RenderPool.of(settings, RenderPool.urls(apiBase), workDir);
        pool.countJobsOf(registry::running);
        NemoClient client = pool.primary().client();
        TokenStore tokens = pool.primary().tokens();
        Chain chain = new Chain(settings, pool, registry, journal, outbox, renderPoll);
        CreditGate credits = new CreditGate(client, tokens);

        var beans = context.getRegistry();
        beans.bind("settings", settings);
        beans.bind("nemo", new NemoComponent(chain, credits));
        DiskGate disks = new DiskGate(settings, journal, registry, settings.path("reelbox.outbox"), workDir, embedded);
        Intake intake = new Intake(scanner, settings, registry, journal, outbox, disks, cluster == null ? () -> true : cluster::canClaim);
        beans.bind("intake", intake);
        beans.bind("diskGate", disks);
        DropKey keys = new DropKey(settings.path("reelbox.inbox"));
        beans.bind("dropKey", keys);
        if (cluster != null) {
            cluster.bind(beans, settings, intake::resumed, olderThan -> {
                try {
                    scanner.returnOrphans(dir -> cluster.recordedElseGivenBack(dir.getFileName().toString()), olderThan);
                    cluster.releaseStaleClaims(scanner.sidecars().stream().map(p -> keys.of(p.toString())).toList(), olderThan);
                    outbox.removeAbandonedTemps();
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(Cluster.class).warn("Cluster: cannot look for orphaned claims: {}", e.getMessage());
                }
            });
        } else {
            beans.bind("jobClaims", MemoryIdempotentRepository.memoryIdempotentRepository(10_000));
        }
        beans.bind("inboxWatch", new io.reelbox.inbox.InboxWatchScheduler());
        beans.bind("inputCheck", new InputCheck(settings));
        Refines refines = new Refines(settings, journal);
        beans.bind("refines", refines);
        beans.bind("outcomes", new Outcomes(scanner.layout(), outbox, credits, registry, journal));
        beans.bind("creditGate", credits);
        beans.bind("jobRegistry", registry);
        beans.bind("nemoClient", client);
        beans.bind("retryAfter", new HonourRetryAfter());
        beans.bind("listeners", new Listeners(settings));
        beans.bind("hmac", new HmacSigner());
        OpsServer ops = bindOperations(context, settings, registry, scanner, intake, disks, credits, pool, embedded, refines);
        return new Beans(settings, pool, registry, scanner, ops, cluster);
    }

    /**
     * What the operations server shows and does: Camel's health checks plus Reelbox's own, the metrics registry that
     * Camel's route metrics and the {@code micrometer:} endpoints of the routes share, and the job API.
     */
    private static OpsServer bindOperations(CamelContext context, Settings settings, JobRegistry registry, InboxScanner scanner,
                                            Intake intake, DiskGate disks, CreditGate credits, RenderPool pool, boolean embedded,
                                            Refines refines) {
        var beans = context.getRegistry();
        Path workDir = settings.path("reelbox.work-dir");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        beans.bind("metricsRegistry", meters);
        context.getManagementStrategy().addEventNotifier(new JobMetrics(meters, registry::inFlight, () -> {
            try {
                return scanner.waitingJobs();
            } catch (java.io.IOException e) {
                return -1;
            }
        }));
        beans.bind("foldersCheck", new FoldersCheck(settings.path("reelbox.inbox"), settings.path("reelbox.outbox")));
        beans.bind("diskCheck", new DiskCheck(disks::shortageNow));
        beans.bind("backendCheck", new BackendCheck(pool.nodes().stream().map(n -> n.url()).toList()));
        // Stuck: no scan for ten scan intervals, and never less than a minute (a slow NFS listing is not a hang).
        beans.bind("intakeCheck", new IntakeCheck(intake::lastScan, credits::paused, disks::shortOf,
                () -> java.util.Collections.max(java.util.List.of(Duration.ofMinutes(1),
                        settings.duration("reelbox.inbox.scan-interval").multipliedBy(10))),
                () -> String.valueOf(context.getRouteController().getRouteStatus("reelbox-intake"))));
        JobBoard board = new JobBoard(registry, scanner, settings.path("reelbox.outbox"),
                new DaemonState(settings, credits, disks, embedded ? "embedded (local backend, ffmpeg)"
                        : String.join(", ", pool.nodes().stream().map(n -> n.url()).toList())), disks::parkedJobs);
        beans.bind("jobApi", new JobApi(board, new JobActions(board, registry, scanner.layout(), workDir, settings),
                new RefineRequests(refines, settings.path("reelbox.inbox"))));
        Posters posters = new Posters(workDir, () -> Ffmpeg.locate(settings.get("reelbox.local.ffmpeg", ""), workDir.resolve("bin")));
        return new OpsServer(settings, board, posters, workDir, meters);
    }

    private static Journal journal(Path workDir) {
        try {
            return new FileJournal(workDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the journal in " + workDir + ": " + e.getMessage(), e);
        }
    }
}
