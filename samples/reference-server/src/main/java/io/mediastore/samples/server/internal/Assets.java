package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediastore.acl.SqlFilter;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Asset and collection rows. Listing filters by the ACL in SQL before paging (keyset paging, newest first). */
public final class Assets {
    static final String COLUMNS = "id, title, description, collection_id, owner_id, content_type, file_name, size_bytes, sha256, "
            + "blob_key, created_at, kind, video_state, video_progress, video_error";

    public record Asset(String id, String title, String description, String collectionId, String ownerId, String contentType,
                        String fileName, long size, String sha256, String blobKey, long createdAt, String kind,
                        String videoState, Double videoProgress, String videoError) {
        public boolean isVideo() {
            return "video".equals(kind);
        }
    }

    public record Page(List<Asset> items, String nextCursor) {
    }

    private final Db db;

    public Assets(Db db) {
        this.db = db;
    }

    public Db db() {
        return db;
    }

    static Asset row(ResultSet rs) throws SQLException {
        double p = rs.getDouble(14);
        Double progress = rs.wasNull() ? null : p;
        return new Asset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getLong(11), rs.getString(12),
                rs.getString(13), progress, rs.getString(15));
    }

    public Optional<Asset> find(String id) {
        return db.one("SELECT " + COLUMNS + " FROM ms_asset WHERE id = ?", Assets::row, id);
    }

    public void insert(Asset a) {
        db.update("INSERT INTO ms_asset (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.title(), a.description(), a.collectionId(), a.ownerId(), a.contentType(), a.fileName(), a.size(),
                a.sha256(), a.blobKey(), a.createdAt(), a.kind(), a.videoState(), a.videoProgress(), a.videoError());
    }

    public void updateText(String id, String title, String description) {
        if (title != null) {
            db.update("UPDATE ms_asset SET title = ? WHERE id = ?", title, id);
        }
        if (description != null) {
            db.update("UPDATE ms_asset SET description = ? WHERE id = ?", description, id);
        }
    }

    public void delete(String id) {
        db.tx(c -> {
            Db.update(c, "DELETE FROM ms_share WHERE asset_id = ?", id);
            Db.update(c, "DELETE FROM ms_asset WHERE id = ?", id);
            return null;
        });
    }

    /**
     * One page of the assets {@code filter} admits (the ACL's SQL filter on {@code a.id}), optionally matching text,
     * collection and kind. Every value is a bind parameter.
     */
    public Page list(SqlFilter filter, String q, String collectionId, String kind, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS.replaceAll("(^|, )", "$1a.") + " FROM ms_asset a WHERE ")
                .append(filter.sql());
        List<Object> params = new ArrayList<>(filter.parameters());
        if (q != null && !q.isBlank()) {
            String like = "%" + q.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
            sql.append(" AND (LOWER(a.title) LIKE ? ESCAPE '!' OR LOWER(a.description) LIKE ? ESCAPE '!')");
            params.add(like);
            params.add(like);
        }
        if (collectionId != null) {
            sql.append(" AND a.collection_id = ?");
            params.add(collectionId);
        }
        if (kind != null) {
            sql.append(" AND a.kind = ?");
            params.add(kind);
        }
        if (cursor != null) {
            long[] t = new long[1];
            String id = decodeCursor(cursor, t);
            sql.append(" AND (a.created_at < ? OR (a.created_at = ? AND a.id < ?))");
            params.add(t[0]);
            params.add(t[0]);
            params.add(id);
        }
        sql.append(" ORDER BY a.created_at DESC, a.id DESC LIMIT ?");
        params.add(limit + 1);
        List<Asset> rows = db.query(sql.toString(), Assets::row, params.toArray());
        String next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            Asset last = rows.get(limit - 1);
            next = encodeCursor(last.createdAt(), last.id());
        }
        return new Page(rows, next);
    }

    static String encodeCursor(long createdAt, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor, long[] createdAt) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            createdAt[0] = Long.parseLong(s.substring(0, colon));
            String id = s.substring(colon + 1);
            if (!id.matches("a_[A-Za-z0-9_-]{1,38}")) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (RuntimeException e) {
            throw ApiException.validation("cursor", "malformed cursor");
        }
    }

    public static ObjectNode toJson(Asset a, List<String> permissions) {
        ObjectNode o = Json.object();
        o.put("id", a.id());
        o.put("title", a.title());
        o.put("description", a.description());
        o.put("collectionId", a.collectionId());
        o.put("owner", a.ownerId());
        o.put("contentType", a.contentType());
        o.put("fileName", a.fileName());
        o.put("size", a.size());
        o.put("sha256", a.sha256());
        o.put("createdAt", Instant.ofEpochMilli(a.createdAt()).toString());
        o.put("kind", a.kind());
        if (a.isVideo()) {
            ObjectNode v = o.putObject("video");
            v.put("state", a.videoState());
            v.put("progress", a.videoProgress() == null ? 0.0 : a.videoProgress());
            v.put("error", a.videoError());
        } else {
            o.putNull("video");
        }
        ArrayNode p = o.putArray("permissions");
        permissions.forEach(p::add);
        return o;
    }

    // ------------------------------------------------------------------ collections

    public record Collection(String id, String name, String parentId, String ownerId) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("id", id);
            o.put("name", name);
            o.put("parentId", parentId);
            o.put("owner", ownerId);
            return o;
        }
    }

    public Optional<Collection> collection(String id) {
        return db.one("SELECT id, name, parent_id, owner_id FROM ms_collection WHERE id = ?",
                rs -> new Collection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id);
    }

    public List<Collection> collections(SqlFilter filter) {
        return db.query("SELECT c.id, c.name, c.parent_id, c.owner_id FROM ms_collection c WHERE " + filter.sql()
                        + " ORDER BY c.name, c.id LIMIT 1000",
                rs -> new Collection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), filter.parameters().toArray());
    }

    public void insertCollection(Collection c, long now) {
        db.update("INSERT INTO ms_collection (id, name, parent_id, owner_id, created_at) VALUES (?, ?, ?, ?, ?)",
                c.id(), c.name(), c.parentId(), c.ownerId(), now);
    }

    // ------------------------------------------------------------------ video state

    public void videoState(String id, String state, Double progress, String error) {
        db.update("UPDATE ms_asset SET video_state = ?, video_progress = ?, video_error = ? WHERE id = ?", state, progress, error, id);
    }

    /** Records progress and the worker's heartbeat; false when the asset no longer exists (it was deleted). */
    public boolean videoProgress(String id, double progress) {
        return db.update("UPDATE ms_asset SET video_progress = ?, worker_heartbeat = ? WHERE id = ?", progress, System.currentTimeMillis(), id) > 0;
    }

    /** Claims a queued video for this worker; true if this worker won it. */
    public boolean claim(String id, String worker) {
        return db.update("UPDATE ms_asset SET video_state = 'transcoding', video_progress = 0, worker_id = ?, worker_heartbeat = ? "
                + "WHERE id = ? AND video_state = 'queued'", worker, System.currentTimeMillis(), id) == 1;
    }

    public List<String> queued(int max) {
        return db.query("SELECT id FROM ms_asset WHERE video_state = 'queued' ORDER BY created_at LIMIT ?", rs -> rs.getString(1), max);
    }

    /** Puts this worker's unfinished videos back in the queue (on shutdown), for this or another node to redo. */
    public int requeueWorker(String worker) {
        return db.update("UPDATE ms_asset SET video_state = 'queued', video_progress = 0, worker_id = NULL "
                + "WHERE video_state IN ('transcoding', 'packaging') AND worker_id = ?", worker);
    }

    /** Puts videos whose worker stopped sending heartbeats back in the queue. */
    public int requeueStale(long olderThanMillis) {
        return db.update("UPDATE ms_asset SET video_state = 'queued', video_progress = 0, worker_id = NULL "
                + "WHERE video_state IN ('transcoding', 'packaging') AND worker_heartbeat < ?", olderThanMillis);
    }
}
