package io.mediastore.tokens;

import java.util.Objects;

/**
 * One request to check a token against: the resource asked for, the action, and the client.
 *
 * @param resource the exact resource id or path being accessed
 * @param action   the action, for example {@code download} or {@code stream}
 * @param client   what is known about the client
 */
public record AccessRequest(String resource, String action, ClientContext client) {
    public AccessRequest {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(client, "client");
    }

    public static AccessRequest of(String resource, String action) {
        return new AccessRequest(resource, action, ClientContext.none());
    }

    public AccessRequest from(ClientContext newClient) {
        return new AccessRequest(resource, action, newClient);
    }
}
