package io.reelbox.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;
import io.reelbox.job.Job;
import io.reelbox.job.Outbox;
import io.reelbox.nemo.NemoClient;
import io.reelbox.nemo.RenderStatus;
import io.reelbox.nemo.SessionLost;

/**
 * {@code nemo:download}: fetches the finished video to a hidden temp name in the outbox and checks it (non-empty,
 * an MP4, the announced size). The output URL first, then the API's download endpoint. The next route step gives
 * the checked file its name. Links that expired while the job waited are cured by {@link RenderAgain}, once; a render
 * node that died with the finished video (several render nodes) by rendering it again on another node.
 */
final class DownloadStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadStep.class);

    private final Chain chain;
    private final Sessions sessions;
    private final RenderAgain renderAgain;

    DownloadStep(Chain chain, Sessions sessions, RenderAgain renderAgain) {
        this.chain = chain;
        this.sessions = sessions;
        this.renderAgain = renderAgain;
    }

    @Override
    public String stage() {
        return "download";
    }

    @Override
    public void run(Job job, Exchange exchange) throws Exception {
        Job.Render r = job.current();
        if (r.published != null && Files.exists(r.published)) {
            LOG.info("Job {}: {} was already written before the restart", job.id(), r.published.getFileName());
            return;
        }
        if (sessions.ensure(job, true)) {
            // The render node died with the finished video (several render nodes): the new session, on another
            // node, has the media and the edit again; it renders the video once more.
            renderAgain.onNewNode(job, r, exchange);
        }
        try {
            fetch(job, r);
        } catch (JobFailure e) {
            if (!renderAgain.applies(job, r, e)) {
                throw e;
            }
            renderAgain.run(job, r, exchange, e);
            fetch(job, r);
        }
    }

    private void fetch(Job job, Job.Render r) {
        RenderStatus s = r.completed;
        List<String> urls = new ArrayList<>();
        if (s.url() != null) {
            urls.add(s.url());
        }
        String fallback = chain.client(job).fallbackDownloadUrl(r.renderId);
        if (!urls.contains(fallback)) {
            urls.add(fallback);
        }
        JobFailure last = null;
        for (String url : urls) {
            Path temp = temp(r);
            try {
                long bytes;
                try {
                    bytes = chain.call(job, t -> chain.client(job).download(t, url, temp));
                } catch (NemoClient.TargetWriteFailed e) {
                    throw chain.outbox().failure(temp, e.io());
                }
                Outbox.verifyMp4(temp, s.size());
                r.size = bytes;
                r.downloaded = temp;
                return;
            } catch (JobFailure e) {
                deleteQuietly(temp);
                last = e;
                LOG.warn("Job {}: download from {} failed: {}", job.id(), redactQuery(url), e.getMessage());
                if (LOCAL.contains(e.failure()) || e.failure() == Failure.STOPPED || e instanceof SessionLost) {
                    // Our own disk, a stop, or the render node gone with the video: another URL would not help.
                    throw e;
                }
            }
        }
        throw last;
    }

    private static final Set<Failure> LOCAL = EnumSet.of(Failure.OUTBOX_FULL, Failure.WORK_DIR_FULL, Failure.LOCAL_IO);

    private Path temp(Job.Render r) {
        try {
            return chain.outbox().tempFor(r.output + ".mp4");
        } catch (IOException e) {
            throw chain.outbox().failure(null, e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: a hidden .part file is all that can remain, and the next start removes it
        }
    }

    /** Signed CDN URLs carry credentials in the query: keep them out of logs. */
    static String redactQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }
}
