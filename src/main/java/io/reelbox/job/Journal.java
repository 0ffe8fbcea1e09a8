package io.reelbox.job;

import java.io.IOException;
import java.util.List;

/**
 * The durable record of every unfinished job, written at each safe point before the next call to the API, so a
 * stop or a crash resumes the job there. One daemon keeps it in its work dir ({@link FileJournal}); nodes of a
 * cluster keep it in PostgreSQL, where every write also proves that the job is still the writer's
 * ({@code io.reelbox.cluster.ClusterJournal}).
 */
public interface Journal {

    /** A change to the job's files or the outbox, made only while the job is still this daemon's. */
    @FunctionalInterface
    interface FileChange {
        void run() throws IOException;
    }

    /** Records the job's progress; nothing may run unrecorded, so a failure to record fails the step. */
    void save(Job job);

    /** Makes {@code change} (publishing a video) while the job is this daemon's, then records the job as it stands. */
    void whileHeld(Job job, FileChange change) throws IOException;

    /** Makes the job's last change (its inputs leave {@code .processing/}) while it is this daemon's; then its entry is gone. */
    void finish(Job job, FileChange change) throws IOException;

    /** Forgets a job that has already left {@code .processing/}. */
    void remove(Job job);

    /** This daemon's unfinished jobs, rebuilt; each sidecar is parsed again from the job's folder. */
    List<Job> load(int maxPromptLength);

    /** At start: the unfinished jobs this daemon is to run again. */
    default List<Job> resume(int maxPromptLength) {
        return load(maxPromptLength);
    }

    /** Whether the journal has a job by this id (a folder in {@code .processing/} that no journal knows was never recorded). */
    boolean knows(String jobId);
}
