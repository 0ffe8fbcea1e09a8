package io.reelbox.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.LocalIo;

/**
 * The durable record of every unfinished job: one small JSON file per job in {@code <work-dir>/journal/}, replaced
 * atomically (write, fsync, rename) at every safe point. Plain files rather than an embedded database: a job has a
 * handful of facts, one writer (its own thread) and must survive kill -9 — a rename gives exactly that, needs no
 * library, and an operator can read it with {@code cat}. Owner-only (0700 folder, 0600 files).
 */
public final class FileJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

    private final Path dir;

    public FileJournal(Path workDir) throws IOException {
        this.dir = workDir.resolve("journal");
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    public Path dir() {
        return dir;
    }

    /** Records the job's progress; a failure to record is a failure of the job (nothing may run unrecorded). */
    @Override
    public void save(Job job) {
        try {
            AtomicFiles.writePrivate(dir.resolve(job.id() + ".json"), JournalEntries.json(job));
        } catch (IOException ex) {
            // Nothing may run unrecorded: a full or broken work dir ends the job (work-dir-full or local-io).
            throw LocalIo.failure(LocalIo.Place.WORK_DIR, dir, ex);
        }
    }

    /** One daemon owns its journal: nobody can take the job away, so the change just runs and is recorded. */
    @Override
    public void whileHeld(Job job, FileChange change) throws IOException {
        change.run();
        save(job);
    }

    @Override
    public void finish(Job job, FileChange change) throws IOException {
        change.run();
        remove(job);
    }

    @Override
    public void remove(Job job) {
        try {
            Files.deleteIfExists(dir.resolve(job.id() + ".json"));
        } catch (IOException e) {
            LOG.warn("Job {}: could not remove its journal entry: {}", job.id(), e.getMessage());
        }
    }

    @Override
    public boolean knows(String jobId) {
        return Files.exists(dir.resolve(jobId + ".json"));
    }

    /** Every recorded job, rebuilt. The sidecar is parsed again from the job's folder. */
    @Override
    public List<Job> load(int maxPromptLength) {
        List<Job> jobs = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                try {
                    jobs.add(JournalEntries.rebuild(JournalEntries.read(Files.readAllBytes(f)), maxPromptLength));
                } catch (IOException | RuntimeException e) {
                    LOG.error("Unreadable journal entry {} ({}); left in place for a person to look at", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot read the journal in {}: {}", dir, e.getMessage());
        }
        return jobs;
    }
}
