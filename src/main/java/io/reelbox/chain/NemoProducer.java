package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.job.LeaseLost;

/** Runs one step for the job on the exchange: logs its start and end and adds its time to the job's timings. */
final class NemoProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(NemoProducer.class);

    private final Step step;
    private final Chain chain;

    NemoProducer(NemoEndpoint endpoint, Step step, Chain chain) {
        super(endpoint);
        this.step = step;
        this.chain = chain;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Job job = Job.of(exchange);
        if (chain.registry().stopping()) {
            throw new JobFailure(Failure.STOPPED, "stopped", "Reelbox is stopping");
        }
        if (job.leaseLost) {
            throw LeaseLost.of(job);
        }
        if (job.cancelled) {
            cancel(job);
        }
        job.stage = step.stage();
        Level level = step.repeats() ? Level.DEBUG : Level.INFO;
        LOG.atLevel(level).log("Job {}: {} started", job.id(), step.stage());
        long t0 = System.nanoTime();
        try {
            step.run(job, exchange);
        } finally {
            job.timings.merge(step.stage(), (System.nanoTime() - t0) / 1_000_000, Long::sum);
        }
        LOG.atLevel(level).log("Job {}: {} done in {} ms", job.id(), step.stage(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Cancelled through the job API: a render under way is cancelled too (best effort), and the job fails as cancelled. */
    private void cancel(Job job) {
        Job.Render r = job.renders.isEmpty() ? null : job.current();
        if (r != null && r.renderId != null && r.isRunning() && !r.exportCallPending) {
            chain.cancelRender(job, r.renderId);
        }
        throw new JobFailure(Failure.CANCELLED, "cancelled", "cancelled during " + job.stage + " at the user's request");
    }
}
