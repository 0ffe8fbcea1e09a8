package io.reelbox.chain;

import org.apache.camel.Exchange;

import io.reelbox.job.Job;

/** {@code nemo:upload}: uploads the next medium, in the sidecar's order (the route loops once per medium). */
final class UploadStep implements Step {

    private final Uploads uploads;
    private final Sessions sessions;

    UploadStep(Uploads uploads, Sessions sessions) {
        this.uploads = uploads;
        this.sessions = sessions;
    }

    @Override
    public String stage() {
        return "upload";
    }

    @Override
    public void run(Job job, Exchange exchange) {
        sessions.ensure(job, false);
        if (!job.mediaUploaded) {
            uploads.next(job);
        }
    }
}
