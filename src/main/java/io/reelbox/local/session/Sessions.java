package io.reelbox.local.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.local.plan.Planner;

import io.reelbox.local.render.RenderQueue;

/**
 * The backend's memory of who is who: anonymous tokens, sessions and the draft each session's agent planned. All in
 * memory: after a restart clients get 1001 and 1002, and recover as the contract requires of them anyway.
 */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Planner.Plan> plans = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    /** @param dir where each session's uploads get a folder */
    public Sessions(Path dir) {
        this.dir = dir;
    }

    /** A new token for the user a client id stands for. */
    public String issueToken(String clientId) {
        String token = "nmv_usr_local_" + HexFormat.of().formatHex(RANDOM.generateSeed(16));
        tokens.put(token, userOf(clientId));
        return token;
    }

    public static String userOf(String clientId) {
        return "anon_" + Integer.toHexString(clientId.hashCode() & 0x7fffffff);
    }

    /** The user a bearer token was issued to; empty when it was not issued here (or before a restart). */
    public Optional<String> user(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    public Session create(String user, String language) throws IOException {
        String id = String.valueOf(sequence.incrementAndGet()) + (100 + RANDOM.nextInt(900));
        Path folder = Files.createDirectories(dir.resolve(id));
        Session s = new Session(id, "task_" + id, user, language, folder, new CopyOnWriteArrayList<>(), System.currentTimeMillis());
        sessions.put(id, s);
        return s;
    }

    /** The session {@code id} if {@code user} owns it: another user's session is as unknown as a missing one. */
    public Optional<Session> of(String id, String user) {
        Session s = sessions.get(id);
        return s != null && s.user().equals(user) ? Optional.of(s) : Optional.empty();
    }

    /** The session's agent planned {@code plan}: its draft is the session's, and the next prompt edits it. */
    public void plan(Session s, Planner.Plan plan) {
        plans.put(s.id(), plan);
    }

    /** The session's last plan, or null before its first prompt. */
    public Planner.Plan plan(Session s) {
        return plans.get(s.id());
    }

    public ObjectNode draft(Session s) {
        Planner.Plan p = plans.get(s.id());
        return p == null ? null : p.draft();
    }

    /** Forgets sessions created before {@code cutoff} (epoch ms), with their uploads and drafts. */
    public void sweep(long cutoff) {
        sessions.values().removeIf(s -> {
            if (s.createdAt() < cutoff) {
                RenderQueue.deleteTree(s.dir());
                plans.remove(s.id());
                return true;
            }
            return false;
        });
    }
}
