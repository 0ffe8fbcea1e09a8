package io.reelbox.config;

import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload that never leaves the daemon without routes. A changed route file replaces only the routes it
 * defines; when the new version fails to load, the last version that worked is loaded again from memory and the
 * failure is logged as one clear line. A changed tunables file goes to {@link Tunables}, which validates it first.
 */
public final class SafeRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReloadStrategy.class);

    private static final long SETTLE_MS = 250;

    private final Tunables tunables;
    private final Map<String, String> lastGood = new ConcurrentHashMap<>();
    private final AtomicInteger rejectedRoutes = new AtomicInteger();
    private final AtomicInteger rejectedTunables = new AtomicInteger();

    public SafeRouteReloadStrategy(String folder, Tunables tunables) {
        super(folder, false);
        this.tunables = tunables;
        setPattern("*.yaml,*.properties");
        setRemoveAllRoutes(false);
        setResourceReload((name, resource) -> {
            if (name.endsWith(".properties")) {
                onTunablesChanged(resource);
            } else {
                onRoutesChanged(resource);
            }
        });
    }

    /** Remembers the current text of every route file, as the versions to fall back to. */
    public void rememberRoutes(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                lastGood.put(key(p), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
    }

    private void onTunablesChanged(Resource resource) throws InterruptedException {
        if (Path.of(resource.getURI()).getFileName().equals(tunables.file().getFileName())) {
            // Editors and scripts often truncate, then write: reading at the first event would see an empty file
            // and silently reset every tunable. Let the write finish first.
            Thread.sleep(SETTLE_MS);
            if (!tunables.reload()) {
                rejectedTunables.incrementAndGet();
            }
        } else {
            LOG.info("{} changed; it is not the tunables file, restart to apply it", resource.getLocation());
        }
    }

    /** How many route-file edits were rejected (and rolled back), for monitoring and tests. */
    public int rejectedRouteEdits() {
        return rejectedRoutes.get();
    }

    /** How many tunables-file versions were rejected. */
    public int rejectedTunableEdits() {
        return rejectedTunables.get();
    }

    private void onRoutesChanged(Resource resource) {
        Path path = Path.of(resource.getURI());
        String text;
        try {
            text = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            LOG.error("Rejected change to {}: cannot read it ({}); the running routes stay", path, e.getMessage());
            return;
        }
        if (text == null) {
            LOG.warn("{} was deleted; its routes keep running until restart", path);
            return;
        }
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(List.of(resource));
            lastGood.put(key(path), text);
            LOG.info("Reloaded routes from {}", path.getFileName());
        } catch (Exception e) {
            LOG.error("Rejected change to {}: {}; the previous version keeps running", path.getFileName(), rootMessage(e));
            rejectedRoutes.incrementAndGet();
            restore(path);
        }
    }

    private void restore(Path path) {
        String previous = lastGood.get(key(path));
        if (previous == null) {
            return;
        }
        try {
            List<Resource> resources = new ArrayList<>();
            resources.add(ResourceHelper.fromString("file:" + path, previous));
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(resources);
        } catch (Exception e) {
            LOG.error("Could not restore the previous routes of {}: {}", path.getFileName(), rootMessage(e));
        }
    }

    private static String key(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ");
    }
}
