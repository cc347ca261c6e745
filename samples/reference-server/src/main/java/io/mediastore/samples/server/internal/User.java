package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A user account as the API shows it (no digest). */
public record User(String id, String username, String displayName, List<String> roles, List<String> groups,
                   boolean mustChangePassword, boolean disabled) {
    public User {
        roles = List.copyOf(roles);
        groups = List.copyOf(groups);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("username", username);
        o.put("displayName", displayName);
        ArrayNode r = o.putArray("roles");
        roles.forEach(r::add);
        ArrayNode g = o.putArray("groups");
        groups.forEach(g::add);
        o.put("mustChangePassword", mustChangePassword);
        o.put("disabled", disabled);
        return o;
    }
}
