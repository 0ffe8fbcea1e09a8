package io.reelbox.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the cluster tests and the scaling benchmark share: a node's settings, folder jobs dropped at once, counts. */
public final class ClusterNodes {

    private ClusterNodes() {
    }

    /** A cluster node in {@code dir} (its own work dir, the shared inbox and outbox), on the database at {@code url}. */
    public static Map<String, String> props(Path dir, String url, String apiBase, String name, String lease, String check,
                                            int concurrency) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("reelbox.api.base-url", apiBase);
        props.put("reelbox.work-dir", dir.resolve("work-" + name).toString());
        props.put("reelbox.cluster.jdbc-url", url);
        props.put("reelbox.cluster.user", "postgres");
        props.put("reelbox.cluster.node", name);
        props.put("reelbox.cluster.lease", lease);
        props.put("reelbox.cluster.check-interval", check);
        props.put("reelbox.concurrency", String.valueOf(concurrency));
        props.put("reelbox.export.poll-interval", "250ms");
        return props;
    }

    /** {@code jobs} folder jobs (a photo and a prompt each), made aside, then moved into the inbox whole: job1…jobN. */
    public static List<String> drop(Path dir, Path still, int jobs, String title) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            Path job = Files.createDirectories(dir.resolve("staging/job" + i));
            Files.copy(still, job.resolve("photo.jpg"));
            Files.writeString(job.resolve("job.yaml"), "prompt: a 10 second video titled '" + title + " " + i + "'\n");
            names.add("job" + i);
        }
        for (String name : names) {
            Files.move(dir.resolve("staging/" + name), inbox.resolve(name));
        }
        return names;
    }

    /** Entries of {@code dir} ending in {@code suffix}, hidden ones aside; 0 when there is no such folder. */
    public static int count(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(suffix) && !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
