package io.mediastore.hls;

import java.util.Map;

/**
 * What to send back for a key request: status, headers and body. The body is exactly the 16 key bytes
 * on 200 and empty otherwise. {@code toString} never shows the body.
 */
public record KeyResponse(int status, Map<String, String> headers, byte[] body) {
  public KeyResponse {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "KeyResponse[status=" + status + ", bodyLength=" + body.length + "]";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
