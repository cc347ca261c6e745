package io.mediastore.hls;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rewrites a playlist for one view: every key URI (and optionally every segment or variant URI) gets
 * a fresh token from the caller's {@link TokenMinter} as a query parameter. One token is minted per
 * distinct URI within a playlist. Immutable and thread-safe.
 */
public final class PlaylistPersonalizer {

  /** Mints a short-lived token for one viewer and one URI (for example with mediastore-tokens). */
  @FunctionalInterface
  public interface TokenMinter {
    String mint(String uri);
  }

  private final String parameter;
  private final boolean segments;

  private PlaylistPersonalizer(String parameter, boolean segments) {
    this.parameter = parameter;
    this.segments = segments;
  }

  /** Rewrites key URIs only, with the query parameter {@code token}. */
  public static PlaylistPersonalizer keysOnly() {
    return new PlaylistPersonalizer("token", false);
  }

  /** Rewrites key URIs and segment (or variant) URIs. */
  public static PlaylistPersonalizer keysAndSegments() {
    return new PlaylistPersonalizer("token", true);
  }

  /** The same rewriting with another query parameter name. */
  public PlaylistPersonalizer withParameter(String name) {
    if (!name.matches("[A-Za-z0-9_.~-]{1,64}")) {
      throw new IllegalArgumentException("parameter name must be URL-safe");
    }
    return new PlaylistPersonalizer(name, segments);
  }

  public MediaPlaylist personalize(MediaPlaylist playlist, TokenMinter minter) {
    Objects.requireNonNull(minter, "minter");
    Map<String, String> cache = new HashMap<>();
    List<MediaPlaylist.Segment> out = new ArrayList<>(playlist.segments().size());
    for (MediaPlaylist.Segment s : playlist.segments()) {
      MediaPlaylist.Key k = s.key();
      if (k != null) {
        k = new MediaPlaylist.Key(cache.computeIfAbsent(k.uri(), u -> withToken(u, minter)), k.ivHex());
      }
      String uri = segments ? cache.computeIfAbsent(s.uri(), u -> withToken(u, minter)) : s.uri();
      out.add(new MediaPlaylist.Segment(s.duration(), uri, k));
    }
    return new MediaPlaylist(playlist.version(), playlist.targetDuration(), playlist.mediaSequence(),
        playlist.playlistType(), out, playlist.endList());
  }

  /** Variant URIs get a token when segment rewriting is on, so the media playlist request carries one too. */
  public MasterPlaylist personalize(MasterPlaylist playlist, TokenMinter minter) {
    if (!segments) {
      return playlist;
    }
    List<MasterPlaylist.Variant> out = new ArrayList<>();
    for (MasterPlaylist.Variant v : playlist.variants()) {
      out.add(new MasterPlaylist.Variant(v.bandwidth(), v.averageBandwidth(), v.resolution(), v.codecs(), withToken(v.uri(), minter)));
    }
    return new MasterPlaylist(playlist.version(), out);
  }

  private String withToken(String uri, TokenMinter minter) {
    String token = Objects.requireNonNull(minter.mint(uri), "minted token");
    String frag = "";
    int hash = uri.indexOf('#');
    String base = uri;
    if (hash >= 0) {
      frag = uri.substring(hash);
      base = uri.substring(0, hash);
    }
    int q = base.indexOf('?');
    StringBuilder sb = new StringBuilder(base.length() + token.length() + 16);
    if (q < 0) {
      sb.append(base).append('?');
    } else {
      // drop an earlier value of the same parameter: one view, one token
      sb.append(base, 0, q + 1);
      for (String part : base.substring(q + 1).split("&")) {
        if (!part.isEmpty() && !part.equals(parameter) && !part.startsWith(parameter + "=")) {
          sb.append(part).append('&');
        }
      }
    }
    sb.append(parameter).append('=').append(URLEncoder.encode(token, StandardCharsets.UTF_8)).append(frag);
    return sb.toString();
  }
}
