package io.reelbox.nemo;

/** {@code POST /api/auth/anonymous-token}. {@code toString} hides the token so it cannot reach a log by accident. */
public record AnonymousToken(String token, String userId, String expiresAt) {

    @Override
    public String toString() {
        return "AnonymousToken[user=" + userId + ", expires=" + expiresAt + "]";
    }
}
