package io.mediastore.samples.server.internal;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Decision;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.Model;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import io.mediastore.acl.Role;
import io.mediastore.acl.SqlFilter;
import io.mediastore.acl.spi.JdbcPolicyStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deployment's access model on mediastore-acl: models {@code Collection} and {@code Asset} (an asset's parent
 * is its collection, a collection's parent its parent collection), roles viewer, editor and admin, owners may do
 * everything on what they own, and members of the global role admin may do everything everywhere.
 * The policy lives in the shared database ({@link JdbcPolicyStore}); {@link #poll()} picks up other nodes' changes.
 */
public final class Acl {
    public static final String ASSET = "Asset";
    public static final String COLLECTION = "Collection";
    public static final List<String> ASSET_ACTIONS = List.of("view", "download", "stream", "edit", "share", "delete");
    public static final List<String> ROLES = List.of("viewer", "editor", "admin");
    public static final Map<String, List<String>> ROLE_PERMISSIONS = Map.of(
            "viewer", List.of("view", "download", "stream"),
            "editor", List.of("edit", "share", "upload"),
            "admin", List.of("delete"));
    public static final Map<String, List<String>> ROLE_INCLUDES = Map.of(
            "viewer", List.of(), "editor", List.of("viewer"), "admin", List.of("editor"));

    private final AccessControl acl;
    private final JdbcPolicyStore store;

    public Acl(JdbcPolicyStore store, Clock clock) {
        this.store = store;
        AccessControl.Builder b = AccessControl.builder().store(store).clock(clock)
                .model(Model.builder(COLLECTION).actions("view", "download", "stream", "edit", "share", "upload", "delete")
                        .implies("edit", "view").implies("download", "view").implies("stream", "view")
                        .implies("share", "view").implies("upload", "view").implies("delete", "view")
                        .parent(COLLECTION).ownerMay("view", "download", "stream", "edit", "share", "upload", "delete").build())
                .model(Model.builder(ASSET).actions("view", "download", "stream", "edit", "share", "delete")
                        .implies("edit", "view").implies("download", "view").implies("stream", "view")
                        .implies("share", "view").implies("delete", "view")
                        .parent(COLLECTION).ownerMay("view", "download", "stream", "edit", "share", "delete").build())
                .role(Role.builder("viewer").permit(COLLECTION, "view", "download", "stream")
                        .permit(ASSET, "view", "download", "stream").build())
                .role(Role.builder("editor").inherits("viewer").permit(COLLECTION, "edit", "share", "upload")
                        .permit(ASSET, "edit", "share").build())
                .role(Role.builder("admin").inherits("editor").permit(COLLECTION, "delete").permit(ASSET, "delete").build());
        this.acl = b.build();
        // admins (members of role:admin) hold the admin role on every object of both models
        acl.grant(Grant.allow().id("global-admin-assets").to(Principal.role("admin")).role("admin").onModel(ASSET).build());
        acl.grant(Grant.allow().id("global-admin-collections").to(Principal.role("admin")).role("admin").onModel(COLLECTION).build());
    }

    /** Picks up changes other nodes wrote to the shared store. */
    public void poll() {
        store.pollForChanges();
    }

    public AccessControl accessControl() {
        return acl;
    }

    public boolean allowed(String userId, String action, String model, String id) {
        return acl.isAllowed(Principal.user(userId), action, ObjectRef.of(model, id));
    }

    public void require(String userId, String action, String model, String id) {
        if (!allowed(userId, action, model, id)) {
            // the caller must not learn whether an object it cannot even view exists
            if (!action.equals("view") && allowed(userId, "view", model, id)) {
                throw ApiException.forbidden();
            }
            throw ApiException.notFound();
        }
    }

    /**
     * When the user's own right to share the asset ends: empty for an owner or a grant without an end. When several
     * grants allow it, the one the check names counts, so the answer may be earlier than necessary, never later.
     */
    public Optional<Instant> shareRightEnds(String userId, String assetId) {
        Decision d = acl.check(Principal.user(userId), "share", ObjectRef.of(ASSET, assetId));
        return d.reason() == Decision.Reason.ALLOWED_BY_GRANT ? d.grant().flatMap(Grant::notAfter) : Optional.empty();
    }

    /** The actions of {@link #ASSET_ACTIONS} the user may do on the asset. */
    public List<String> assetPermissions(String userId, String assetId) {
        List<String> out = new ArrayList<>();
        for (String a : ASSET_ACTIONS) {
            if (allowed(userId, a, ASSET, assetId)) {
                out.add(a);
            }
        }
        return out;
    }

    public SqlFilter filter(String userId, String model, String action, String column) {
        // an array parameter, not one "?" per id: an IN list would hit drivers' bind-parameter limits
        return acl.permitted(Principal.user(userId), model, action).toSqlArrayFilter(column, "varchar", id -> id);
    }

    public void putObject(String model, String id, String parentModel, String parentId, String ownerUserId) {
        ObjectNode n = ObjectNode.of(ObjectRef.of(model, id)).withOwner(Principal.user(ownerUserId));
        if (parentId != null) {
            n = n.withParent(ObjectRef.of(parentModel, parentId));
        }
        acl.putObject(n);
    }

    public void removeObject(String model, String id) {
        acl.removeObject(ObjectRef.of(model, id));
    }

    public void shareAsset(String shareId, String assetId, Principal to, String role, Instant notAfter) {
        Grant.Builder g = Grant.allow().id(shareId).to(to).role(role).on(ObjectRef.of(ASSET, assetId));
        if (notAfter != null) {
            g.notAfter(notAfter);
        }
        acl.grant(g.build());
    }

    public void unshare(String shareId) {
        acl.revoke(shareId);
    }

    public void setMembership(String userId, Principal parent, boolean member) {
        Membership m = Membership.of(Principal.user(userId), parent);
        if (member) {
            acl.addMember(m);
        } else {
            acl.removeMember(m);
        }
    }

    public static Set<String> roleNames() {
        return Set.copyOf(ROLES);
    }
}
