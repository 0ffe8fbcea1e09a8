package io.reelbox.ops;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

import io.reelbox.failure.JobFailure;
import io.reelbox.refine.RefineRequests;

/**
 * The job API as the routes in {@code routes/api.yaml} call it: reads the request off the exchange and puts a JSON
 * answer with its status code back. Nothing of the request's headers goes back out.
 */
public final class JobApi {

    private final JobBoard board;
    private final JobActions actions;
    private final RefineRequests refines;

    public JobApi(JobBoard board, JobActions actions, RefineRequests refines) {
        this.board = board;
        this.actions = actions;
        this.refines = refines;
    }

    public void list(Exchange exchange) throws IOException {
        answer(exchange, ApiAnswer.ok(board.all()));
    }

    public void one(Exchange exchange) throws IOException {
        String id = id(exchange);
        answer(exchange, board.one(id).map(ApiAnswer::ok)
                .orElse(ApiAnswer.error(404, "unknown-job", "No job has the id " + id)));
    }

    public void retry(Exchange exchange) throws IOException {
        answer(exchange, actions.retry(id(exchange)));
    }

    public void cancel(Exchange exchange) throws IOException {
        answer(exchange, actions.cancel(id(exchange)));
    }

    /**
     * {@code POST /api/jobs/{id}/refine} with {@code {"prompt": "…"}}: a new version of the finished job (or video)
     * {@code id}, queued as a refine sidecar in the inbox; 202 with the new job's name.
     */
    public void refine(Exchange exchange) throws IOException {
        String id = id(exchange);
        String prompt;
        try {
            prompt = JobBoard.JSON.readTree(exchange.getMessage().getBody(String.class)).path("prompt").asText(null);
        } catch (IOException | RuntimeException e) {
            answer(exchange, ApiAnswer.error(400, "bad-json", "Send JSON: {\"prompt\": \"what to change\"}"));
            return;
        }
        try {
            answer(exchange, ApiAnswer.accepted(RefineRequests.json(JobBoard.JSON, refines.queue(id, prompt))));
        } catch (IllegalArgumentException e) {
            answer(exchange, ApiAnswer.error(400, "no-prompt", e.getMessage()));
        } catch (JobFailure missing) {
            answer(exchange, ApiAnswer.error(404, missing.code(), missing.getMessage()));
        }
    }

    /** A multipart form: {@code prompt}, an optional {@code name}, and the files (any field names). */
    public void submit(Exchange exchange) throws IOException {
        List<JobActions.Upload> files = new ArrayList<>();
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        if (message.hasAttachments()) {
            for (Map.Entry<String, DataHandler> a : message.getAttachments().entrySet()) {
                if (a.getValue().getDataSource() instanceof FileDataSource source) {
                    File f = source.getFile();
                    files.add(new JobActions.Upload(source.getName(), f.toPath(), f.length()));
                }
            }
        }
        String prompt = exchange.getMessage().getHeader("prompt", String.class);
        String name = exchange.getMessage().getHeader("name", String.class);
        answer(exchange, actions.submit(name, prompt, files));
    }

    /** The route configuration's answer to an exception: 500, and what broke (never a header or a token). */
    public void failure(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        answer(exchange, ApiAnswer.error(500, "internal", e == null ? "unknown error" : e.toString()));
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader("id", String.class);
    }

    private static void answer(Exchange exchange, ApiAnswer answer) {
        var out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("Cache-Control", "no-store");
        out.setBody(answer.body().toString());
    }
}
