package io.reelbox.failure;

/**
 * Every way a job can end badly, with the advice the user reads in {@code error.json}. The hint is the part users act
 * on, so it says what to do, not what went wrong.
 */
public enum Failure {
    TOKEN_REJECTED("The configured API token was rejected (1001). Check reelbox.api.token / NEMO_TOKEN, or unset it to use a free anonymous token, then move the inputs back into the inbox."),
    TOKEN_INVALID("The API token expired and a new one could not be obtained. Move the inputs back into the inbox to retry."),
    SESSION_NOT_FOUND("The editing session kept disappearing (1002). Move the inputs back into the inbox to retry."),
    OUT_OF_CREDITS("Out of credits (2001). Register or top up, then move the inputs back into the inbox; intake resumes by itself when credits return."),
    UNSUPPORTED_FILE("Unsupported file (4001). Accepted: mp4 mov avi webm mkv, jpg png gif webp, mp3 wav m4a aac. Convert or remove the file, then move the inputs back into the inbox."),
    FILE_TOO_LARGE("File too large (4002): the limit is 500 MB a file. Trim or compress it, then move the inputs back into the inbox."),
    EXPORT_BLOCKED("Export refused (HTTP 402): the plan does not allow this export, often because attribution headers are missing (reelbox.api.skill-*). Not a credit problem; fix the settings or the plan, then move the inputs back."),
    RATE_LIMITED("The API kept rate-limiting (429). Wait a few minutes, then move the inputs back into the inbox."),
    UNAVAILABLE("The API did not answer properly after several tries (network error, timeout or 5xx). Check the connection and reelbox.api.base-url, then move the inputs back into the inbox."),
    REJECTED("The API refused the request. Read the message; fix the sidecar or media, then move the inputs back into the inbox."),
    AGENT_ERROR("The editing agent reported an error. Rephrase or simplify the prompt, then move the inputs back into the inbox."),
    NO_EDIT("The editing agent produced no timeline for this prompt. Make the prompt more specific (what to combine, how long), then move the inputs back into the inbox."),
    RENDER_FAILED("The render failed twice. Move the inputs back into the inbox to retry; if it fails again, try shorter sources."),
    RENDER_TIMEOUT("The render did not finish within reelbox.export.timeout. Raise the timeout or use shorter sources, then move the inputs back into the inbox."),
    BAD_OUTPUT("The downloaded video was not a valid MP4 (empty, wrong type or truncated). Move the inputs back into the inbox to retry."),
    BAD_SIDECAR("The sidecar could not be used. Fix it as the message says (see the inbox contract in README.md), then move the files back into the inbox."),
    BAD_MEDIA("A media file was refused before upload. Fix or remove it as the message says, then move the files back into the inbox."),
    MEDIA_MISSING("Media named in the sidecar never arrived. Add them (or fix the names in the sidecar), then move the files back into the inbox."),
    OUTBOX_FULL("The outbox's disk is full. The finished video waits in inbox/.processing/ and is written as soon as there is room: free space on the disk that holds reelbox.outbox. Nothing is rendered again, and intake resumes by itself."),
    WORK_DIR_FULL("The work dir's disk is full: free space on the disk that holds reelbox.work-dir (the embedded backend keeps uploads and renders there, and the journal lives there), then move the inputs back into the inbox. Intake resumes by itself when there is room."),
    LOCAL_IO("Reelbox could not read or write one of its own folders (the folder and the system's message are in the message). Check that it exists, its permissions, and whether its disk is read-only or failing; then move the inputs back into the inbox."),
    CANCELLED("The job was cancelled through the dashboard, the API or `reelbox cancel`. Its inputs are kept here: retry it from the dashboard (or `reelbox retry`), or move them back into the inbox."),
    REFINE_TARGET_MISSING("The video to refine was not found. Name a finished video in 'refine:' (its output name, like promo, or its job id; the message lists similar ones), then move the sidecar back into the inbox."),
    REFINE_INPUTS_MISSING("The earlier video's session is gone and the media it was made from are no longer in inbox/.done/. Put them back where the message says (or make the video again as a new job), then move the sidecar back into the inbox."),
    NOTHING_TO_CHANGE("The follow-up asked for what the video already is, so no new version was made. Say what to change (for example \"make it 10 seconds\", \"no music\", \"drop the second photo\"), then move the sidecar back into the inbox."),
    TAKEN_OVER("Another Reelbox node took this job over after this node's lease on it ran out (it was paused, cut off from the database, or too slow to renew). Nothing to do: the other node finishes it."),
    STOPPED("Reelbox stopped before the job finished. The job stays in inbox/.processing/ with its journal entry and resumes on the next start."),
    INTERNAL("Reelbox hit an unexpected error. Move the inputs back into the inbox to retry, and report the message if it happens again.");

    private final String hint;

    Failure(String hint) {
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
