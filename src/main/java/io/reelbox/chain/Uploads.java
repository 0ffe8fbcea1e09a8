package io.reelbox.chain;

import java.nio.file.Path;
import java.util.List;

import io.reelbox.job.Job;
import io.reelbox.nemo.UploadedFile;

/** Uploads one medium into the job's session: a local file streamed from disk, or a URL the API fetches. */
final class Uploads {

    private final Chain chain;

    Uploads(Chain chain) {
        this.chain = chain;
    }

    void next(Job job) {
        Object item = job.uploads().get(job.uploadsDone);
        List<UploadedFile> files = item instanceof Path file
                ? chain.call(job, t -> chain.client(job).upload(t, job.sessionId, List.of(file)))
                : chain.call(job, t -> chain.client(job).uploadUrls(t, job.sessionId, List.of((String) item)));
        job.uploaded.addAll(files);
        job.uploadsDone++;
        if (job.uploadsDone == job.uploads().size()) {
            job.mediaUploaded = true;
            chain.journal().save(job);
        }
    }
}
