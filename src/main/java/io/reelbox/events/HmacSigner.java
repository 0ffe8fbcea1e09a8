package io.reelbox.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Signs a webhook's body so the receiver can tell it came from this Reelbox: {@code sha256=<hex HMAC-SHA256 of the
 * body, keyed with the shared secret>}, the form GitHub and Stripe made familiar. Used by
 * {@code routes/examples/webhook.yaml}.
 */
public final class HmacSigner {

    /** The exchange property the route puts the secret in (never a header: headers are sent). */
    public static final String SECRET = "WebhookSecret";

    public String sign(@Body String body, @ExchangeProperty(SECRET) String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("the webhook secret is not set (webhook.secret, or WEBHOOK_SECRET in the environment)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
