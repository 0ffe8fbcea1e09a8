package io.reelbox.job;

/**
 * What listeners hear about a job (the routes in {@code reelbox.on-published} and {@code reelbox.on-failed}): the
 * report JSON or the {@code error.json}, with the job's name, the output's name and, once published, the video's
 * absolute path and file name.
 */
public record Event(String kind, String job, String output, String video, String body) {

    /** The video's file name in the outbox ({@code promo-2.mp4} when {@code promo.mp4} was taken); null on failure. */
    public String getVideoName() {
        return video == null ? null : java.nio.file.Path.of(video).getFileName().toString();
    }

    public static final String PUBLISHED = "published";
    public static final String FAILED = "failed";
}
