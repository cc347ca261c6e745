package io.mediastore.samples.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Login rate limiting with exponential backoff, per user name and per client address, in the shared database
 * (so a client cannot dodge it by switching nodes). After {@code limit} consecutive failures on a key, each
 * further failure doubles the wait (1 s, 2 s, 4 s, ... up to the maximum); a success clears the user-name key.
 * Attempts are counted when they are admitted, before the password is checked (see {@link #admit}).
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

    /**
     * An attempt's place in the counters: refused (wait {@link #retryAfterSeconds} seconds, nothing counted), or
     * admitted, with what it changed so that {@link #success} and {@link #release} can take it back.
     */
    public record Admission(String username, String address, long retryAfterSeconds,
                            long userBlockBefore, long userBlockSet, long addressBlockBefore, long addressBlockSet) {
        public boolean admitted() {
            return retryAfterSeconds == 0;
        }
    }

    /**
     * Admits one password attempt for this user name from this address, or refuses it with the seconds to wait (then
     * nothing is counted). An admitted attempt is counted as a failure before the password is checked, in one
     * transaction that locks both counters: parallel guesses queue on the lock, and once the limit is reached the
     * rest are refused, instead of all passing the check while the first ones are still being hashed. Follow an
     * admitted attempt with {@link #success} or {@link #release}; a wrong password needs nothing more.
     */
    public Admission admit(String username, String address) {
        String user = userKey(username);
        String ip = ipKey(address);
        long now = clock.millis();
        Admission admitted = admit(username, address, user, ip, now, false);
        if (admitted == null) {
            // a first attempt for a key: its row is made outside the transaction (a concurrent insert of the same
            // key must not abort it), then the attempt is made again
            ensureRow(user, now);
            ensureRow(ip, now);
            admitted = admit(username, address, user, ip, now, true);
        }
        return admitted;
    }

    /** One try at {@link #admit}; null when a counter's row is missing and {@code rowsMade} is false. */
    private Admission admit(String username, String address, String user, String ip, long now, boolean rowsMade) {
        return db.tx(c -> {
            // always the user key first, then the address: one lock order, so no two attempts deadlock
            long[] u = lockRow(c, user);
            long[] a = lockRow(c, ip);
            if (u == null || a == null) {
                if (!rowsMade) {
                    return null;
                }
                // purged between the insert and here: nothing counted yet
                u = u == null ? new long[] {0, 0} : u;
                a = a == null ? new long[] {0, 0} : a;
            }
            long until = Math.max(u[1], a[1]);
            if (until > now) {
                return new Admission(username, address, Math.max(1, (until - now + 999) / 1000), 0, 0, 0, 0);
            }
            long userSet = count(c, user, (int) u[0] + 1, perUser, now);
            long addressSet = count(c, ip, (int) a[0] + 1, perIp, now);
            return new Admission(username, address, 0, u[1], userSet, a[1], addressSet);
        });
    }

    /**
     * The attempt succeeded: the user name starts afresh, and the address gets its attempt back, with the block as it
     * was before (a correct password must not hold back others behind the same address).
     */
    public void success(Admission admitted) {
        db.update("DELETE FROM ms_login_throttle WHERE throttle_key = ?", userKey(admitted.username()));
        uncount(ipKey(admitted.address()), admitted.addressBlockBefore(), admitted.addressBlockSet());
    }

    /** The attempt was not judged (the server was busy): both counters get it back, with their blocks as they were. */
    public void release(Admission admitted) {
        uncount(userKey(admitted.username()), admitted.userBlockBefore(), admitted.userBlockSet());
        uncount(ipKey(admitted.address()), admitted.addressBlockBefore(), admitted.addressBlockSet());
    }

    /** Forgets keys untouched for a day whose block has passed. */
    public int purge() {
        long now = clock.millis();
        return db.update("DELETE FROM ms_login_throttle WHERE updated_at < ? AND blocked_until < ?", now - 86_400_000L, now);
    }

    /** The counter's row, inserted on its own (a concurrent insert of the same key is fine), so that it can be locked. */
    private void ensureRow(String key, long now) {
        try {
            db.update("INSERT INTO ms_login_throttle (throttle_key, failures, blocked_until, updated_at) VALUES (?, 0, 0, ?)", key, now);
        } catch (Db.DbException e) {
            if (!e.uniqueViolation()) {
                throw e;
            }
        }
    }

    /** Failures and blocked-until of a key, its row locked until the transaction ends; null without a row. */
    private static long[] lockRow(java.sql.Connection c, String key) throws java.sql.SQLException {
        List<long[]> rows = Db.query(c, "SELECT failures, blocked_until FROM ms_login_throttle WHERE throttle_key = ? FOR UPDATE",
                rs -> new long[] {rs.getInt(1), rs.getLong(2)}, key);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** After {@code limit} failures, each further one doubles the wait: 1 s, 2 s, 4 s, ... up to the maximum. */
    private long count(java.sql.Connection c, String key, int failures, int limit, long now) throws java.sql.SQLException {
        long blockedUntil = 0;
        if (failures >= limit) {
            int doublings = Math.min(30, failures - limit);
            blockedUntil = now + Math.min(maxBackoff.toMillis(), 1000L << doublings);
        }
        int updated = Db.update(c, "UPDATE ms_login_throttle SET failures = ?, blocked_until = ?, updated_at = ? WHERE throttle_key = ?",
                failures, blockedUntil, now, key);
        if (updated == 0) {
            Db.update(c, "INSERT INTO ms_login_throttle (throttle_key, failures, blocked_until, updated_at) VALUES (?, ?, ?, ?)",
                    key, failures, blockedUntil, now);
        }
        return blockedUntil;
    }

    /**
     * Takes back one counted attempt; the block goes back to what it was before the attempt, unless a later attempt
     * has set another one since.
     */
    private void uncount(String key, long blockBefore, long blockSet) {
        db.tx(c -> {
            List<long[]> rows = Db.query(c, "SELECT failures, blocked_until FROM ms_login_throttle WHERE throttle_key = ? FOR UPDATE",
                    rs -> new long[] {rs.getInt(1), rs.getLong(2)}, key);
            if (!rows.isEmpty() && rows.get(0)[0] > 0) {
                long blocked = rows.get(0)[1] == blockSet ? blockBefore : rows.get(0)[1];
                Db.update(c, "UPDATE ms_login_throttle SET failures = ?, blocked_until = ? WHERE throttle_key = ?",
                        rows.get(0)[0] - 1, blocked, key);
            }
            return null;
        });
    }
}
