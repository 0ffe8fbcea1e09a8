package io.reelbox.guard;

/**
 * Why a request was turned away before anything read its body.
 *
 * @param status  421 for a name this server does not answer to, 403 for a call from another site
 * @param check   which check refused: {@code host}, {@code origin} or {@code fetch-site}
 * @param subject what the client sent that was refused (printable, shortened), for the log
 */
public record Refusal(int status, String check, String message, String subject) {

    /** The error code of the JSON answer, as every other error of the API has one. */
    public String error() {
        return status == 421 ? "unknown-host" : "foreign-request";
    }
}
