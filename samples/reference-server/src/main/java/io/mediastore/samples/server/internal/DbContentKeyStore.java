package io.mediastore.samples.server.internal;

import io.mediastore.hls.ContentKey;
import io.mediastore.hls.HlsException;
import io.mediastore.hls.spi.ContentKeyStore;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * HLS content keys in the shared database, each wrapped with AES-256-GCM under the HLS master key (secret
 * {@code hls.masterKey}) with the key id and asset id as associated data; never next to the segments (those go
 * to the blob store). {@link #forAsset} binds a store to one asset so the key endpoint can refuse a key of
 * another asset.
 */
public final class DbContentKeyStore implements ContentKeyStore {
    private final Db db;
    private final Supplier<Secrets> secrets;
    private final Clock clock;
    private final String assetId;

    public DbContentKeyStore(Db db, Supplier<Secrets> secrets, Clock clock) {
        this(db, secrets, clock, null);
    }

    private DbContentKeyStore(Db db, Supplier<Secrets> secrets, Clock clock, String assetId) {
        this.db = db;
        this.secrets = secrets;
        this.clock = clock;
        this.assetId = assetId;
    }

    public DbContentKeyStore forAsset(String asset) {
        return new DbContentKeyStore(db, secrets, clock, asset);
    }

    private static String context(String keyId, String assetId) {
        return "hls-key:" + keyId + ":" + assetId;
    }

    @Override
    public void put(ContentKey key) {
        if (assetId == null) {
            throw new IllegalStateException("bind the store to an asset first");
        }
        Secrets.Family f = secrets.get().family(Secrets.HLS_MASTER);
        byte[] master = f.currentKey();
        byte[] raw = key.copyKeyBytes();
        try {
            db.update("INSERT INTO ms_content_key (key_id, asset_id, master_key_id, wrapped, created_at) VALUES (?, ?, ?, ?, ?)",
                    key.keyId(), assetId, f.current(), Wrap.wrap(master, raw, context(key.keyId(), assetId)), clock.millis());
        } catch (Db.DbException e) {
            if (e.uniqueViolation()) {
                throw new IllegalStateException("a key with this id exists");
            }
            throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot store a content key", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(master, (byte) 0);
        }
    }

    @Override
    public Optional<ContentKey> get(String keyId) {
        List<String[]> rows;
        try {
            rows = assetId == null
                    ? db.query("SELECT asset_id, master_key_id, wrapped FROM ms_content_key WHERE key_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, keyId)
                    : db.query("SELECT asset_id, master_key_id, wrapped FROM ms_content_key WHERE key_id = ? AND asset_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, keyId, assetId);
        } catch (Db.DbException e) {
            throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot read a content key", e);
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String[] r = rows.get(0);
        byte[] master = secrets.get().family(Secrets.HLS_MASTER).key(r[1]);
        if (master == null) {
            throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "content key wrapped under an unknown master key id");
        }
        byte[] raw = null;
        try {
            raw = Wrap.unwrap(master, r[2], context(keyId, r[0]));
            return Optional.of(ContentKey.of(keyId, raw));
        } catch (IllegalStateException e) {
            throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "a content key does not unwrap", e);
        } finally {
            Arrays.fill(master, (byte) 0);
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    @Override
    public boolean delete(String keyId) {
        return assetId == null
                ? db.update("DELETE FROM ms_content_key WHERE key_id = ?", keyId) > 0
                : db.update("DELETE FROM ms_content_key WHERE key_id = ? AND asset_id = ?", keyId, assetId) > 0;
    }

    /** Deletes every content key of this store's asset; returns how many. */
    public int deleteAll() {
        if (assetId == null) {
            throw new IllegalStateException("only a store scoped to one asset deletes all its keys");
        }
        return db.update("DELETE FROM ms_content_key WHERE asset_id = ?", assetId);
    }

    /** Re-wraps every content key under the current HLS master key (after rotating it); returns how many. */
    public int rewrapAll() {
        Secrets.Family f = secrets.get().family(Secrets.HLS_MASTER);
        List<String[]> rows = db.query("SELECT key_id, asset_id, master_key_id, wrapped FROM ms_content_key WHERE master_key_id <> ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, f.current());
        byte[] cur = f.currentKey();
        try {
            for (String[] r : rows) {
                byte[] old = f.key(r[2]);
                if (old == null) {
                    throw new IllegalStateException("content key wrapped under a master key no longer in the secrets file");
                }
                byte[] raw = Wrap.unwrap(old, r[3], context(r[0], r[1]));
                db.update("UPDATE ms_content_key SET master_key_id = ?, wrapped = ? WHERE key_id = ? AND master_key_id = ?",
                        f.current(), Wrap.wrap(cur, raw, context(r[0], r[1])), r[0], r[2]);
                Arrays.fill(raw, (byte) 0);
                Arrays.fill(old, (byte) 0);
            }
        } finally {
            Arrays.fill(cur, (byte) 0);
        }
        return rows.size();
    }
}
