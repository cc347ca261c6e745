package io.mediastore.hls;

/**
 * Decides whether a key request may have the key: supplied by the deployment, which checks the view
 * token (for example with mediastore-tokens, scoped to the asset or key id) and the viewer's rights (for
 * example with mediastore-acl). Called anew for every key request. An exception counts as a refusal.
 */
@FunctionalInterface
public interface KeyAuthorizer {
  Decision authorize(KeyRequest request);

  /** The outcome; a refusal maps to 401 (no or invalid credentials) or 403 (valid but not allowed). */
  enum Decision {
    ALLOW(200),
    UNAUTHENTICATED(401),
    FORBIDDEN(403);

    private final int status;

    Decision(int status) {
      this.status = status;
    }

    public int httpStatus() {
      return status;
    }
  }
}
