package io.mediastore.hls;

import io.mediastore.hls.internal.AttributeList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An HLS master (multivariant) playlist: one {@link Variant} per rendition. Renders and parses. */
public record MasterPlaylist(int version, List<Variant> variants) {

  public MasterPlaylist {
    if (version < 1 || version > 12) {
      throw new IllegalArgumentException("version must be 1..12");
    }
    variants = List.copyOf(variants);
  }

  /**
   * One rendition: peak {@code bandwidth} and {@code averageBandwidth} in bits per second, resolution
   * {@code WIDTHxHEIGHT} (null for audio-only), RFC 6381 {@code codecs} (null when unknown), and the URI
   * of its media playlist.
   */
  public record Variant(long bandwidth, Long averageBandwidth, String resolution, String codecs, String uri) {
    public Variant {
      if (bandwidth <= 0) {
        throw new IllegalArgumentException("bandwidth must be > 0");
      }
      if (averageBandwidth != null && averageBandwidth <= 0) {
        throw new IllegalArgumentException("averageBandwidth must be > 0");
      }
      if (resolution != null && !resolution.matches("[1-9][0-9]{0,5}x[1-9][0-9]{0,5}")) {
        throw new IllegalArgumentException("resolution is WIDTHxHEIGHT");
      }
      if (codecs != null) {
        AttributeList.checkQuotable(codecs, "codecs");
        if (codecs.isEmpty()) {
          throw new IllegalArgumentException("codecs is empty");
        }
      }
      AttributeList.checkUriLine(Objects.requireNonNull(uri, "uri"), "variant URI");
    }
  }

  public String render() {
    StringBuilder sb = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:").append(version).append('\n');
    for (Variant v : variants) {
      sb.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
      if (v.averageBandwidth() != null) {
        sb.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
      }
      if (v.resolution() != null) {
        sb.append(",RESOLUTION=").append(v.resolution());
      }
      if (v.codecs() != null) {
        sb.append(",CODECS=\"").append(v.codecs()).append('"');
      }
      sb.append('\n').append(v.uri()).append('\n');
    }
    return sb.toString();
  }

  /** Parses a master playlist; malformed input throws {@link HlsException} ({@code INVALID_PLAYLIST}). */
  public static MasterPlaylist parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] lines = AttributeList.lines(text);
    if (!lines[0].equals("#EXTM3U")) {
      throw new HlsException(HlsException.Reason.INVALID_PLAYLIST, "line 1: #EXTM3U expected");
    }
    int version = 1;
    List<Variant> out = new ArrayList<>();
    Map<String, AttributeList.Value> pending = null;
    int pendingLine = 0;
    try {
      for (int i = 1; i < lines.length; i++) {
        String l = lines[i];
        int no = i + 1;
        if (l.isEmpty()) {
          continue;
        }
        if (l.startsWith("#")) {
          if (l.startsWith("#EXT-X-VERSION:")) {
            version = AttributeList.parseInt(l.substring(15), no, "version");
          } else if (l.startsWith("#EXT-X-STREAM-INF:")) {
            if (pending != null) {
              throw bad(no, "#EXT-X-STREAM-INF without a URI");
            }
            pending = AttributeList.parse(l.substring(18), no);
            pendingLine = no;
          } else if (l.startsWith("#EXTINF") || l.startsWith("#EXT-X-TARGETDURATION")) {
            throw bad(no, "a media playlist tag in a master playlist");
          }
          continue;
        }
        if (pending == null) {
          throw bad(no, "URI without #EXT-X-STREAM-INF");
        }
        AttributeList.Value bw = pending.get("BANDWIDTH");
        if (bw == null || bw.quoted()) {
          throw bad(pendingLine, "BANDWIDTH missing");
        }
        AttributeList.Value avg = pending.get("AVERAGE-BANDWIDTH");
        AttributeList.Value res = pending.get("RESOLUTION");
        AttributeList.Value codecs = pending.get("CODECS");
        if ((avg != null && avg.quoted()) || (res != null && res.quoted()) || (codecs != null && !codecs.quoted())) {
          throw bad(pendingLine, "attribute of the wrong type");
        }
        out.add(new Variant(AttributeList.parseLong(bw.text(), pendingLine, "BANDWIDTH"),
            avg == null ? null : AttributeList.parseLong(avg.text(), pendingLine, "AVERAGE-BANDWIDTH"),
            res == null ? null : res.text(), codecs == null ? null : codecs.text(), l));
        pending = null;
      }
      if (pending != null) {
        throw bad(pendingLine, "#EXT-X-STREAM-INF without a URI");
      }
      return new MasterPlaylist(version, out);
    } catch (IllegalArgumentException e) {
      throw new HlsException(HlsException.Reason.INVALID_PLAYLIST, e.getMessage());
    }
  }

  private static HlsException bad(int no, String what) {
    return new HlsException(HlsException.Reason.INVALID_PLAYLIST, "line " + no + ": " + what);
  }
}
