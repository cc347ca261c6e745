package io.mediastore.hls;

import java.util.Objects;

/**
 * A player's request for one content key: the key id from the URI, the view token it carried (query
 * parameter or {@code Authorization: Bearer}; null when none), and the page's {@code Origin} (null when
 * same-origin). {@code toString} hides the token.
 */
public record KeyRequest(String keyId, String token, String origin) {
  public KeyRequest {
    Objects.requireNonNull(keyId, "keyId");
  }

  @Override
  public String toString() {
    return "KeyRequest[keyId=" + keyId + ", token=" + (token == null ? "none" : "present") + ", origin=" + origin + "]";
  }
}
