package io.reelbox.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.config.Settings;
import io.reelbox.failure.Failure;
import io.reelbox.nemo.AnonymousToken;
import io.reelbox.nemo.ApiException;
import io.reelbox.nemo.NemoClient;

/**
 * The API token: the configured one ({@code reelbox.api.token}, by default {@code NEMO_TOKEN}), or an anonymous
 * token cached in {@code <work-dir>/token.json} with the client id it was issued to. The vendor issues about one
 * anonymous token per client id per week, so both survive restarts. The file is owner-only (0600).
 *
 * <p>One request for a token is in flight at a time (callers wait for it and share its token), and at most
 * {@code reelbox.api.token-burst} go out in a minute: past that, the step is told to wait as after a 429. A token that
 * arrives already expired by this machine's clock (the clocks disagree) is used until the API rejects it.
 */
public final class TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Settings settings;
    private final NemoClient client;
    private final Path file;
    private final boolean useConfigured;
    private final Clock clock;
    private final Deque<Instant> recentRequests = new ArrayDeque<>();
    /** The last few tokens that served a call: a 1001 on one of them is an expiry, not a token that never worked. */
    private final Deque<String> served = new ArrayDeque<>();
    private String clientId;
    private String token;
    private String userId;
    private Instant expiresAt;

    public TokenStore(Settings settings, NemoClient client, Path workDir) {
        this(settings, client, workDir.resolve("token.json"), true);
    }

    /**
     * {@code useConfigured} false: always anonymous (the embedded backend, which must never see a cloud token),
     * cached in its own {@code file} so switching backends does not throw away the cloud's weekly token.
     */
    public TokenStore(Settings settings, NemoClient client, Path file, boolean useConfigured) {
        this(settings, client, file, useConfigured, Clock.systemUTC());
    }

    TokenStore(Settings settings, NemoClient client, Path file, boolean useConfigured, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.file = file;
        this.useConfigured = useConfigured;
        this.clock = clock;
    }

    public boolean configured() {
        return useConfigured && !settings.get("reelbox.api.token", "").isBlank();
    }

    /** The anonymous user's id, for the registration link; empty when unknown or a token is configured. */
    public synchronized String userId() {
        load();
        return userId == null ? "" : userId;
    }

    public synchronized String current() {
        if (configured()) {
            return settings.get("reelbox.api.token", "");
        }
        load();
        if (token != null && (expiresAt == null || clock.instant().isBefore(expiresAt.minus(RENEW_BEFORE)))) {
            return token;
        }
        if (clientId == null) {
            clientId = UUID.randomUUID().toString();
        }
        AnonymousToken fresh = request();
        // Issued anew, it has served nothing yet, even if the API handed out the same string again (it does, per
        // client id, within a week): a rejection of it now is one the 1001 budget counts.
        served.remove(fresh.token());
        token = fresh.token();
        userId = fresh.userId();
        expiresAt = parse(fresh.expiresAt());
        if (expiresAt != null && !clock.instant().isBefore(expiresAt.minus(RENEW_BEFORE))) {
            // Fresh from the API, yet expired by this clock: the clocks disagree, and the API is the judge. Replacing it
            // at every call would mint a token per request; it is used until the API answers 1001.
            LOG.warn("The new API token expires at {} by the API's clock, which is {} here: this machine's clock and the "
                    + "API's disagree. Using the token until the API rejects it; check the clock (NTP).", expiresAt, clock.instant());
            expiresAt = null;
        }
        save();
        LOG.info("Obtained an anonymous API token (user {}, expires {})", userId, expiresAt == null ? "unknown" : expiresAt);
        return token;
    }

    /** Asks for a token, within the burst bound; a 400 (an unusable client id) starts over with a new id, once. */
    private AnonymousToken request() {
        Instant now = clock.instant();
        while (!recentRequests.isEmpty() && !recentRequests.peekFirst().isAfter(now.minus(BURST_WINDOW))) {
            recentRequests.removeFirst();
        }
        int burst = Math.max(1, settings.integer("reelbox.api.token-burst"));
        if (recentRequests.size() >= burst) {
            Duration wait = Duration.between(now, recentRequests.peekFirst().plus(BURST_WINDOW));
            throw ApiException.of(Failure.RATE_LIMITED, 0, null, "token: " + burst + " new tokens were asked for in the last "
                    + "minute (reelbox.api.token-burst); waiting before asking again", wait, null);
        }
        recentRequests.addLast(now);
        AnonymousToken fresh;
        try {
            fresh = client.anonymousToken(clientId);
        } catch (ApiException e) {
            if (e.httpStatus() != 400) {
                throw e;
            }
            // 400 is the API's word for a missing or unusable client id: start over with a new one, once.
            clientId = UUID.randomUUID().toString();
            fresh = client.anonymousToken(clientId);
        }
        return fresh;
    }

    /** {@code token} served a call. */
    public synchronized void served(String token) {
        if (!served.contains(token)) {
            served.addFirst(token);
            if (served.size() > 8) {
                served.removeLast();
            }
        }
    }

    /** Whether {@code token} served a call before (and so expired, rather than never worked). */
    public synchronized boolean hasServed(String token) {
        return served.contains(token);
    }

    /** Forgets {@code rejected} if it is still the cached one, so the next {@link #current()} fetches a new one. */
    public synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
            expiresAt = null;
            save();
        }
    }

    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Duration BURST_WINDOW = Duration.ofMinutes(1);
    private boolean loaded;

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            clientId = text(n, "client_id");
            token = text(n, "token");
            userId = text(n, "user_id");
            expiresAt = parse(text(n, "expires_at"));
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable token cache {}: {}", file, e.getMessage());
        }
    }

    private void save() {
        ObjectNode n = JSON.createObjectNode().put("client_id", clientId).put("token", token).put("user_id", userId)
                .put("expires_at", expiresAt == null ? null : expiresAt.toString());
        try {
            AtomicFiles.writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (IOException e) {
            LOG.warn("Could not save the token cache in {}: {}", file.getParent(), e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Instant parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
