package io.reelbox.job;

/**
 * What listeners hear about a job (the routes in {@code reelbox.on-published} and {@code reelbox.on-failed}): the
 * report JSON or the {@code error.json}, with the job's name, the output's name and, once published, the video's
 * absolute path.
 */
public record Event(String kind, String job, String output, String video, String body) {

    public static final String PUBLISHED = "published";
    public static final String FAILED = "failed";
}
