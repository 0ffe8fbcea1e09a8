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
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * Camel builds a route's error handling and its {@code {{placeholders}}} when the route is loaded, so the route files
 * that depend on a change are loaded again too: those using a route configuration that changed, and those naming a
 * tunable that changed.
 */
public final class SafeRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReloadStrategy.class);

    private static final long SETTLE_MS = 250;

    private final Tunables tunables;
    private final Drain drain;
    private final Map<String, String> lastGood = new ConcurrentHashMap<>();
    private final AtomicInteger rejectedRoutes = new AtomicInteger();
    private final AtomicInteger rejectedTunables = new AtomicInteger();

    /** How a reload waits for the jobs running on the routes it replaces. */
    public interface Drain {
        /** Take no new job until {@link #release()}. */
        void hold();

        void release();
    }

    public SafeRouteReloadStrategy(String folder, Tunables tunables, Drain drain) {
        super(folder, false);
        this.tunables = tunables;
        this.drain = drain;
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
                return;
            }
            // Placeholders ({{key}}, {{millis:key}}) are resolved when a route loads; ${properties:key} at each use.
            reloadDependents(tunables.changed().stream().flatMap(k -> Stream.of("{{" + k + "}}", ":" + k + "}}"))
                    .collect(Collectors.toSet()), "Tunables changed", tunables.file());
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
        if (load(path, text)) {
            reloadDependents(configurationIds(text).stream().map(id -> "routeConfigurationId: " + id).collect(Collectors.toSet()),
                    path.getFileName() + " changed", path);
        }
    }

    private static final Pattern CONFIGURATION_ID = Pattern.compile("(?m)^\\s*-?\\s*routeConfiguration:\\s*\\n\\s*id:\\s*\"?([\\w.-]+)");

    private static Set<String> configurationIds(String text) {
        Set<String> ids = new HashSet<>();
        Matcher m = CONFIGURATION_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /**
     * Loads again the route files (except {@code changed}) that contain any of {@code words}: route configurations
     * first, then every file that uses one of them or contains the words.
     */
    private void reloadDependents(Set<String> words, String why, Path changed) {
        if (words.isEmpty()) {
            return;
        }
        Map<String, String> files = new TreeMap<>(lastGood);
        files.putAll(unloadedFiles());
        files.remove(key(changed));
        Set<String> loaded = new HashSet<>();
        Set<String> mentioned = new HashSet<>(words);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Set<String> ids = configurationIds(f.getValue());
            if (!ids.isEmpty() && mentions(f.getValue(), words)) {
                LOG.info("{}: loading {} again", why, Path.of(f.getKey()).getFileName());
                load(Path.of(f.getKey()), f.getValue());
                loaded.add(f.getKey());
                ids.forEach(id -> mentioned.add("routeConfigurationId: " + id));
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!loaded.contains(f.getKey()) && mentions(f.getValue(), mentioned)) {
                LOG.info("{}: loading {} again", why, Path.of(f.getKey()).getFileName());
                load(Path.of(f.getKey()), f.getValue());
            }
        }
    }

    /**
     * Route files in the folder that never loaded: a new file whose placeholders had no values yet. A change of the
     * tunables may be what they were waiting for.
     */
    private Map<String, String> unloadedFiles() {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.list(Path.of(getFolder()))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                if (!lastGood.containsKey(key(p))) {
                    out.put(key(p), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", getFolder(), e.getMessage());
        }
        return out;
    }

    private static boolean mentions(String text, Set<String> words) {
        return words.stream().anyMatch(text::contains);
    }

    private static final Pattern ROUTE_ID = Pattern.compile("(?m)^\\s*-\\s*route:\\s*\\n\\s*id:\\s*\"?([\\w.-]+)");

    /**
     * Camel stops a route to replace it, and a job's exchange cannot outlive its route: replacing the job route under
     * a running job would strand the job. So an edit to routes that have exchanges in flight applies to the next
     * jobs: intake holds new jobs, the running ones finish on the version they started with, then the file loads.
     */
    private boolean awaitIdle(Path path, String text) {
        Set<String> ids = new HashSet<>();
        Matcher m = ROUTE_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        var inflight = getCamelContext().getInflightRepository();
        if (ids.stream().allMatch(id -> inflight.size(id) == 0)) {
            return false;
        }
        LOG.info("{} changed: it applies once the jobs running on its routes finish; new jobs wait in the inbox until then",
                path.getFileName());
        drain.hold();
        try {
            while (ids.stream().anyMatch(id -> inflight.size(id) > 0) && !getCamelContext().isStopping()) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Loads one route file; on failure, logs one line and loads the last version that worked. */
    private boolean load(Path path, String text) {
        // Held until the new version runs: a job taken in between would start on the old one.
        boolean held = awaitIdle(path, text);
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(List.of(ResourceHelper.fromString("file:" + path, text)));
            lastGood.put(key(path), text);
            LOG.info("Reloaded routes from {}", path.getFileName());
            return true;
        } catch (Exception e) {
            LOG.error("Rejected change to {}: {}; the previous version keeps running", path.getFileName(), rootMessage(e));
            rejectedRoutes.incrementAndGet();
            restore(path);
            return false;
        } finally {
            if (held) {
                drain.release();
            }
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
