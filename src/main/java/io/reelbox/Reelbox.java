package io.reelbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import org.apache.camel.CamelContext;
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
import io.reelbox.job.CreditGate;
import io.reelbox.job.Intake;
import io.reelbox.job.JobRegistry;
import io.reelbox.job.JobStages;
import io.reelbox.job.Outbox;
import io.reelbox.job.Outcomes;
import io.reelbox.job.TokenStore;
import io.reelbox.nemo.NemoClient;

/**
 * The daemon: Camel Main with the YAML routes from {@code routes/} (or the packaged copies when that folder is
 * absent) and the beans they call. Runs until SIGTERM or SIGINT.
 */
public final class Reelbox {

    private static final Logger LOG = LoggerFactory.getLogger(Reelbox.class);

    private Reelbox() {
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }

    /** A configured, not yet started daemon; tests add override properties before running it. */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.addMainListener(new Wiring());
        return main;
    }

    private static final class Wiring extends MainListenerSupport {

        @Override
        public void beforeConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            Path routesDir = Path.of(context.getPropertiesComponent().resolveProperty("reelbox.routes-dir").orElse("routes"))
                    .toAbsolutePath().normalize();
            Tunables tunables = new Tunables(routesDir.resolve("reelbox.properties"));
            if (!tunables.reload()) {
                throw new IllegalStateException("Invalid " + tunables.file() + " (see the log above)");
            }
            Settings settings = Settings.of(context, tunables);
            Tunables.KEYS.forEach((key, check) -> check.accept(key, settings.get(key)));

            Path workDir = settings.path("reelbox.work-dir");
            Path outboxDir = settings.path("reelbox.outbox");
            try {
                Files.createDirectories(settings.path("reelbox.inbox"));
                Files.createDirectories(outboxDir);
                if (!Files.exists(workDir)) {
                    Files.createDirectories(workDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot create the folders Reelbox needs: " + e.getMessage(), e);
            }

            NemoClient client = new NemoClient(settings, () -> settings.get("reelbox.api.base-url"));
            TokenStore tokens = new TokenStore(settings, client, workDir);
            CreditGate gate = new CreditGate(client, tokens);
            JobRegistry registry = new JobRegistry();
            Outbox outbox = new Outbox(outboxDir);
            InboxScanner scanner = new InboxScanner(new InboxScanner.Layout(settings.path("reelbox.inbox")), Clock.systemUTC());
            JobStages stages = new JobStages(settings, client, tokens, gate, registry, outbox);

            var registryOfBeans = context.getRegistry();
            registryOfBeans.bind("settings", settings);
            registryOfBeans.bind("intake", new Intake(scanner, settings, registry, gate));
            registryOfBeans.bind("stages", stages);
            registryOfBeans.bind("outcomes", new Outcomes(scanner.layout(), outbox, stages, registry));
            registryOfBeans.bind("creditGate", gate);
            registryOfBeans.bind("jobRegistry", registry);
            registryOfBeans.bind("nemoClient", client);

            context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        LOG.info("Reelbox running: inbox {}, outbox {}, API {} ({} routes)", settings.path("reelbox.inbox"),
                                outboxDir, settings.get("reelbox.api.base-url"), context.getRoutes().size());
                    } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                        LOG.info("Stopping: jobs in flight give their inputs back to the inbox");
                        registry.stopAll();
                        client.abortAll();
                    }
                }
            });

            if (Files.isDirectory(routesDir)) {
                main.configure().withRoutesIncludePattern("file:" + routesDir + "/*.yaml");
                SafeRouteReloadStrategy reload = new SafeRouteReloadStrategy(routesDir.toString(), tunables);
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
