package io.reelbox.pool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Collection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reelbox.config.Settings;
import io.reelbox.job.Job;
import io.reelbox.job.TokenStore;
import io.reelbox.nemo.NemoClient;

/**
 * The API servers jobs run on. Usually one: the cloud, or the embedded backend. {@code reelbox.api.base-url} may list
 * several {@code serve-local} render nodes; each job then goes to the least busy one, as each node reports its queue
 * ({@code GET /api/local/queue}) plus the jobs this daemon sent it that have not reached their render yet. A job stays
 * on its node (its session lives there); a node that stops answering is marked down for
 * {@code reelbox.pool.down-for}, and its jobs move to another node with a new session (see {@code Chain.call}).
 * <p>
 * Camel's load-balancer EIP does not fit: it picks per message, and here one choice holds for every call of a job.
 */
public final class RenderPool {

    private static final Logger LOG = LoggerFactory.getLogger(RenderPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(2);

    private final List<RenderNode> nodes;
    private final Settings settings;
    private volatile Supplier<Collection<Job>> running = List::of;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(QUEUE_TIMEOUT).build();
    private final AtomicInteger turn = new AtomicInteger();

    private RenderPool(List<RenderNode> nodes, Settings settings) {
        this.nodes = List.copyOf(nodes);
        this.settings = settings;
    }

    /** One server: the cloud (its token configured or cached in the work dir) or the embedded backend. */
    public static RenderPool single(Settings settings, String url, Function<NemoClient, TokenStore> tokens) {
        NemoClient client = new NemoClient(settings, () -> url);
        return new RenderPool(List.of(new RenderNode(url, client, tokens.apply(client))), settings);
    }

    /** Several {@code serve-local} nodes: each issues its own anonymous tokens, cached per node in the work dir. */
    public static RenderPool of(Settings settings, List<String> urls, Path workDir) {
        if (urls.size() == 1) {
            return single(settings, urls.get(0), c -> new TokenStore(settings, c, workDir));
        }
        List<RenderNode> nodes = new ArrayList<>();
        for (String url : urls) {
            NemoClient client = new NemoClient(settings, () -> url);
            Path tokenFile = workDir.resolve("token-" + String.format("%08x", url.hashCode()) + ".json");
            nodes.add(new RenderNode(url, client, new TokenStore(settings, client, tokenFile, true)));
        }
        return new RenderPool(nodes, settings);
    }

    /** The URLs of {@code reelbox.api.base-url}: one, or several separated by commas. */
    public static List<String> urls(String setting) {
        return java.util.Arrays.stream(setting.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** This daemon's running jobs: how many each node has counts toward its load. */
    public void countJobsOf(Supplier<Collection<Job>> running) {
        this.running = running;
    }

    public int size() {
        return nodes.size();
    }

    /** The first server: credits and health ask it. */
    public RenderNode primary() {
        return nodes.get(0);
    }

    public List<RenderNode> nodes() {
        return nodes;
    }

    /**
     * The node the job runs on; the first call of a job picks one. A job with no session yet has nothing to lose on
     * its node: when that node is down it simply goes to another.
     */
    public RenderNode node(Job job) {
        if (nodes.size() == 1) {
            // One server: nothing to choose or record (the embedded backend's URL changes at every start anyway).
            return nodes.get(0);
        }
        synchronized (job) {
            job.pooled = true;
            if (job.backend() == null) {
                assign(job, pick(null), null);
            } else if (job.sessionId == null && !byUrl(job.backend()).map(RenderNode::up).orElse(false)) {
                assign(job, pick(null), "render node " + job.backend() + " was down before the job had a session there");
            }
            Optional<RenderNode> known = byUrl(job.backend());
            if (known.isPresent()) {
                return known.get();
            }
            // Resumed with a node that is no longer configured: the job moves (a new session is opened first).
            assign(job, pick(null), "its render node " + job.backend() + " is no longer in reelbox.api.base-url");
            job.sessionLost = job.sessionId != null;
            return node(job);
        }
    }

    /**
     * Before a job opens a session: when its node is down, it moves to the least busy node that is up. Returns the
     * node the session is to be opened on.
     */
    public RenderNode forNewSession(Job job) {
        RenderNode current = node(job);
        if (current.up() || nodes.size() == 1) {
            return current;
        }
        RenderNode next = pick(current);
        assign(job, next, current.downBecause);
        LOG.warn("Job {}: moves from render node {} ({}) to {}, with a new session", job.id(), current.url(), current.downBecause, next.url());
        return next;
    }

    /** Marks a node down for {@code reelbox.pool.down-for}; true when another node is up to take its jobs. */
    public boolean markDown(RenderNode node, String why) {
        if (nodes.size() == 1) {
            return false;
        }
        if (node.up()) {
            LOG.warn("Render node {} marked down for {}: {}", node.url(), settings.get("reelbox.pool.down-for"), why);
        }
        node.downBecause = why;
        node.downUntil = System.currentTimeMillis() + settings.duration("reelbox.pool.down-for").toMillis();
        return nodes.stream().anyMatch(RenderNode::up);
    }

    public void abortAll() {
        nodes.forEach(n -> n.client().abortAll());
    }

    private Optional<RenderNode> byUrl(String url) {
        return nodes.stream().filter(n -> n.url().equals(url)).findFirst();
    }

    private void assign(Job job, RenderNode node, String why) {
        job.useBackend(new Job.BackendUse(node.url(), job.stage(), Instant.now().toString(), why));
    }

    /** The least busy node that is up (all of them down: the one that comes back first); ties take turns. */
    private RenderNode pick(RenderNode avoid) {
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        List<RenderNode> up = nodes.stream().filter(n -> n != avoid && n.up()).toList();
        if (up.isEmpty()) {
            return nodes.stream().min(Comparator.comparingLong(n -> n.downUntil)).orElseThrow();
        }
        int start = Math.floorMod(turn.getAndIncrement(), up.size());
        RenderNode best = null;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < up.size(); i++) {
            RenderNode n = up.get((start + i) % up.size());
            double load = load(n);
            if (load < bestLoad) {
                best = n;
                bestLoad = load;
            }
        }
        return best == null ? up.get(start) : best;
    }

    /** Renders queued and running on the node per render slot, counting this daemon's jobs not yet rendering there. */
    private double load(RenderNode n) {
        long mine = running.get().stream().filter(j -> n.url().equals(j.backend())).count();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(strip(n.url()) + "/api/local/queue"))
                    .timeout(QUEUE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode d = JSON.readTree(r.body()).path("data");
                int slots = Math.max(1, d.path("slots").asInt(1));
                int busy = d.path("rendering").asInt() + d.path("queued").asInt();
                return (double) Math.max(busy, mine) / slots;
            }
            return mine;   // not a serve-local node: only what this daemon sent it
        } catch (IOException e) {
            markDown(n, "its queue does not answer: " + e.getMessage());
            return Double.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.MAX_VALUE;
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
