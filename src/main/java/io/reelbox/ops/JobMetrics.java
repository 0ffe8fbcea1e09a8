package io.reelbox.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reelbox.job.Job;
import io.reelbox.chain.NemoEndpoint;
import io.reelbox.failure.JobFailure;

/**
 * Reelbox's own Prometheus metrics that are not counted in the routes: the jobs in flight and waiting (gauges), and
 * the steps, retries and uploads, seen as Camel events of the job route, so the chain itself knows nothing of
 * metrics. Jobs claimed, completed and failed, and the seconds of video made, are counted by the routes themselves
 * ({@code micrometer:} endpoints in intake.yaml and events.yaml), in the same registry.
 */
public final class JobMetrics extends EventNotifierSupport {

    private final MeterRegistry registry;
    private final Counter uploadBytes;

    public JobMetrics(MeterRegistry registry, IntSupplier inFlight, IntSupplier waiting) {
        this.registry = registry;
        uploadBytes = Counter.builder("reelbox.upload.bytes").description("Bytes of local media uploaded").register(registry);
        // The Supplier form holds its source strongly; the (object, function) form would let it be collected.
        Gauge.builder("reelbox.jobs.in.flight", inFlight::getAsInt).description("Jobs being processed").register(registry);
        Gauge.builder("reelbox.jobs.waiting", waiting::getAsInt).description("Jobs waiting in the inbox").register(registry);
        // Only the events this class reads: the job route's steps and redeliveries (Camel files redeliveries under failed
        // events, so those stay on).
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            if (!(sent.getEndpoint() instanceof NemoEndpoint step)) {
                return;
            }
            String stage = step.stage();
            Timer.builder("reelbox.stage").description("Time of one step of the chain").tag("stage", stage)
                    .publishPercentileHistogram().register(registry)
                    .record(sent.getTimeTaken(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (stage.equals("upload") && sent.getExchange().getException() == null) {
                countUpload(sent.getExchange());
            }
        } else if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
            Exception e = redelivery.getExchange().getException();
            if (e == null) {
                e = redelivery.getExchange().getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            }
            String code = e instanceof JobFailure jf ? jf.code() : e == null ? "unknown" : e.getClass().getSimpleName();
            Counter.builder("reelbox.api.retries").description("Steps redelivered, by the error that caused it")
                    .tag("code", code).register(registry).increment();
        }
    }

    /** The medium the upload step just sent: the one before the job's upload cursor. */
    private void countUpload(Exchange exchange) {
        Job job = exchange.getProperty(Job.PROPERTY, Job.class);
        if (job == null || job.uploadsDone == 0) {
            return;
        }
        if (job.uploads().get(job.uploadsDone - 1) instanceof Path file) {
            try {
                uploadBytes.increment(Files.size(file));
            } catch (IOException e) {
                // The file was moved on already (the job ended): the count misses it, nothing else does.
            }
        }
    }
}
