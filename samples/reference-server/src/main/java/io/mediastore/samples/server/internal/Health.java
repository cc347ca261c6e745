package io.mediastore.samples.server.internal;

import io.mediastore.storage.BlobKey;
import io.mediastore.storage.BlobStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Readiness checks (database, blob store, key sources) and secret rotation while running. */
public final class Health {
    private final Db db;
    private final BlobStore blobs;
    private final DbKeySource tokenKeys;
    private final Supplier<Secrets> secrets;
    private final Rotator rotator;

    /** Rotates one named secret family and re-wraps what it protects. */
    @FunctionalInterface
    public interface Rotator {
        Map<String, Object> rotate(String name) throws IOException;
    }

    public Health(Db db, BlobStore blobs, DbKeySource tokenKeys, Supplier<Secrets> secrets, Rotator rotator) {
        this.db = db;
        this.blobs = blobs;
        this.tokenKeys = tokenKeys;
        this.secrets = secrets;
        this.rotator = rotator;
    }

    public Map<String, Object> check() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", probe(() -> db.one("SELECT 1", rs -> rs.getInt(1))));
        out.put("blobStore", probe(() -> blobs.stat(BlobKey.of("health/probe"))));
        out.put("tokenKeys", probe(() -> tokenKeys.keyRing().active().orElseThrow()));
        out.put("secrets", probe(() -> secrets.get().family(Secrets.HLS_MASTER).currentKey()));
        return out;
    }

    private static String probe(Runnable r) {
        try {
            r.run();
            return "UP";
        } catch (RuntimeException e) {
            return "DOWN";
        }
    }

    public Map<String, Object> rotate(String name) throws IOException {
        return rotator.rotate(name);
    }

}
