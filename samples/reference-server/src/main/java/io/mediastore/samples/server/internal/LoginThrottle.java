package io.mediastore.samples.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Login rate limiting with exponential backoff, per user name and per client address, in the shared database
 * (so a client cannot dodge it by switching nodes). After {@code limit} consecutive failures on a key, each
 * further failure doubles the wait (1 s, 2 s, 4 s, ... up to the maximum); a success clears the user-name key.
 */
public final class LoginThrottle {
    private final Db db;
    private final Clock clock;
    private final int perUser;
    private final int perIp;
    private final Duration maxBackoff;

    public LoginThrottle(Db db, Clock clock, int perUser, int perIp, Duration maxBackoff) {
        this.db = db;
        this.clock = clock;
        this.perUser = perUser;
        this.perIp = perIp;
        this.maxBackoff = maxBackoff;
    }

    static String userKey(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    static String ipKey(String address) {
        return "ip:" + address;
    }

    /** Seconds to wait before the next attempt for this user name or address, or 0. */
    public long retryAfterSeconds(String username, String address) {
        long now = clock.millis();
        long until = Math.max(blockedUntil(userKey(username)), blockedUntil(ipKey(address)));
        return until > now ? Math.max(1, (until - now + 999) / 1000) : 0;
    }

    private long blockedUntil(String key) {
        return db.one("SELECT blocked_until FROM ms_login_throttle WHERE throttle_key = ?", rs -> rs.getLong(1), key).orElse(0L);
    }

    public void failure(String username, String address) {
        bump(userKey(username), perUser);
        bump(ipKey(address), perIp);
    }

    /** Forgets keys untouched for a day whose block has passed. */
    public int purge() {
        long now = clock.millis();
        return db.update("DELETE FROM ms_login_throttle WHERE updated_at < ? AND blocked_until < ?", now - 86_400_000L, now);
    }

    public void success(String username) {
        db.update("DELETE FROM ms_login_throttle WHERE throttle_key = ?", userKey(username));
    }

    private void bump(String key, int limit) {
        long now = clock.millis();
        db.tx(c -> {
            int updated = Db.update(c, "UPDATE ms_login_throttle SET failures = failures + 1, updated_at = ? WHERE throttle_key = ?",
                    now, key);
            if (updated == 0) {
                try {
                    Db.update(c, "INSERT INTO ms_login_throttle (throttle_key, failures, blocked_until, updated_at) VALUES (?, 1, 0, ?)",
                            key, now);
                } catch (java.sql.SQLException e) {
                    // a concurrent first failure inserted the row: count this one on it
                    Db.update(c, "UPDATE ms_login_throttle SET failures = failures + 1, updated_at = ? WHERE throttle_key = ?",
                            now, key);
                }
            }
            int failures = Db.query(c, "SELECT failures FROM ms_login_throttle WHERE throttle_key = ?", rs -> rs.getInt(1), key).get(0);
            if (failures >= limit) {
                int doublings = Math.min(30, failures - limit);
                long wait = Math.min(maxBackoff.toMillis(), 1000L << doublings);
                Db.update(c, "UPDATE ms_login_throttle SET blocked_until = ? WHERE throttle_key = ?", now + wait, key);
            }
            return null;
        });
    }
}
