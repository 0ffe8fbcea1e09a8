package io.reelbox.inbox;

import java.nio.file.Path;
import java.util.List;

import io.reelbox.failure.JobFailure;

/**
 * A job taken out of the inbox: its files now live in {@code workDir} ({@code inbox/.processing/<id>/}), at the same
 * paths relative to {@code workDir} as they had relative to the job's origin. {@code media} are the local media
 * in the order they are used (relative to {@code workDir}). {@code spec} is null and
 * {@code intakeFailure} set when the sidecar or its media were refused at intake.
 */
public record ClaimedJob(String id, String name, boolean folderJob, Path workDir, Path sidecar, List<Path> files,
                         List<Path> media,
                         JobSpec spec, JobFailure intakeFailure) {
}
