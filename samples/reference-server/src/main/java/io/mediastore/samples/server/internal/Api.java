package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediastore.acl.Principal;
import io.mediastore.hls.KeyAuthorizer;
import io.mediastore.hls.KeyDelivery;
import io.mediastore.hls.KeyRequest;
import io.mediastore.hls.KeyResponse;
import io.mediastore.hls.MasterPlaylist;
import io.mediastore.hls.MediaPlaylist;
import io.mediastore.hls.PlaylistPersonalizer;
import io.mediastore.passwords.HasherBusyException;
import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordHasher;
import io.mediastore.passwords.Verification;
import io.mediastore.samples.server.ServerConfig;
import io.mediastore.storage.BlobInfo;
import io.mediastore.storage.BlobKey;
import io.mediastore.storage.BlobStore;
import io.mediastore.storage.BlobStoreException;
import io.mediastore.storage.PutOptions;
import io.mediastore.tokens.AccessRequest;
import io.mediastore.tokens.Grant;
import io.mediastore.tokens.IssuedToken;
import io.mediastore.tokens.Resource;
import io.mediastore.tokens.TokenRejectedException;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.TokenSpec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The JSON API's handlers, declared on a default-deny {@link Router}. */
public final class Api {
    private static final Pattern ASSET_ID = Pattern.compile("a_[A-Za-z0-9_-]{22}");
    private static final Pattern COLLECTION_ID = Pattern.compile("c_[A-Za-z0-9_-]{22}");
    private static final Pattern USER_ID = Pattern.compile("u_[A-Za-z0-9_-]{22}");
    private static final Pattern RENDITION = Pattern.compile("[0-9]{2,4}p");
    private static final Pattern SEGMENT = Pattern.compile("segment-[0-9]{5,9}\\.ts");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,63}/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,63}");

    private final ServerConfig config;
    private final Users users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Supplier<PasswordHasher> hasher;
    private final Acl acl;
    private final Assets assets;
    private final BlobStore blobs;
    private final TokenService tokens;
    private final DbContentKeyStore contentKeys;
    private final VideoWorker video;
    private final Clock clock;
    private final Supplier<URI> apiBase;
    private final Supplier<List<String>> allowedOrigins;
    private final Health health;

    public Api(ServerConfig config, Users users, Sessions sessions, LoginThrottle throttle, Supplier<PasswordHasher> hasher, Acl acl,
               Assets assets, BlobStore blobs, TokenService tokens, DbContentKeyStore contentKeys, VideoWorker video,
               Supplier<URI> apiBase, Supplier<List<String>> allowedOrigins, Health health) {
        this.config = config;
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.hasher = hasher;
        this.acl = acl;
        this.assets = assets;
        this.blobs = blobs;
        this.tokens = tokens;
        this.contentKeys = contentKeys;
        this.video = video;
        this.clock = config.clock();
        this.apiBase = apiBase;
        this.allowedOrigins = allowedOrigins;
        this.health = health;
    }

    public Router router() {
        Router r = new Router();
        r.add("GET", "/health/live", Router.Access.PUBLIC, ex -> ex.sendJson(200, Map.of("status", "UP")));
        r.add("GET", "/health/ready", Router.Access.PUBLIC, this::ready);
        r.add("POST", "/api/v1/auth/login", Router.Access.PUBLIC, false, true, this::login);
        r.add("POST", "/api/v1/auth/logout", Router.Access.SESSION_ANY, this::logout);
        r.add("POST", "/api/v1/auth/password", Router.Access.SESSION_ANY, this::changePassword);
        r.add("GET", "/api/v1/me", Router.Access.SESSION_ANY, this::me);
        r.add("GET", "/api/v1/users", Router.Access.SESSION, this::listUsers);
        r.add("POST", "/api/v1/users", Router.Access.SESSION, this::createUser);
        r.add("PATCH", "/api/v1/users/{id}", Router.Access.SESSION, this::patchUser);
        r.add("GET", "/api/v1/groups", Router.Access.SESSION, this::listGroups);
        r.add("POST", "/api/v1/groups", Router.Access.SESSION, this::createGroup);
        r.add("POST", "/api/v1/groups/{name}/members", Router.Access.SESSION, this::addGroupMember);
        r.add("GET", "/api/v1/roles", Router.Access.SESSION, this::listRoles);
        r.add("GET", "/api/v1/collections", Router.Access.SESSION, this::listCollections);
        r.add("POST", "/api/v1/collections", Router.Access.SESSION, this::createCollection);
        r.add("GET", "/api/v1/assets", Router.Access.SESSION, this::listAssets);
        r.add("POST", "/api/v1/assets", Router.Access.SESSION, this::upload);
        r.add("GET", "/api/v1/assets/{id}", Router.Access.SESSION, this::getAsset);
        r.add("PATCH", "/api/v1/assets/{id}", Router.Access.SESSION, this::patchAsset);
        r.add("DELETE", "/api/v1/assets/{id}", Router.Access.SESSION, this::deleteAsset);
        r.add("GET", "/api/v1/assets/{id}/shares", Router.Access.SESSION, this::listShares);
        r.add("POST", "/api/v1/assets/{id}/shares", Router.Access.SESSION, this::createShare);
        r.add("DELETE", "/api/v1/assets/{id}/shares/{shareId}", Router.Access.SESSION, this::deleteShare);
        r.add("POST", "/api/v1/assets/{id}/download-links", Router.Access.SESSION, this::downloadLink);
        r.add("POST", "/api/v1/assets/{id}/playback", Router.Access.SESSION, this::playback);
        r.add("GET", "/api/v1/downloads/{id}", Router.Access.PUBLIC, this::download);
        r.add("GET", "/api/v1/hls/{id}/master.m3u8", Router.Access.PUBLIC, this::master);
        r.add("GET", "/api/v1/hls/{id}/keys/{keyId}", Router.Access.PUBLIC, false, false, this::key);
        r.add("GET", "/api/v1/hls/{id}/{rendition}/index.m3u8", Router.Access.PUBLIC, this::mediaPlaylist);
        r.add("GET", "/api/v1/hls/{id}/{rendition}/{segment}", Router.Access.PUBLIC, this::segment);
        r.add("POST", "/api/v1/admin/secrets/{name}/rotate", Router.Access.SESSION, this::rotateSecret);
        return r;
    }

    // ------------------------------------------------------------------ health

    private void ready(Exchange ex) {
        Map<String, Object> checks = health.check();
        boolean up = checks.values().stream().allMatch("UP"::equals);
        ex.sendJson(up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "checks", checks));
    }

    // ------------------------------------------------------------------ auth

    private void login(Exchange ex) {
        JsonNode b = ex.json();
        String username = Json.text(b, "username", 64, true);
        String password = Json.text(b, "password", 1024, true);
        String ip = ex.clientAddress().getHostAddress();
        LoginThrottle.Admission admitted = admit(ex, username, ip);
        Optional<Users.Account> acc = Users.USERNAME.matcher(username).matches() ? users.byUsername(username) : Optional.empty();
        char[] pw = password.toCharArray();
        Verification v = null;
        try {
            v = acc.isPresent() && !acc.get().user().disabled()
                    ? hasher.get().verify(pw, acc.get().passwordHash())
                    : hasher.get().verifyUnknownUser(pw);
        } catch (HasherBusyException e) {
            throttle.release(admitted);
            ex.header("Retry-After", "2");
            throw new ApiException(503, "busy", "the server is busy; try again");
        } catch (PasswordException e) {
            v = null;
        }
        if (v == null || !v.matched()) {
            throw new ApiException(401, "invalid_credentials", "wrong user name or password");
        }
        throttle.success(admitted);
        Users.Account a = acc.get();
        v.replacement().ifPresent(d -> users.replaceDigest(a.user().id(), a.passwordHash(), d));
        Sessions.Created s = sessions.create(a.user());
        ex.addHeader("Set-Cookie", Sessions.COOKIE + "=" + s.cookieValue() + "; Path=/; Max-Age=" + sessions.ttl().toSeconds()
                + "; HttpOnly; Secure; SameSite=Strict");
        ObjectNode o = Json.object();
        o.set("user", a.user().toJson());
        o.put("csrfToken", s.session().csrfToken());
        ex.sendJson(200, o);
    }

    /** Counts a password attempt before it is checked, or answers 429 when this user name or address must wait. */
    private LoginThrottle.Admission admit(Exchange ex, String username, String ip) {
        LoginThrottle.Admission admitted = throttle.admit(username, ip);
        long wait = admitted.retryAfterSeconds();
        if (wait > 0) {
            ex.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "rate_limited", "too many wrong passwords; try again later",
                    Map.of("retryAfterSeconds", wait));
        }
        return admitted;
    }

    private void logout(Exchange ex) {
        sessions.delete(ex.requireSession().key());
        ex.addHeader("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
        ex.sendEmpty(204);
    }

    private void me(Exchange ex) {
        Session s = ex.requireSession();
        ObjectNode o = Json.object();
        o.set("user", s.user().toJson());
        o.put("csrfToken", s.csrfToken());
        ex.sendJson(200, o);
    }

    private void changePassword(Exchange ex) {
        Session s = ex.requireSession();
        JsonNode b = ex.json();
        String current = Json.text(b, "currentPassword", 1024, true);
        String next = Json.text(b, "newPassword", 1024, true);
        Users.checkPassword(next.toCharArray());
        if (next.equals(current)) {
            throw ApiException.validation("newPassword", "the new password must differ from the current one");
        }
        Users.Account a = users.byUsername(s.user().username()).orElseThrow(ApiException::unauthenticated);
        // a session is not a licence to guess the password: the same limits as a login
        String ip = ex.clientAddress().getHostAddress();
        LoginThrottle.Admission admitted = admit(ex, a.user().username(), ip);
        Verification v;
        try {
            v = hasher.get().verify(current.toCharArray(), a.passwordHash());
        } catch (HasherBusyException e) {
            throttle.release(admitted);
            ex.header("Retry-After", "2");
            throw new ApiException(503, "busy", "the server is busy; try again");
        } catch (PasswordException e) {
            v = null;
        }
        if (v == null || !v.matched()) {
            throw new ApiException(403, "invalid_credentials", "the current password is wrong");
        }
        throttle.success(admitted);
        users.setPassword(a.user().id(), hasher.get().hash(next.toCharArray()), false);
        // other sessions end; issued links stay (they are tied to the asset rights, checked anew on every use)
        sessions.deleteOthers(a.user().id(), s.key());
        ex.sendEmpty(204);
    }

    // ------------------------------------------------------------------ admin

    private static void requireAdmin(Exchange ex) {
        if (!ex.requireSession().user().isAdmin()) {
            throw ApiException.forbidden();
        }
    }

    private void listUsers(Exchange ex) {
        requireAdmin(ex);
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        users.list().forEach(u -> items.add(u.toJson()));
        ex.sendJson(200, o);
    }

    private static List<String> strings(JsonNode b, String field, boolean required) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.validation(field, field + " is required");
            }
            return null;
        }
        if (!n.isArray() || n.size() > 50) {
            throw ApiException.validation(field, field + " must be an array of at most 50 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.textValue().length() > 64) {
                throw ApiException.validation(field, field + " must be an array of strings");
            }
            if (!out.contains(e.textValue())) {
                out.add(e.textValue());
            }
        }
        return out;
    }

    private void createUser(Exchange ex) {
        requireAdmin(ex);
        JsonNode b = ex.json();
        String username = Json.text(b, "username", 64, true);
        String display = Optional.ofNullable(Json.text(b, "displayName", 200, false)).orElse(username);
        String password = Json.text(b, "password", 1024, true);
        List<String> roles = Optional.ofNullable(strings(b, "roles", false)).orElse(List.of("viewer"));
        List<String> groups = Optional.ofNullable(strings(b, "groups", false)).orElse(List.of());
        User u = users.create(username, display, password.toCharArray(), roles, groups, false);
        ex.sendJson(201, u.toJson());
    }

    private void patchUser(Exchange ex) {
        requireAdmin(ex);
        String id = ex.pathParam("id");
        if (!USER_ID.matcher(id).matches()) {
            throw ApiException.notFound();
        }
        JsonNode b = ex.json();
        Boolean disabled = null;
        if (b.has("disabled")) {
            if (!b.get("disabled").isBoolean()) {
                throw ApiException.validation("disabled", "disabled must be true or false");
            }
            disabled = b.get("disabled").booleanValue();
            if (disabled && id.equals(ex.requireSession().user().id())) {
                throw ApiException.validation("disabled", "you cannot disable yourself");
            }
        }
        User u = users.update(id, Json.text(b, "displayName", 200, false), strings(b, "roles", false), strings(b, "groups", false),
                disabled);
        if (Boolean.TRUE.equals(disabled)) {
            tokens.revokeSubject(id);
        }
        ex.sendJson(200, u.toJson());
    }

    private void listGroups(Exchange ex) {
        requireAdmin(ex);
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        for (Users.Group g : users.groups()) {
            ObjectNode n = items.addObject();
            n.put("name", g.name());
            ArrayNode m = n.putArray("members");
            g.members().forEach(m::add);
        }
        ex.sendJson(200, o);
    }

    private void createGroup(Exchange ex) {
        requireAdmin(ex);
        String name = Json.text(ex.json(), "name", 64, true);
        users.createGroup(name);
        ex.sendJson(201, Map.of("name", name, "members", List.of()));
    }

    private void addGroupMember(Exchange ex) {
        requireAdmin(ex);
        String name = ex.pathParam("name");
        Users.checkGroup(name);
        users.addMember(name, Json.text(ex.json(), "username", 64, true));
        ex.sendEmpty(204);
    }

    private void listRoles(Exchange ex) {
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        for (String r : Acl.ROLES) {
            ObjectNode n = items.addObject();
            n.put("name", r);
            ArrayNode p = n.putArray("permissions");
            Acl.ROLE_PERMISSIONS.get(r).forEach(a -> p.add("asset:" + a));
            ArrayNode inc = n.putArray("includes");
            Acl.ROLE_INCLUDES.get(r).forEach(inc::add);
        }
        ex.sendJson(200, o);
    }

    private void rotateSecret(Exchange ex) throws IOException {
        requireAdmin(ex);
        Map<String, Object> result = health.rotate(ex.pathParam("name"));
        ex.sendJson(200, result);
    }

    // ------------------------------------------------------------------ collections

    private void listCollections(Exchange ex) {
        String uid = ex.requireSession().user().id();
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        assets.collections(acl.filter(uid, Acl.COLLECTION, "view", "c.id")).forEach(c -> items.add(c.toJson()));
        ex.sendJson(200, o);
    }

    private static boolean mayCreate(User u) {
        return u.hasRole("editor") || u.hasRole("admin");
    }

    private void createCollection(Exchange ex) {
        User u = ex.requireSession().user();
        JsonNode b = ex.json();
        String name = Json.text(b, "name", 200, true);
        if (name.isBlank()) {
            throw ApiException.validation("name", "name must not be blank");
        }
        String parent = Json.text(b, "parentId", 40, false);
        if (parent != null) {
            if (!COLLECTION_ID.matcher(parent).matches() || assets.collection(parent).isEmpty()) {
                throw ApiException.validation("parentId", "no such collection");
            }
            acl.require(u.id(), "upload", Acl.COLLECTION, parent);
        } else if (!mayCreate(u)) {
            throw ApiException.forbidden();
        }
        Assets.Collection c = new Assets.Collection(Db.newId("c_"), name, parent, u.id());
        acl.putObject(Acl.COLLECTION, c.id(), Acl.COLLECTION, parent, u.id());
        assets.insertCollection(c, clock.millis());
        ex.sendJson(201, c.toJson());
    }

    // ------------------------------------------------------------------ assets

    private Assets.Asset visibleAsset(Exchange ex, String action) {
        String id = ex.pathParam("id");
        if (!ASSET_ID.matcher(id).matches()) {
            throw ApiException.notFound();
        }
        String uid = ex.requireSession().user().id();
        acl.require(uid, action, Acl.ASSET, id);
        return assets.find(id).orElseThrow(ApiException::notFound);
    }

    private void listAssets(Exchange ex) {
        String uid = ex.requireSession().user().id();
        String q = ex.query("q");
        if (q != null && q.length() > 200) {
            throw ApiException.validation("q", "q has at most 200 characters");
        }
        String collectionId = ex.query("collectionId");
        if (collectionId != null && !COLLECTION_ID.matcher(collectionId).matches()) {
            throw ApiException.validation("collectionId", "malformed collection id");
        }
        String kind = ex.query("kind");
        if (kind != null && !kind.equals("video") && !kind.equals("file")) {
            throw ApiException.validation("kind", "kind is video or file");
        }
        int limit = 50;
        String l = ex.query("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ApiException.validation("limit", "limit is 1..100");
            }
        }
        Assets.Page page = assets.list(acl.filter(uid, Acl.ASSET, "view", "a.id"), q, collectionId, kind, limit, ex.query("cursor"));
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        page.items().forEach(a -> items.add(Assets.toJson(a, acl.assetPermissions(uid, a.id()))));
        o.put("nextCursor", page.nextCursor());
        ex.sendJson(200, o);
    }

    private void getAsset(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "view");
        ex.sendJson(200, Assets.toJson(a, acl.assetPermissions(ex.requireSession().user().id(), a.id())));
    }

    private void patchAsset(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "edit");
        JsonNode b = ex.json();
        String title = Json.text(b, "title", 500, false);
        if (title != null && title.isBlank()) {
            throw ApiException.validation("title", "title must not be blank");
        }
        assets.updateText(a.id(), title, Json.text(b, "description", 5000, false));
        ex.sendJson(200, Assets.toJson(assets.find(a.id()).orElseThrow(), acl.assetPermissions(ex.requireSession().user().id(), a.id())));
    }

    private void deleteAsset(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "delete");
        for (String[] s : shares(a.id())) {
            acl.unshare(s[0]);
        }
        acl.removeObject(Acl.ASSET, a.id());
        assets.delete(a.id());
        blobs.delete(BlobKey.of(a.blobKey()));
        // a worker still transcoding it finds the asset gone and removes what it wrote after this
        video.removeOutput(a.id());
        ex.sendEmpty(204);
    }

    /** Upload: text fields first, then the file part, streamed into the blob store with a size limit. */
    private void upload(Exchange ex) throws IOException {
        User u = ex.requireSession().user();
        long max = config.uploadMaxBytes();
        if (ex.contentLength() > max + 64 * 1024) {
            throw new ApiException(413, "too_large", "the upload exceeds " + max + " bytes");
        }
        MultipartReader mp;
        try {
            mp = new MultipartReader(ex.body(), ex.contentType());
        } catch (MultipartReader.MalformedException e) {
            throw ApiException.validation("body", "send multipart/form-data");
        }
        String title = null;
        String description = "";
        String collectionId = null;
        try {
            MultipartReader.Part p;
            while ((p = mp.next()) != null) {
                switch (p.name()) {
                    case "title" -> title = field(p, "title", 500);
                    case "description" -> description = field(p, "description", 5000);
                    case "collectionId" -> collectionId = field(p, "collectionId", 40);
                    case "file" -> {
                        ex.sendJson(201, storeUpload(u, p, title, description, collectionId, max));
                        return;
                    }
                    default -> throw ApiException.validation(p.name(), "unexpected part " + printable(p.name()));
                }
            }
        } catch (MultipartReader.MalformedException e) {
            throw ApiException.validation("body", "malformed multipart body");
        }
        throw ApiException.validation("file", "the file part is required (last)");
    }

    private static String printable(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "?");
    }

    private static String field(MultipartReader.Part p, String name, int max) throws IOException {
        byte[] b = p.body().readNBytes(max * 4 + 1);
        if (b.length > max * 4) {
            throw ApiException.validation(name, name + " is too long");
        }
        String s = new String(b, StandardCharsets.UTF_8);
        ObjectNode tmp = Json.object();
        tmp.put(name, s);
        return Json.text(tmp, name, max, false);
    }

    private ObjectNode storeUpload(User u, MultipartReader.Part p, String title, String description, String collectionId, long max) {
        if (collectionId != null && !collectionId.isEmpty()) {
            if (!COLLECTION_ID.matcher(collectionId).matches() || assets.collection(collectionId).isEmpty()) {
                throw ApiException.validation("collectionId", "no such collection");
            }
            acl.require(u.id(), "upload", Acl.COLLECTION, collectionId);
        } else {
            collectionId = null;
            if (!mayCreate(u)) {
                throw ApiException.forbidden();
            }
        }
        String fileName = p.filename() == null || p.filename().isBlank() ? "upload" : p.filename();
        fileName = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        // it may become the title and is sent back in Content-Disposition: the same rules as typed text
        Json.checkText("filename", fileName);
        if (fileName.length() > 255) {
            fileName = fileName.substring(0, Character.isHighSurrogate(fileName.charAt(254)) ? 254 : 255);
        }
        if (title == null || title.isBlank()) {
            title = fileName;
        }
        String type = p.contentType() == null ? "application/octet-stream" : p.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPE.matcher(type).matches()) {
            type = "application/octet-stream";
        }
        String id = Db.newId("a_");
        BlobKey key = BlobKey.of("assets/" + id + "/original");
        BlobInfo info;
        java.io.PushbackInputStream body = new java.io.PushbackInputStream(p.body(), VideoSniffer.PEEK);
        if (!type.startsWith("video/")) {
            try {
                byte[] head = body.readNBytes(VideoSniffer.PEEK);
                body.unread(head);
                String sniffed = VideoSniffer.sniff(head, head.length);
                if (sniffed != null && type.equals("application/octet-stream")) {
                    type = sniffed;
                }
            } catch (IOException e) {
                throw ApiException.validation("file", "the upload was cut short");
            }
        }
        LimitedInputStream in = new LimitedInputStream(body, max);
        try {
            info = blobs.put(key, in, PutOptions.builder().contentType(type).build());
        } catch (BlobStoreException e) {
            blobs.delete(key);
            if (in.exceeded) {
                throw new ApiException(413, "too_large", "the upload exceeds " + max + " bytes");
            }
            throw e;
        }
        if (in.exceeded) {
            blobs.delete(key);
            throw new ApiException(413, "too_large", "the upload exceeds " + max + " bytes");
        }
        boolean isVideo = type.startsWith("video/");
        Assets.Asset a = new Assets.Asset(id, title, description, collectionId, u.id(), type, fileName, info.size(),
                info.sha256().orElse(""), key.value(), clock.millis(), isVideo ? "video" : "file", isVideo ? "queued" : null,
                isVideo ? 0.0 : null, null);
        acl.putObject(Acl.ASSET, id, Acl.COLLECTION, collectionId, u.id());
        assets.insert(a);
        if (isVideo) {
            video.wake();
        }
        return Assets.toJson(a, acl.assetPermissions(u.id(), id));
    }

    /** Counts bytes and fails the read once more than {@code max} arrive. */
    static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private long count;
        boolean exceeded;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0 && ++count > max) {
                exceeded = true;
                throw new IOException("upload too large");
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    exceeded = true;
                    throw new IOException("upload too large");
                }
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ shares

    private List<String[]> shares(String assetId) {
        return assets.db().query("SELECT id, principal_type, principal, share_role, not_after FROM ms_share WHERE asset_id = ? "
                        + "ORDER BY created_at, id",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5) == null ? null : Instant.ofEpochMilli(rs.getLong(5)).toString()}, assetId);
    }

    private static ObjectNode shareJson(String[] s) {
        ObjectNode o = Json.object();
        o.put("id", s[0]);
        o.put("principalType", s[1]);
        o.put("principal", s[2]);
        o.put("role", s[3]);
        o.put("notAfter", s[4]);
        return o;
    }

    private void listShares(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "share");
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("items");
        shares(a.id()).forEach(s -> items.add(shareJson(s)));
        ex.sendJson(200, o);
    }

    private void createShare(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "share");
        JsonNode b = ex.json();
        String type = Json.text(b, "principalType", 10, true);
        String name = Json.text(b, "principal", 200, true);
        String role = Json.text(b, "role", 20, true);
        if (!role.equals("viewer") && !role.equals("editor")) {
            throw ApiException.validation("role", "role is viewer or editor");
        }
        String notAfterText = Json.text(b, "notAfter", 40, false);
        Instant notAfter = null;
        if (notAfterText != null) {
            try {
                notAfter = Instant.parse(notAfterText);
            } catch (DateTimeParseException e) {
                throw ApiException.validation("notAfter", "notAfter is an ISO-8601 instant");
            }
            if (!notAfter.isAfter(clock.instant())) {
                throw ApiException.validation("notAfter", "notAfter is in the past");
            }
        }
        User me = ex.requireSession().user();
        // a share never outlasts its author's own right to share (a recipient cannot extend a time-limited share)
        Optional<Instant> ownEnd = acl.shareRightEnds(me.id(), a.id());
        if (ownEnd.isPresent() && (notAfter == null || notAfter.isAfter(ownEnd.get()))) {
            notAfter = ownEnd.get();
        }
        Principal to;
        String stored;
        switch (type) {
            case "user" -> {
                User target = users.byUsername(name).map(Users.Account::user)
                        .orElseThrow(() -> ApiException.validation("principal", "no such user"));
                if (target.id().equals(me.id())) {
                    throw ApiException.validation("principal", "you cannot share with yourself");
                }
                to = Principal.user(target.id());
                stored = target.username();
            }
            case "group" -> {
                if (!Users.GROUP.matcher(name).matches() || !users.groupExists(name)) {
                    throw ApiException.validation("principal", "no such group");
                }
                to = Principal.group(name);
                stored = name;
            }
            case "role" -> {
                if (!Acl.ROLES.contains(name)) {
                    throw ApiException.validation("principal", "no such role");
                }
                to = Principal.role(name);
                stored = name;
            }
            default -> throw ApiException.validation("principalType", "principalType is user, group or role");
        }
        String id = Db.newId("s_");
        acl.shareAsset(id, a.id(), to, role, notAfter);
        assets.db().update("INSERT INTO ms_share (id, asset_id, principal_type, principal, share_role, not_after, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, a.id(), type, stored, role, notAfter == null ? null : notAfter.toEpochMilli(), clock.millis());
        ex.sendJson(201, shareJson(new String[] {id, type, stored, role, notAfter == null ? null : notAfter.toString()}));
    }

    private void deleteShare(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "share");
        String shareId = ex.pathParam("shareId");
        int n = assets.db().update("DELETE FROM ms_share WHERE id = ? AND asset_id = ?", shareId, a.id());
        if (n == 0) {
            throw ApiException.notFound();
        }
        acl.unshare(shareId);
        ex.sendEmpty(204);
    }

    // ------------------------------------------------------------------ downloads

    private void downloadLink(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "download");
        JsonNode b = ex.json();
        boolean single = false;
        if (b.has("singleUse")) {
            if (!b.get("singleUse").isBoolean()) {
                throw ApiException.validation("singleUse", "singleUse is true or false");
            }
            single = b.get("singleUse").booleanValue();
        }
        long ttl = 300;
        if (b.has("ttlSeconds")) {
            JsonNode t = b.get("ttlSeconds");
            if (!t.canConvertToLong() || !t.isIntegralNumber()) {
                throw ApiException.validation("ttlSeconds", "ttlSeconds is a whole number");
            }
            ttl = t.longValue();
        }
        long maxTtl = Math.min(86400, config.downloadMaxTtl().toSeconds());
        if (ttl < 60 || ttl > maxTtl) {
            throw ApiException.validation("ttlSeconds", "ttlSeconds is 60.." + maxTtl);
        }
        IssuedToken t = tokens.issue(TokenSpec.builder().subject(ex.requireSession().user().id())
                .resource(Resource.exact("download/" + a.id())).actions("download")
                .lifetime(Duration.ofSeconds(ttl)).maxUses(single ? 1 : 0).build());
        ObjectNode o = Json.object();
        o.put("url", apiBase.get() + "/api/v1/downloads/" + a.id() + "?token=" + t.token());
        o.put("expiresAt", t.grant().expiresAt().toString());
        o.put("singleUse", single);
        ex.sendJson(201, o);
    }

    private static ApiException tokenRefused(TokenRejectedException e) {
        int status = switch (e.reason()) {
            case MALFORMED, BAD_SIGNATURE, UNKNOWN_KEY, EXPIRED, NOT_YET_VALID -> 401;
            default -> 403;
        };
        return new ApiException(status, "token_invalid", "the link is not valid", Map.of("reason", e.reason().name()));
    }

    /**
     * A view token copied to another signed-in user stops working: when the request carries a live session of a
     * user other than the token's subject, it is refused (hls.js may omit cookies; then the token alone decides).
     */
    private Grant verifyView(Exchange ex, String token, String resource, String assetId) {
        Grant g = verify(token, resource, "stream", assetId);
        String cookie = ex.cookie(Sessions.COOKIE);
        if (cookie != null) {
            Optional<Session> s = sessions.find(cookie);
            if (s.isPresent() && !s.get().user().id().equals(g.subject())) {
                throw new ApiException(403, "token_invalid", "the link is not valid", Map.of("reason", "OTHER_USER"));
            }
        }
        return g;
    }

    private Grant verify(String token, String resource, String action, String assetId) {
        if (token == null) {
            throw new ApiException(401, "token_invalid", "the link is not valid", Map.of("reason", "MISSING"));
        }
        Grant g;
        try {
            g = tokens.verify(token, AccessRequest.of(resource, action));
        } catch (TokenRejectedException e) {
            throw tokenRefused(e);
        }
        // the holder's rights are checked anew: a withdrawn share or a disabled user ends the link
        if (!acl.allowed(g.subject(), action, Acl.ASSET, assetId) || users.byId(g.subject()).map(User::disabled).orElse(true)) {
            throw new ApiException(403, "token_invalid", "the link is not valid", Map.of("reason", "ACCESS_WITHDRAWN"));
        }
        return g;
    }

    private static String assetIdParam(Exchange ex) {
        String id = ex.pathParam("id");
        if (!ASSET_ID.matcher(id).matches()) {
            throw ApiException.notFound();
        }
        return id;
    }

    private void download(Exchange ex) throws IOException {
        String id = assetIdParam(ex);
        verify(ex.query("token"), "download/" + id, "download", id);
        Assets.Asset a = assets.find(id).orElseThrow(ApiException::notFound);
        ex.header("Cache-Control", "no-store");
        ex.header("Content-Disposition", "attachment; filename*=UTF-8''" + rfc5987(a.fileName()));
        try (InputStream in = blobs.get(BlobKey.of(a.blobKey()))) {
            ex.sendStream(200, a.contentType(), a.size(), in);
        }
    }

    static String rfc5987(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ video

    private void playback(Exchange ex) {
        Assets.Asset a = visibleAsset(ex, "stream");
        if (!a.isVideo() || !"ready".equals(a.videoState())) {
            throw new ApiException(409, "conflict", "the video is not ready");
        }
        IssuedToken t = tokens.issue(TokenSpec.builder().subject(ex.requireSession().user().id())
                .resource(Resource.prefix("hls/" + a.id() + "/")).actions("stream")
                .lifetime(config.tokenTtlForPlayback()).build());
        ObjectNode o = Json.object();
        o.put("masterPlaylistUrl", apiBase.get() + "/api/v1/hls/" + a.id() + "/master.m3u8?token=" + t.token());
        o.put("expiresAt", t.grant().expiresAt().toString());
        ex.sendJson(201, o);
    }

    private String readText(String key) {
        try (InputStream in = blobs.get(BlobKey.of(key))) {
            return new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8);
        } catch (BlobStoreException e) {
            if (e.reason() == BlobStoreException.Reason.NOT_FOUND) {
                throw ApiException.notFound();
            }
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void master(Exchange ex) {
        String id = assetIdParam(ex);
        String token = ex.query("token");
        verifyView(ex, token, "hls/" + id + "/master.m3u8", id);
        MasterPlaylist m = MasterPlaylist.parse(readText("hls/" + id + "/master.m3u8"));
        MasterPlaylist p = PlaylistPersonalizer.keysAndSegments().personalize(m, uri -> token);
        ex.header("Cache-Control", "private, no-store");
        ex.sendBytes(200, "application/vnd.apple.mpegurl", p.render().getBytes(StandardCharsets.UTF_8));
    }

    private void mediaPlaylist(Exchange ex) {
        String id = assetIdParam(ex);
        String rendition = ex.pathParam("rendition");
        if (!RENDITION.matcher(rendition).matches()) {
            throw ApiException.notFound();
        }
        String token = ex.query("token");
        verifyView(ex, token, "hls/" + id + "/" + rendition + "/index.m3u8", id);
        MediaPlaylist m = MediaPlaylist.parse(readText("hls/" + id + "/" + rendition + "/index.m3u8"));
        String keyBase = apiBase.get() + "/api/v1/hls/" + id + "/keys/";
        List<MediaPlaylist.Segment> segs = new ArrayList<>();
        for (MediaPlaylist.Segment s : m.segments()) {
            MediaPlaylist.Key k = s.key();
            if (k != null) {
                String keyId = k.uri().substring(k.uri().lastIndexOf('/') + 1);
                k = new MediaPlaylist.Key(keyBase + keyId, k.ivHex());
            }
            segs.add(new MediaPlaylist.Segment(s.duration(), s.uri(), k));
        }
        MediaPlaylist abs = new MediaPlaylist(m.version(), m.targetDuration(), m.mediaSequence(), m.playlistType(), segs, m.endList());
        MediaPlaylist p = PlaylistPersonalizer.keysAndSegments().personalize(abs, uri -> token);
        ex.header("Cache-Control", "private, no-store");
        ex.sendBytes(200, "application/vnd.apple.mpegurl", p.render().getBytes(StandardCharsets.UTF_8));
    }

    private void segment(Exchange ex) throws IOException {
        String id = assetIdParam(ex);
        String rendition = ex.pathParam("rendition");
        String segment = ex.pathParam("segment");
        if (!RENDITION.matcher(rendition).matches() || !SEGMENT.matcher(segment).matches()) {
            throw ApiException.notFound();
        }
        String path = "hls/" + id + "/" + rendition + "/" + segment;
        verifyView(ex, ex.query("token"), path, id);
        Optional<BlobInfo> info = blobs.stat(BlobKey.of(path));
        if (info.isEmpty()) {
            throw ApiException.notFound();
        }
        ex.header("Cache-Control", "private, no-store");
        try (InputStream in = blobs.get(BlobKey.of(path))) {
            ex.sendStream(200, "video/mp2t", info.get().size(), in);
        }
    }

    private void key(Exchange ex) {
        String id = ex.pathParam("id");
        String keyId = ex.pathParam("keyId");
        String token = ex.query("token");
        KeyDelivery.Builder b = KeyDelivery.builder().keyStore(contentKeys.forAsset(ASSET_ID.matcher(id).matches() ? id : "none"))
                .authorizer(req -> authorizeKey(ex, req, id));
        allowedOrigins.get().forEach(b::allowOrigin);
        KeyResponse r = b.build().handle(new KeyRequest(keyId, token, ex.origin()));
        r.headers().forEach(ex::header);
        byte[] body = r.body();
        ex.sendBytes(r.status(), "application/octet-stream", body);
    }

    private KeyAuthorizer.Decision authorizeKey(Exchange ex, KeyRequest req, String assetId) {
        if (req.token() == null || !ASSET_ID.matcher(assetId).matches()) {
            return KeyAuthorizer.Decision.UNAUTHENTICATED;
        }
        try {
            verifyView(ex, req.token(), "hls/" + assetId + "/keys/" + req.keyId(), assetId);
            return KeyAuthorizer.Decision.ALLOW;
        } catch (ApiException e) {
            return e.status() == 401 ? KeyAuthorizer.Decision.UNAUTHENTICATED : KeyAuthorizer.Decision.FORBIDDEN;
        }
    }

    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
