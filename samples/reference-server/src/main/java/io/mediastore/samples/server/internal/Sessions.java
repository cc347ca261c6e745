package io.mediastore.samples.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Server-side sessions in the shared database (so any node can serve any request). The cookie carries 32 random
 * bytes; the table holds only their SHA-256, so a database leak does not leak live sessions.
 */
public final class Sessions {
    public static final String COOKIE = "ms_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final Users users;
    private final Clock clock;
    private final Duration ttl;

    public Sessions(Db db, Users users, Clock clock, Duration ttl) {
        this.db = db;
        this.users = users;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A new session: the cookie value (secret) and the session. */
    public record Created(String cookieValue, Session session) {
        @Override
        public String toString() {
            return "Created[" + session + "]";
        }
    }

    public Created create(User user) {
        String cookie = random(32);
        String csrf = random(32);
        String key = hash(cookie);
        long now = clock.millis();
        db.update("INSERT INTO ms_session (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                key, user.id(), csrf, now, now + ttl.toMillis());
        return new Created(cookie, new Session(key, user, csrf));
    }

    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        String key = hash(cookieValue);
        Optional<String[]> row = db.one("SELECT user_id, csrf_token, expires_at FROM ms_session WHERE id_hash = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))}, key);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        if (Long.parseLong(row.get()[2]) < clock.millis()) {
            delete(key);
            return Optional.empty();
        }
        Optional<User> u = users.byId(row.get()[0]);
        if (u.isEmpty() || u.get().disabled()) {
            delete(key);
            return Optional.empty();
        }
        return Optional.of(new Session(key, u.get(), row.get()[1]));
    }

    public void delete(String key) {
        db.update("DELETE FROM ms_session WHERE id_hash = ?", key);
    }

    /** Ends every session of the user except {@code keep} (after a password change). */
    public void deleteOthers(String userId, String keep) {
        db.update("DELETE FROM ms_session WHERE user_id = ? AND id_hash <> ?", userId, keep);
    }

    public int purgeExpired() {
        return db.update("DELETE FROM ms_session WHERE expires_at < ?", clock.millis());
    }

    public static boolean csrfMatches(Session s, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(s.csrfToken().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Duration ttl() {
        return ttl;
    }
}
