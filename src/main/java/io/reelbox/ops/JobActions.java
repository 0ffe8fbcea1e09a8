package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.reelbox.config.Settings;
import io.reelbox.inbox.FreeName;
import io.reelbox.inbox.InboxScanner;
import io.reelbox.inbox.MediaKind;
import io.reelbox.job.Job;
import io.reelbox.job.JobRegistry;

/**
 * What the job API changes: a failed job goes back into the inbox, a running one is cancelled, and a job made in the
 * browser is written into the inbox. Every change is a rename, so a double click or two operators at once find the
 * files gone and get a 409, never a second copy; and every new file reaches the inbox under a hidden name first.
 */
public final class JobActions {

    private static final Logger LOG = LoggerFactory.getLogger(JobActions.class);
    /** Names a browser may give a file or a job: no folders, no hidden names, nothing a shell or a script trips on. */
    private static final Pattern SAFE_NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._()+-]{0,119}");

    /** A file the server received from a browser, waiting in its upload folder. */
    public record Upload(String fileName, Path file, long size) {
    }

    private final JobBoard board;
    private final JobRegistry registry;
    private final InboxScanner.Layout layout;
    private final Path history;
    private final Settings settings;

    public JobActions(JobBoard board, JobRegistry registry, InboxScanner.Layout layout, Path workDir, Settings settings) {
        this.board = board;
        this.registry = registry;
        this.layout = layout;
        this.history = workDir.resolve("retried");
        this.settings = settings;
    }

    /**
     * {@code POST /api/jobs/{id}/retry}: the failed job's folder moves back into the inbox as a folder job, its old
     * error files kept in the work dir's {@code retried/}.
     */
    public ApiAnswer retry(String id) throws IOException {
        if (registry.find(id).isPresent()) {
            return ApiAnswer.error(409, "running", "Job " + id + " is running; only a failed job can be retried");
        }
        Optional<JobBoard.Failed> failed = board.findFailed(id);
        if (failed.isEmpty()) {
            return board.findDone(id).isPresent()
                    ? ApiAnswer.error(409, "finished", "Job " + id + " finished; there is nothing to retry")
                    : ApiAnswer.error(404, "unknown-job", "No failed job has the id " + id);
        }
        Path folder = failed.get().folder();
        Path claim = folder.resolveSibling(".retry-" + UUID.randomUUID());
        try {
            Files.move(folder, claim, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return ApiAnswer.error(409, "already-retried", "Job " + id + " is already on its way back into the inbox");
        }
        Files.createDirectories(history);
        try (DirectoryStream<Path> errors = Files.newDirectoryStream(claim, "error{,-[0-9]*}.json")) {
            for (Path e : errors) {
                FreeName.place(history, safe(id) + "." + e.getFileName().toString().replace(".json", ""), ".json",
                        target -> Files.move(e, target));
            }
        }
        Path back = FreeName.move(claim, layout.inbox(), failed.get().name(), "");
        LOG.info("Job {}: retried through the API; its files are back in the inbox as {}", id, back.getFileName());
        return ApiAnswer.accepted(JobBoard.JSON.createObjectNode().put("retried", id).put("inbox", back.getFileName().toString()));
    }

    /** {@code POST /api/jobs/{id}/cancel}: the running job stops at its next step and ends in {@code .failed/}. */
    public ApiAnswer cancel(String id) throws IOException {
        Optional<Job> job = registry.find(id);
        if (job.isEmpty()) {
            boolean known = board.findDone(id).isPresent() || board.findFailed(id).isPresent();
            return known ? ApiAnswer.error(409, "not-running", "Job " + id + " is not running")
                    : ApiAnswer.error(404, "unknown-job", "No job has the id " + id);
        }
        job.get().cancelled = true;
        LOG.info("Job {}: cancel requested through the API; it stops at its next step", job.get().id());
        return ApiAnswer.accepted(JobBoard.running(job.get()));
    }

    /**
     * {@code POST /api/jobs} from the dashboard: the files and the prompt become a folder job. They are checked by
     * the inbox's own rules first (type by name, size), and go in through a hidden folder that is renamed into place
     * whole, so intake sees the job complete or not at all.
     */
    public ApiAnswer submit(String name, String prompt, List<Upload> files) throws IOException {
        if (prompt == null || prompt.isBlank()) {
            return ApiAnswer.error(400, "no-prompt", "Type what the video should be");
        }
        if (prompt.length() > settings.integer("reelbox.prompt.max-length")) {
            return ApiAnswer.error(400, "prompt-too-long", "The prompt is longer than reelbox.prompt.max-length ("
                    + settings.integer("reelbox.prompt.max-length") + " characters)");
        }
        if (files.isEmpty()) {
            return ApiAnswer.error(400, "no-media", "Pick at least one photo, clip or music file");
        }
        long max = settings.bytes("reelbox.upload.max-size");
        for (Upload u : files) {
            if (!SAFE_NAME.matcher(u.fileName()).matches()) {
                return ApiAnswer.error(400, "bad-file-name", "The file name '" + u.fileName() + "' cannot be used: "
                        + "letters, digits, spaces and ._()+- only, starting with a letter or digit");
            }
            if (MediaKind.byName(u.fileName()).isEmpty()) {
                return ApiAnswer.error(415, "unsupported-file", u.fileName() + " is not a supported type. Accepted: "
                        + MediaKind.ACCEPTED);
            }
            if (u.size() > max) {
                return ApiAnswer.error(413, "file-too-large", u.fileName() + " is larger than reelbox.upload.max-size ("
                        + settings.get("reelbox.upload.max-size") + ")");
            }
        }
        if (files.stream().map(u -> u.fileName().toLowerCase(java.util.Locale.ROOT)).distinct().count() < files.size()) {
            return ApiAnswer.error(400, "duplicate-file-name", "Two files have the same name");
        }
        String job = name == null || name.isBlank() ? "web-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-')
                : name.strip();
        if (!SAFE_NAME.matcher(job).matches()) {
            return ApiAnswer.error(400, "bad-job-name", "The job name '" + job + "' cannot be used: letters, digits, "
                    + "spaces and ._()+- only, starting with a letter or digit");
        }
        Path staging = layout.inbox().resolve(".upload-" + UUID.randomUUID());
        Files.createDirectories(staging);
        try {
            for (Upload u : files) {
                move(u.file(), staging.resolve(u.fileName()));
            }
            ObjectNode sidecar = JobBoard.JSON.createObjectNode().put("prompt", prompt.strip()).put("output", job);
            Path tmp = staging.resolve(".job.yaml.tmp");
            new YAMLMapper().writeValue(tmp.toFile(), sidecar);
            Files.move(tmp, staging.resolve("job.yaml"), StandardCopyOption.ATOMIC_MOVE);
            Path placed = FreeName.move(staging, layout.inbox(), job, "");
            LOG.info("Job {} submitted through the dashboard: {} file(s) in {}", job, files.size(), placed);
            return ApiAnswer.accepted(JobBoard.JSON.createObjectNode().put("name", placed.getFileName().toString())
                    .put("files", files.size()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Job {} from the dashboard could not be written into the inbox: {} (its files stay in {})", job,
                    e.getMessage(), staging);
            throw e;
        }
    }

    /** A rename when the upload folder is on the inbox's disk; a copy, then the original removed, when not. */
    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._@-]", "_");
    }
}
