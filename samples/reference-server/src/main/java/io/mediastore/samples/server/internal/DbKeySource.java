package io.mediastore.samples.server.internal;

import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.TokenKey;
import io.mediastore.tokens.spi.KeySource;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Token signing keys (HMAC-SHA256) in the shared database, wrapped under the {@code tokens.wrapKey} secret, so
 * that every node issues and verifies with the same ring. The newest key signs; keys stay for verification until
 * the longest token lifetime after their retirement. The ring is re-read at most every {@code refresh}.
 */
public final class DbKeySource implements KeySource {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Db db;
    private final Supplier<Secrets> secrets;
    private final Clock clock;
    private final Duration refresh;
    private final Duration keep;
    private volatile KeyRing ring;
    private volatile long loadedAt;

    public DbKeySource(Db db, Supplier<Secrets> secrets, Clock clock, Duration refresh, Duration keep) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
        this.refresh = refresh;
        this.keep = keep;
        if (db.one("SELECT COUNT(*) FROM ms_token_key", rs -> rs.getLong(1)).orElse(0L) == 0) {
            rotate();
        }
        reload();
    }

    @Override
    public KeyRing keyRing() {
        if (System.nanoTime() - loadedAt > refresh.toNanos()) {
            reload();
        }
        return ring;
    }

    /** Adds a new signing key (the old ones keep verifying); other nodes switch within the refresh interval. */
    public synchronized void rotate() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        String kid = "k" + Long.toString(clock.millis(), 36) + Db.newId("").substring(0, 6);
        Secrets.Family wrap = secrets.get().family(Secrets.TOKEN_WRAP);
        byte[] master = wrap.currentKey();
        try {
            String wrapped = Wrap.wrap(master, k, "token-key:" + kid);
            long now = clock.millis();
            db.tx(c -> {
                Db.update(c, "UPDATE ms_token_key SET retired_at = ? WHERE retired_at IS NULL", now);
                Db.update(c, "INSERT INTO ms_token_key (kid, wrap_key_id, wrapped, created_at, retired_at) VALUES (?, ?, ?, ?, NULL)",
                        kid, wrap.current(), wrapped, now);
                return null;
            });
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(master, (byte) 0);
        }
        reload();
    }

    /** Re-wraps every key under the current wrap secret (after rotating {@code tokens.wrapKey}). */
    public synchronized int rewrap() {
        Secrets s = secrets.get();
        Secrets.Family wrap = s.family(Secrets.TOKEN_WRAP);
        List<String[]> rows = db.query("SELECT kid, wrap_key_id, wrapped FROM ms_token_key WHERE wrap_key_id <> ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, wrap.current());
        byte[] cur = wrap.currentKey();
        try {
            for (String[] r : rows) {
                byte[] old = wrap.key(r[1]);
                if (old == null) {
                    throw new IllegalStateException("token key " + r[0] + " is wrapped under a secret no longer in the secrets file");
                }
                byte[] k = Wrap.unwrap(old, r[2], "token-key:" + r[0]);
                db.update("UPDATE ms_token_key SET wrap_key_id = ?, wrapped = ? WHERE kid = ? AND wrap_key_id = ?",
                        wrap.current(), Wrap.wrap(cur, k, "token-key:" + r[0]), r[0], r[1]);
                Arrays.fill(k, (byte) 0);
                Arrays.fill(old, (byte) 0);
            }
        } finally {
            Arrays.fill(cur, (byte) 0);
        }
        return rows.size();
    }

    private synchronized void reload() {
        long cutoff = clock.millis() - keep.toMillis();
        List<String[]> rows = db.query("SELECT kid, wrap_key_id, wrapped, retired_at FROM ms_token_key "
                + "WHERE retired_at IS NULL OR retired_at > ? ORDER BY created_at DESC, kid DESC",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, cutoff);
        Secrets.Family wrap = secrets.get().family(Secrets.TOKEN_WRAP);
        TokenKey active = null;
        List<TokenKey> others = new ArrayList<>();
        for (String[] r : rows) {
            byte[] master = wrap.key(r[1]);
            if (master == null) {
                continue; // wrapped under a secret this node does not hold (yet): skip rather than fail every request
            }
            byte[] k = Wrap.unwrap(master, r[2], "token-key:" + r[0]);
            TokenKey tk = TokenKey.hmacSha256(r[0], k);
            Arrays.fill(k, (byte) 0);
            Arrays.fill(master, (byte) 0);
            if (active == null && r[3] == null) {
                active = tk;
            } else {
                others.add(tk);
            }
        }
        if (active == null) {
            throw new IllegalStateException("no active token signing key in the database");
        }
        ring = KeyRing.of(active, others.toArray(TokenKey[]::new));
        loadedAt = System.nanoTime();
    }

    @Override
    public String toString() {
        return "DbKeySource[hidden]";
    }
}
