package io.reelbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.config.SafeRouteReloadStrategy;
import io.reelbox.config.Settings;
import io.reelbox.config.Tunables;
import io.reelbox.inbox.InboxScanner;
import io.reelbox.job.JobRegistry;
import io.reelbox.local.LocalSetup;
import io.reelbox.local.http.LocalBackend;
import io.reelbox.ops.OpsServer;
import io.reelbox.ops.StatusCommand;
import io.reelbox.ops.SystemdNotifier;
import io.reelbox.pool.RenderPool;

/**
 * The daemon: Camel Main with the YAML routes from {@code routes/} (or the packaged copies when that folder is
 * absent) and the beans they call. Runs until SIGTERM or SIGINT.
 */
public final class Reelbox {

    private static final Logger LOG = LoggerFactory.getLogger(Reelbox.class);

    private Reelbox() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve-local")) {
            serveLocal(args);
            return;
        }
        if (args.length > 0 && StatusCommand.handles(args[0])) {
            System.exit(new StatusCommand(Settings.fromFiles(), System.out).run(args));
        }
        boolean once = Arrays.asList(args).contains("--once");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--once")).toArray(String[]::new);
        Main main = create(once);
        try {
            main.run(rest);
        } catch (Exception e) {
            // Threads already started (the embedded backend, the route watcher) would keep a failed daemon alive.
            LOG.error("Reelbox could not start: {}", e.getMessage());
            System.exit(1);
        }
    }

    /**
     * {@code serve-local [--port N] [--host ADDRESS]}: the local backend alone, for several daemons or any NemoVideo
     * client. On loopback unless told otherwise: a render node for other machines listens on their network.
     */
    private static void serveLocal(String[] args) throws Exception {
        int port = 8787;
        java.net.InetAddress host = java.net.InetAddress.getLoopbackAddress();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--host") && i + 1 < args.length) {
                host = java.net.InetAddress.getByName(args[++i]);
            } else {
                throw new IllegalArgumentException("usage: java -jar reelbox.jar serve-local [--port N] [--host ADDRESS]");
            }
        }
        if (!host.isLoopbackAddress()) {
            LOG.warn("serve-local listens on {}: anyone who can reach it can render on it (its tokens are anonymous); "
                    + "keep it on a trusted network or behind a firewall", host.getHostAddress());
        }
        Settings settings = Settings.fromFiles();
        LocalBackend backend = LocalSetup.start(settings, settings.path("reelbox.work-dir"), host, port, List.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            stopped.countDown();
        }));
        LOG.info("serve-local: the NemoVideo API on {} — Ctrl-C to stop", backend.baseUrl());
        stopped.await();
    }

    /** A configured, not yet started daemon; tests add override properties before running it. */
    public static Main create() {
        return create(false);
    }

    /** {@code once}: process the jobs in the inbox, then exit (the README's first command uses this). */
    public static Main create(boolean once) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.addMainListener(new Wiring(main, once));
        return main;
    }

    private static final class Wiring extends MainListenerSupport {

        /** Ends the daemon once no job is waiting in the inbox and none is running, three checks in a row. */
        private void exitWhenIdle(InboxScanner scanner, JobRegistry registry) {
            Thread t = new Thread(() -> {
                int idle = 0;
                while (idle < 3) {
                    try {
                        Thread.sleep(1000);
                        idle = registry.inFlight() == 0 && scanner.waitingJobs() == 0 ? idle + 1 : 0;
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        idle = 0;
                    }
                }
                LOG.info("--once: the inbox is empty and no job is running; stopping");
                owner.completed();
            }, "reelbox-once");
            t.setDaemon(true);
            t.start();
        }

        private final Main owner;
        private final boolean once;

        Wiring(Main owner, boolean once) {
            this.owner = owner;
            this.once = once;
        }

        @Override
        public void beforeConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            Path routesDir = Path.of(context.getPropertiesComponent().resolveProperty("reelbox.routes-dir").orElse("routes"))
                    .toAbsolutePath().normalize();
            seedRoutes(context.getPropertiesComponent().resolveProperty("reelbox.routes-seed").orElse(""), routesDir);
            Tunables tunables = new Tunables(routesDir.resolve("reelbox.properties"));
            if (!tunables.reload()) {
                throw new IllegalStateException("Invalid " + tunables.file() + " (see the log above)");
            }
            Settings settings = Settings.of(context, tunables);
            Tunables.KEYS.forEach((key, check) -> check.accept(key, settings.get(key)));
            OpsServer.checkAccess(settings);
            OpsServer.checkPortFree(settings);
            Path workDir = settings.path("reelbox.work-dir");
            Path outboxDir = settings.path("reelbox.outbox");
            createFolders(settings.path("reelbox.inbox"), outboxDir, workDir);
            LocalBackend embedded = startEmbeddedIfAsked(settings, workDir);
            String apiBase = embedded != null ? embedded.baseUrl() : settings.get("reelbox.api.base-url");
            Beans beans = Beans.bind(context, tunables, settings, apiBase, embedded != null);
            JobRegistry registry = beans.registry();
            RenderPool pool = beans.pool();
            InboxScanner scanner = beans.scanner();
            SystemdNotifier systemd = SystemdNotifier.fromEnvironment();

            context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.CamelContextRoutesStartingEvent && OpsServer.enabled(settings)) {
                        // The server is up, the routes not yet: the password gate is in place before the first request.
                        beans.ops().install(context);
                    } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        if (OpsServer.enabled(settings)) {
                            beans.ops().announce(context);
                        }
                        LOG.info("Reelbox running: inbox {}, outbox {}, API {}{} ({} routes)", settings.path("reelbox.inbox"),
                                outboxDir, apiBase, embedded != null ? " (embedded local backend)" : "", context.getRoutes().size());
                        if (once) {
                            exitWhenIdle(scanner, registry);
                        }
                        systemd.ready("Reelbox running: inbox " + settings.path("reelbox.inbox") + ", outbox " + outboxDir,
                                () -> HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeLiveness(context), false));
                    } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                        LOG.info("Stopping: jobs in flight stay in .processing/ and resume on the next start");
                        systemd.stopping();
                        registry.stopAll();
                        pool.abortAll();
                    } else if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                        if (beans.cluster() != null) {
                            beans.cluster().leave();
                        }
                        if (embedded != null) {
                            embedded.close();
                        }
                    }
                }
            });
            watchRoutes(main, context, routesDir, tunables, registry);
            List<String> excluded = new java.util.ArrayList<>();
            if (!OpsServer.enabled(settings)) {
                // The job API's REST routes need the HTTP server; without it they are not loaded at all.
                excluded.add("**/api.yaml");
            }
            if (beans.cluster() == null) {
                excluded.add("**/cluster.yaml");   // lease and takeover routes: for nodes of a cluster only
            }
            if (!excluded.isEmpty()) {
                main.configure().withRoutesExcludePattern(String.join(",", excluded));
            }
        }

        private static void createFolders(Path inbox, Path outbox, Path workDir) {
            try {
                Files.createDirectories(inbox);
                Files.createDirectories(outbox);
                if (!Files.exists(workDir)) {
                    Files.createDirectories(workDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create the folders Reelbox needs: " + e.getMessage(), e);
            }
        }

        /** The embedded backend when {@code reelbox.api.base-url} is {@code embedded}, else null. */
        private static LocalBackend startEmbeddedIfAsked(Settings settings, Path workDir) {
            if (!settings.get("reelbox.api.base-url").equalsIgnoreCase("embedded")) {
                return null;
            }
            try {
                // The daemon's own inbox (and its claims in .processing/, under it) is the one folder it may read from.
                return LocalSetup.start(settings, workDir, settings.integer("reelbox.local.port"), List.of(settings.path("reelbox.inbox")));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start the embedded backend: " + e.getMessage(), e);
            }
        }

        /**
         * A first start with {@code reelbox.routes-seed} set (the container image sets it): the routes folder does not
         * exist yet, so it is made from the seed's copy, to be edited and hot-reloaded like any other. Never
         * overwrites: once the folder exists, it is the operator's.
         */
        private static void seedRoutes(String seed, Path routesDir) {
            if (seed.isBlank() || Files.exists(routesDir)) {
                return;
            }
            Path from = Path.of(seed);
            try (java.util.stream.Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = routesDir.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
                LOG.info("Routes folder {} made from {}: edit the routes there, they reload as you save", routesDir, from);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot make the routes folder " + routesDir + " from " + from + ": " + e.getMessage(), e);
            }
        }

        /** Routes from {@code routes/}, hot-reloaded; the packaged copies (no reload) when that folder is absent. */
        private static void watchRoutes(BaseMainSupport main, CamelContext context, Path routesDir, Tunables tunables,
                                        SafeRouteReloadStrategy.Drain drain) {
            if (Files.isDirectory(routesDir)) {
                main.configure().withRoutesIncludePattern("file:" + routesDir + "/*.yaml");
                SafeRouteReloadStrategy reload = new SafeRouteReloadStrategy(routesDir.toString(), tunables, drain);
                try {
                    reload.rememberRoutes(routesDir);
                    context.addService(reload);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot watch " + routesDir + ": " + e.getMessage(), e);
                }
            } else {
                LOG.warn("No {} folder: using the packaged routes (no hot reload)", routesDir);
                main.configure().withRoutesIncludePattern("classpath:routes/*.yaml");
            }
        }
    }
}
