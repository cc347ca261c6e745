package io.mediastore.hls;

import io.mediastore.hls.internal.AttributeList;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HLS media playlist (RFC 8216 section 4.3): segments, their durations and the key each is
 * encrypted with. {@link #render()} and {@link #parse(String)} round-trip.
 */
public record MediaPlaylist(int version, int targetDuration, long mediaSequence, String playlistType,
    List<Segment> segments, boolean endList) {

  public MediaPlaylist {
    if (version < 1 || version > 12) {
      throw new IllegalArgumentException("version must be 1..12");
    }
    if (targetDuration < 1) {
      throw new IllegalArgumentException("targetDuration must be >= 1 second");
    }
    if (mediaSequence < 0) {
      throw new IllegalArgumentException("mediaSequence must be >= 0");
    }
    if (playlistType != null && !playlistType.equals("VOD") && !playlistType.equals("EVENT")) {
      throw new IllegalArgumentException("playlistType is VOD, EVENT or null");
    }
    segments = List.copyOf(segments);
  }

  /**
   * The encryption of the following segments: METHOD=AES-128 with its key URI and an optional
   * explicit 16-byte IV (without one, the IV is the media sequence number, RFC 8216 5.2).
   */
  public record Key(String uri, String ivHex) {
    public Key {
      AttributeList.checkQuotable(Objects.requireNonNull(uri, "uri"), "key URI");
      if (uri.isEmpty()) {
        throw new IllegalArgumentException("key URI is empty");
      }
      if (ivHex != null) {
        if (!ivHex.matches("[0-9a-fA-F]{32}")) {
          throw new IllegalArgumentException("IV must be 32 hex digits");
        }
        ivHex = ivHex.toLowerCase(Locale.ROOT);
      }
    }

    /** A key with an explicit IV. */
    public static Key of(String uri, byte[] iv) {
      if (iv.length != 16) {
        throw new IllegalArgumentException("IV has 16 bytes");
      }
      return new Key(uri, HexFormat.of().formatHex(iv));
    }

    /** The IV this segment is decrypted with: the explicit one, else the media sequence number. */
    public byte[] ivFor(long mediaSequenceNumber) {
      if (ivHex != null) {
        return HexFormat.of().parseHex(ivHex);
      }
      byte[] iv = new byte[16];
      for (int i = 0; i < 8; i++) {
        iv[15 - i] = (byte) (mediaSequenceNumber >>> (8 * i));
      }
      return iv;
    }
  }

  /** One media segment; {@code key} is null for a clear segment. */
  public record Segment(double duration, String uri, Key key) {
    public Segment {
      if (!(duration >= 0) || Double.isInfinite(duration)) {
        throw new IllegalArgumentException("duration must be >= 0");
      }
      AttributeList.checkUriLine(Objects.requireNonNull(uri, "uri"), "segment URI");
    }
  }

  /** Total duration in seconds. */
  public double duration() {
    double d = 0;
    for (Segment s : segments) {
      d += s.duration();
    }
    return d;
  }

  /** The playlist text (LF line ends). */
  public String render() {
    StringBuilder sb = new StringBuilder(64 + segments.size() * 120);
    sb.append("#EXTM3U\n#EXT-X-VERSION:").append(version).append('\n');
    sb.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
    sb.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
    if (playlistType != null) {
      sb.append("#EXT-X-PLAYLIST-TYPE:").append(playlistType).append('\n');
    }
    Key current = null;
    for (Segment s : segments) {
      if (!Objects.equals(current, s.key())) {
        if (s.key() == null) {
          sb.append("#EXT-X-KEY:METHOD=NONE\n");
        } else {
          sb.append("#EXT-X-KEY:METHOD=AES-128,URI=\"").append(s.key().uri()).append('"');
          if (s.key().ivHex() != null) {
            sb.append(",IV=0x").append(s.key().ivHex());
          }
          sb.append('\n');
        }
        current = s.key();
      }
      sb.append("#EXTINF:").append(BigDecimal.valueOf(s.duration()).toPlainString()).append(",\n");
      sb.append(s.uri()).append('\n');
    }
    if (endList) {
      sb.append("#EXT-X-ENDLIST\n");
    }
    return sb.toString();
  }

  /**
   * Parses a media playlist. Unknown tags and comments are skipped; anything malformed, a master
   * playlist, or a key method other than NONE and AES-128 throws {@link HlsException} with reason
   * {@code INVALID_PLAYLIST}.
   */
  public static MediaPlaylist parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] lines = AttributeList.lines(text);
    if (!lines[0].equals("#EXTM3U") && !lines[0].equals("\uFEFF#EXTM3U")) {
      throw new HlsException(HlsException.Reason.INVALID_PLAYLIST, "line 1: #EXTM3U expected");
    }
    int version = 1;
    int target = -1;
    long seq = 0;
    String type = null;
    boolean end = false;
    Key key = null;
    Double pendingDuration = null;
    List<Segment> segs = new ArrayList<>();
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
          } else if (l.startsWith("#EXT-X-TARGETDURATION:")) {
            target = AttributeList.parseInt(l.substring(22), no, "target duration");
          } else if (l.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
            seq = AttributeList.parseLong(l.substring(22), no, "media sequence");
          } else if (l.startsWith("#EXT-X-PLAYLIST-TYPE:")) {
            type = l.substring(21);
          } else if (l.equals("#EXT-X-ENDLIST")) {
            end = true;
          } else if (l.startsWith("#EXT-X-KEY:")) {
            key = parseKey(l.substring(11), no);
          } else if (l.startsWith("#EXTINF:")) {
            if (pendingDuration != null) {
              throw AttributeListBad.of(no, "#EXTINF without a segment URI");
            }
            String v = l.substring(8);
            int comma = v.indexOf(',');
            pendingDuration = AttributeList.parseDecimal(comma < 0 ? v : v.substring(0, comma), no, "EXTINF duration");
          } else if (l.startsWith("#EXT-X-STREAM-INF") || l.startsWith("#EXT-X-I-FRAME-STREAM-INF")) {
            throw AttributeListBad.of(no, "a master playlist tag in a media playlist");
          }
          continue;
        }
        if (pendingDuration == null) {
          throw AttributeListBad.of(no, "segment URI without #EXTINF");
        }
        segs.add(new Segment(pendingDuration, l, key));
        pendingDuration = null;
      }
      if (pendingDuration != null) {
        throw AttributeListBad.of(lines.length, "#EXTINF without a segment URI");
      }
      if (target < 0) {
        throw AttributeListBad.of(lines.length, "#EXT-X-TARGETDURATION missing");
      }
      return new MediaPlaylist(version, target, seq, type, segs, end);
    } catch (IllegalArgumentException e) {
      throw new HlsException(HlsException.Reason.INVALID_PLAYLIST, e.getMessage());
    }
  }

  private static Key parseKey(String attrs, int no) {
    Map<String, AttributeList.Value> a = AttributeList.parse(attrs, no);
    AttributeList.Value method = a.get("METHOD");
    if (method == null || method.quoted()) {
      throw AttributeListBad.of(no, "EXT-X-KEY without METHOD");
    }
    if (method.text().equals("NONE")) {
      return null;
    }
    if (!method.text().equals("AES-128")) {
      throw AttributeListBad.of(no, "unsupported key METHOD " + method.text());
    }
    AttributeList.Value uri = a.get("URI");
    if (uri == null || !uri.quoted()) {
      throw AttributeListBad.of(no, "EXT-X-KEY needs a quoted URI");
    }
    AttributeList.Value iv = a.get("IV");
    String ivHex = null;
    if (iv != null) {
      String t = iv.text();
      if (iv.quoted() || !(t.startsWith("0x") || t.startsWith("0X")) || !t.substring(2).matches("[0-9a-fA-F]{32}")) {
        throw AttributeListBad.of(no, "IV must be 0x followed by 32 hex digits");
      }
      ivHex = t.substring(2);
    }
    return new Key(uri.text(), ivHex);
  }

  /** Makes the INVALID_PLAYLIST exceptions of this class. */
  private static final class AttributeListBad {
    static HlsException of(int no, String what) {
      return new HlsException(HlsException.Reason.INVALID_PLAYLIST, "line " + no + ": " + what);
    }
  }
}
