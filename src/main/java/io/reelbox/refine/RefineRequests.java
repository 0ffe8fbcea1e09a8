package io.reelbox.refine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;


/**
 * A refine asked for through the job API (the dashboard's Refine box, {@code reelbox refine}): written into the inbox
 * as the sidecar a user would drop ({@code refine:} and {@code prompt:}), through a hidden name renamed into place, so
 * it runs, is journaled and ends like any other job.
 */
public final class RefineRequests {

    private static final Logger LOG = LoggerFactory.getLogger(RefineRequests.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** What the request became: the sidecar's job name and the video it refines. */
    public record Queued(String job, String refines) {
    }

    private final Refines refines;
    private final Path inbox;

    public RefineRequests(Refines refines, Path inbox) {
        this.refines = refines;
        this.inbox = inbox;
    }

    /**
     * Queues a refine of {@code target} (a job id or a video's name). Throws the job's own failure when there is
     * nothing to refine under that name (its message lists similar names), and IllegalArgumentException for no prompt.
     */
    public Queued queue(String target, String prompt) throws IOException {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("Say what to change, for example \"make it 10 seconds\"");
        }
        FinishedJobs.Finished found = refines.resolve(target);
        // The sidecar names the job (or video) the request named: a job id stays that version; a name means its latest.
        Map<String, String> sidecar = new LinkedHashMap<>();
        sidecar.put("refine", target);
        sidecar.put("prompt", prompt.strip());
        String name = found.root().replaceAll("[^\\p{L}\\p{N}._-]", "_") + "-refine-" + LocalDateTime.now().format(STAMP)
                + "-" + UUID.randomUUID().toString().substring(0, 4);
        Path hidden = inbox.resolve("." + name + ".yaml.part");
        Files.createDirectories(inbox);
        Files.writeString(hidden, YAML.writeValueAsString(sidecar));
        Files.move(hidden, inbox.resolve(name + ".yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Refine of {} asked through the API: {} in the inbox", found.video(), name + ".yaml");
        return new Queued(name, found.video());
    }

    /** The API's answer body for a queued refine. */
    public static ObjectNode json(ObjectMapper json, Queued q) {
        return json.createObjectNode().put("job", q.job()).put("refines", q.refines());
    }
}
