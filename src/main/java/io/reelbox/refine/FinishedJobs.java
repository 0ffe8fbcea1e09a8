package io.reelbox.refine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The finished jobs a refine can name, as their reports in the outbox say: each video, its job, its session, the
 * prompts that made it and the media it was made from. The reports are the record: nothing else has to be kept.
 */
public final class FinishedJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished video and its report. */
    public record Finished(Path report, JsonNode json) {

        /** The video's name without {@code .mp4}: {@code promo}, {@code promo-v2}. */
        public String video() {
            return json.path("video").asText().replaceFirst("\\.mp4$", "");
        }

        public String jobId() {
            return json.path("job_id").asText();
        }

        public String jobName() {
            return json.path("job").asText();
        }

        /** The first video of its chain of refines (its own name when it refines nothing). */
        public String root() {
            return FinishedJobs.root(json);
        }

        public int version() {
            return FinishedJobs.version(json);
        }

        /** Every prompt that made this version, in order. */
        public List<String> history() {
            List<String> out = new ArrayList<>();
            JsonNode h = json.path("refine").path("history");
            if (h.isArray()) {
                h.forEach(p -> out.add(p.asText()));
            } else {
                json.path("renders").forEach(r -> out.add(r.path("prompt").asText()));
            }
            return out;
        }
    }

    /** A report's chain of refines: the first video's name (the report's own video when it refines nothing). */
    public static String root(JsonNode report) {
        return report.path("refine").path("root").asText(report.path("video").asText().replaceFirst("\\.mp4$", ""));
    }

    /** A report's version in its chain: 1 for a video that refines nothing. */
    public static int version(JsonNode report) {
        return report.path("refine").path("version").asInt(1);
    }

    private final Path outbox;
    private final Path done;
    private final Path failed;

    public FinishedJobs(Path outbox, Path inbox) {
        this.outbox = outbox;
        this.done = inbox.resolve(".done");
        this.failed = inbox.resolve(".failed");
    }

    /** Every completed job's report in the outbox, one per video. */
    public List<Finished> all() {
        List<Finished> out = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return out;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).toList()) {
                try {
                    JsonNode n = JSON.readTree(f.toFile());
                    if (n != null && "completed".equals(n.path("status").asText()) && n.hasNonNull("job_id")) {
                        out.add(new Finished(f, n));
                    }
                } catch (IOException unreadable) {
                    // not a report of ours (a user's own file, a half-written copy): not a refine target
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The job's folder in {@code .done/}: named after the job ({@code promo}, or {@code promo-2} when that name was
     * taken), and holding every input its report lists at the size it lists. Empty when none does (moved or removed).
     */
    public Optional<Path> doneDir(Finished f) {
        if (!Files.isDirectory(done)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(done)) {
            return dirs.filter(d -> d.getFileName().toString().matches(java.util.regex.Pattern.quote(f.jobName()) + "(-\\d+)?"))
                    .filter(d -> holdsInputs(d, f.json().path("inputs"))).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean holdsInputs(Path dir, JsonNode inputs) {
        for (JsonNode in : inputs) {
            Path p = dir.resolve(in.path("name").asText());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != in.path("size_bytes").asLong()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The failed jobs' folders in {@code .failed/} (a refine of one is pointed at retry instead). */
    public List<String> failedNames() {
        if (!Files.isDirectory(failed)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(failed)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
