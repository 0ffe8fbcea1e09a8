package io.reelbox.job;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/** The failure that stops a job quietly on a node that no longer holds it: another node took it over. */
public final class LeaseLost {

    private LeaseLost() {
    }

    public static JobFailure of(Job job) {
        return new JobFailure(Failure.TAKEN_OVER, "taken-over",
                "another node took the job over (this node's lease, epoch " + job.epoch + ", ran out)");
    }
}
