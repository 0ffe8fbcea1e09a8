package io.reelbox.refine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.job.DraftSummary;
import io.reelbox.job.Job;

/** The report's part for refines: what any report records for a later refine, and what a refine's report adds. */
public final class RefineReport {

    private RefineReport() {
    }

    /**
     * What a later refine needs: the media in upload order, each with the job whose folder in {@code .done/} holds it;
     * and for a refine, what it refined, its version, every prompt so far and whether its session was continued.
     */
    public static void addTo(ObjectNode n, Job job, Job.Render main) {
        if (main.draft != null) {
            n.put("draft_sha256", DraftSummary.fingerprint(main.draft));
        }
        ArrayNode media = n.putArray("media_files");
        int prior = job.refine == null ? 0 : job.refine.priorMedia().size();
        if (job.refine != null) {
            job.refine.priorMedia().forEach(m -> media.addObject().put("job_id", m.jobId()).put("path", m.path()));
        }
        String rootId = job.refine == null ? null : job.refine.root();
        List<Object> uploads = job.uploads();
        for (int i = 0; i < uploads.size(); i++) {
            if (uploads.get(i) instanceof Path p && i >= prior) {
                media.addObject().put("job_id", job.id()).put("path", job.claimed().workDir().relativize(p).toString());
            }
        }
        if (job.refine == null) {
            return;
        }
        String video = main.published.getFileName().toString().replaceFirst("\\.mp4$", "");
        int version = video.matches(java.util.regex.Pattern.quote(rootId) + "-v\\d+") ? Integer.parseInt(video.substring(rootId.length() + 2)) : 1;
        List<String> history = new ArrayList<>(job.refine.history());
        history.add(main.prompt);
        ObjectNode r = n.putObject("refine").put("refines", job.refine.target()).put("root", rootId).put("version", version)
                .put("session", job.refine.session());
        history.forEach(r.putArray("history")::add);
        n.put("refines", job.refine.target()).put("version", version);
        history.forEach(n.putArray("history")::add);
    }

}
