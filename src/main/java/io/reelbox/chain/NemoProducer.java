package io.reelbox.chain;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Faults;
import io.reelbox.job.Job;
import io.reelbox.job.LeaseLost;
import io.reelbox.nemo.TokenExpired;

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
        } catch (RuntimeException e) {
            countFault(job, exchange, e);
            throw e;
        } finally {
            job.timings.merge(step.stage(), (System.nanoTime() - t0) / 1_000_000, Long::sum);
        }
        job.faults.stepSucceeded();
        exchange.getIn().removeHeader(Exchange.REDELIVERY_COUNTER);
        LOG.atLevel(level).log("Job {}: {} done in {} ms", job.id(), step.stage(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * A fault a rule of routes/errors.yaml cures is counted against its own kind's budget at this step. Camel numbers
     * a redelivery from the {@code CamelRedeliveryCounter} header, one number for every rule of a step, and keeps it
     * across steps; set to this kind's count at this step, each rule's {@code maximumRedeliveries} is that kind's own
     * budget, its back-off grows with that kind's faults only, and a step that went through leaves nothing behind.
     * A 1002 marks the session lost here, once, and only the new session clears it. A token that served calls and
     * then expired is redelivered without spending the 1001 budget.
     */
    private static void countFault(Job job, Exchange exchange, RuntimeException e) {
        Faults.Kind kind = Faults.Kind.of(e);
        if (kind == null) {
            return;
        }
        boolean spends = !(e instanceof TokenExpired expired && expired.wasServedBefore());
        int n = job.faults.record(job.stage, kind, (JobFailure) e, spends);
        if (kind == Faults.Kind.SESSION) {
            job.sessionLost = true;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, Math.max(0, n - 1));
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
