package io.reelbox.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;

import io.reelbox.Reelbox;

/**
 * The real daemon (camel-main, the YAML routes of this repository, the real beans) on temporary folders, with
 * timings shortened so a test takes seconds. Settings go in as Camel override properties, exactly as -D would.
 */
public final class Daemon implements AutoCloseable {

    public final Path root;
    public final Path inbox;
    public final Path outbox;
    public final Path workDir;
    public final Path routesDir;
    private final Main main;
    private final Thread thread;

    private Daemon(Path root, Map<String, String> props) throws Exception {
        this.root = root;
        this.inbox = root.resolve("inbox");
        this.outbox = root.resolve("outbox");
        this.workDir = root.resolve("work");
        this.routesDir = root.resolve("routes");
        Map<String, String> all = TestSettings.daemonIn(root, props);
        main = Reelbox.create();
        all.forEach(main::addOverrideProperty);
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "daemon-under-test");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> context() != null
                && context().getStatus() == ServiceStatus.Started && context().getRoute("reelbox-job") != null);
    }

    public static Daemon start(Path root, Map<String, String> props) throws Exception {
        return new Daemon(root, props);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.completed();
        thread.join(Duration.ofSeconds(60).toMillis());
    }
}
