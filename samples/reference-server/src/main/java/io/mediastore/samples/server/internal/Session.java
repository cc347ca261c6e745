package io.mediastore.samples.server.internal;

/** A signed-in session: its row key (SHA-256 of the cookie value), the user, and the CSRF token. */
public record Session(String key, User user, String csrfToken) {
    @Override
    public String toString() {
        return "Session[user=" + user.username() + "]";
    }
}
