package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Streams an MPEG-TS through fixed-size chunks and cuts it into segments at keyframes of the primary
 * stream (the first video stream, else the first audio stream) once the target duration is reached.
 * Each segment starts with a copy of the current PAT and PMT. Memory is bounded by the chunk pool;
 * no per-packet allocation. Output bytes are handed to a {@link Sink} by reference to the chunk.
 */
public final class TsSegmenter {
  static final int P = TsPacketHeader.SIZE;
  /** Packets to wait for PAT and PMT before giving up. */
  static final int PSI_SEARCH_LIMIT = 20_000;
  /** Packets to hold while looking for the first slice of a PES whose keyframe status is not signalled. */
  static final int PENDING_LIMIT = 256;

  /** Receives the segments. Calls come from the segmenting thread, in order. */
  public interface Sink {
    void startSegment(int index, byte[] psi);

    /** The sink owns one reference to {@code chunk} and must release it when done with the bytes. */
    void data(Chunk chunk, int off, int len);

    void endSegment(int index);

    /**
     * The segmenter rewrote the byte at input {@code position} (a PAT or PMT continuity counter) to
     * {@code value}; the chunk passed to {@link #data} already holds it. For sinks that re-read the input.
     */
    default void patched(long position, byte value) {}

    /** Lets the segmenter stop early when a writer has failed. */
    default void checkHealthy() {}
  }

  /** What the segmenter learned; durations in seconds (from PTS). */
  public record Result(List<Double> durations, String videoCodec, String audioCodec, boolean hasVideo,
      boolean hasAudio, long inputBytes) {
    /** The RFC 6381 CODECS value, or null when a present stream's codec is unknown. */
    public String codecs() {
      if ((hasVideo && videoCodec == null) || (hasAudio && audioCodec == null)) {
        return null;
      }
      if (hasVideo && hasAudio) {
        return videoCodec + "," + audioCodec;
      }
      return hasVideo ? videoCodec : audioCodec;
    }
  }

  private final long targetTicks;
  private final Chunk.Pool pool;
  private final int chunkSize;
  private final Sink sink;

  // stream state
  private long base;
  private int pmtPid = -1;
  private int primaryPid = -1;
  private int primaryType;
  private boolean primaryVideo;
  private int audioPid = -1;
  private int audioType;
  private boolean hasVideo;
  private boolean hasAudio;
  private final byte[] pat = new byte[P];
  private final byte[] pmt = new byte[P];
  private int patCc;
  private int pmtCc;
  private boolean started;
  private int preStartPackets;
  private int segmentIndex;
  private long segStartPts = -1;
  private final List<Long> segStarts = new ArrayList<>();
  private long maxPts = Long.MIN_VALUE;
  private long lastRawPts = -1;
  private long ptsOffset;
  private long lastPts = -1;
  private long minDelta = Long.MAX_VALUE;
  private String videoCodec;
  private String audioCodec;
  // pending keyframe decision
  private boolean pending;
  private int pendingStart;
  private long pendingPts;
  private int pendingPackets;
  private final NalScanner scanner = new NalScanner();
  // chunk state
  private Chunk cur;
  private int emitFrom;

  public TsSegmenter(double targetSeconds, Chunk.Pool pool, int chunkSize, Sink sink) {
    this.targetTicks = Math.round(targetSeconds * 90_000);
    this.pool = pool;
    this.chunkSize = chunkSize;
    this.sink = sink;
  }

  public Result run(InputStream in) throws IOException, InterruptedException {
    cur = pool.acquire();
    cur.position(0);
    int len = 0;
    int p = 0;
    boolean eof = false;
    boolean first = true;
    while (true) {
      byte[] b = cur.data;
      while (len < chunkSize && !eof) {
        int n = in.read(b, len, chunkSize - len);
        if (n < 0) {
          eof = true;
        } else {
          len += n;
        }
      }
      if (first) {
        first = false;
        if (len == 0) {
          throw new HlsException(HlsException.Reason.NOT_TRANSPORT_STREAM, "the input is empty");
        }
        if ((b[0] & 0xFF) != 0x47 || (len > P && (b[P] & 0xFF) != 0x47) || (len > 2 * P && (b[2 * P] & 0xFF) != 0x47)) {
          throw new HlsException(HlsException.Reason.NOT_TRANSPORT_STREAM,
              "the input does not start with 188-byte MPEG-TS packets (0x47 sync bytes)");
        }
      }
      while (p + P <= len) {
        packet(b, p);
        p += P;
      }
      sink.checkHealthy();
      if (eof) {
        if (p < len) {
          throw new HlsException(HlsException.Reason.TRUNCATED,
              "the stream ends inside a packet: " + (len - p) + " trailing bytes at offset " + (base + p));
        }
        if (pending) {
          decide(pendingStart, pendingPts, false);
        }
        if (!started) {
          throw pmtPid < 0
              ? new HlsException(HlsException.Reason.MISSING_PAT, "no PAT in the stream")
              : new HlsException(HlsException.Reason.MISSING_PMT, "the PMT on PID " + pmtPid + " never arrived");
        }
        if (segStarts.isEmpty()) {
          throw new HlsException(HlsException.Reason.NO_MEDIA_STREAM, "the stream has no timestamped PES packet on PID " + primaryPid);
        }
        emit(emitFrom, p);
        sink.endSegment(segmentIndex);
        cur.release();
        cur = null;
        return new Result(durations(), videoCodec, audioCodec, hasVideo, hasAudio, base + p);
      }
      int hold = pending ? pendingStart : p;
      if (started) {
        emit(emitFrom, hold);
      }
      Chunk next = pool.acquire();
      System.arraycopy(b, hold, next.data, 0, len - hold);
      base += hold;
      next.position(base);
      len -= hold;
      p -= hold;
      pendingStart -= hold;
      emitFrom = 0;
      cur.release();
      cur = next;
    }
  }

  /** Releases the current chunk after a failure. */
  public void abandon() {
    if (cur != null) {
      cur.release();
      cur = null;
    }
  }

  private void emit(int from, int to) {
    if (to > from) {
      cur.retain();
      sink.data(cur, from, to - from);
    }
    emitFrom = to;
  }

  private void packet(byte[] b, int o) {
    if ((b[o] & 0xFF) != 0x47) {
      throw new HlsException(HlsException.Reason.SYNC_LOST, "no 0x47 sync byte at offset " + (base + o));
    }
    int pid = TsPacketHeader.pid(b, o);
    if (pid == 0) {
      int pmt0 = Psi.pmtPid(b, o, base + o);
      if (pmt0 >= 0) {
        if (pmtPid >= 0 && pmt0 != pmtPid) {
          throw new HlsException(HlsException.Reason.MALFORMED_PSI, "the PAT changes the PMT PID at offset " + (base + o));
        }
        pmtPid = pmt0;
        System.arraycopy(b, o, pat, 0, P);
      }
      b[o + 3] = (byte) ((b[o + 3] & 0xF0) | (patCc++ & 0xF));
      sink.patched(base + o + 3, b[o + 3]);
      if (!started) {
        preStart(o);
      }
      return;
    }
    if (pid == pmtPid) {
      int[] streams = Psi.pmtStreams(b, o, base + o);
      if (streams != null) {
        System.arraycopy(b, o, pmt, 0, P);
        if (!started) {
          choosePrimary(streams, o);
        }
      }
      b[o + 3] = (byte) ((b[o + 3] & 0xF0) | (pmtCc++ & 0xF));
      sink.patched(base + o + 3, b[o + 3]);
      if (!started) {
        if (primaryPid >= 0) {
          started = true;
          sink.startSegment(0, psi());
          emitFrom = o + P;
        } else {
          preStart(o);
        }
      }
      return;
    }
    if (!started) {
      preStart(o);
      return;
    }
    if (pid == primaryPid) {
      boolean pusi = TsPacketHeader.payloadUnitStart(b, o);
      if (pending) {
        if (pusi) {
          decide(pendingStart, pendingPts, false);
        } else {
          int pl = TsPacketHeader.payloadOffset(b, o);
          int r = pl < 0 ? NalScanner.UNKNOWN : scanner.scan(b, pl, o + P);
          if (r != NalScanner.UNKNOWN || ++pendingPackets > PENDING_LIMIT) {
            decide(pendingStart, pendingPts, r == NalScanner.KEY);
          }
          return;
        }
      }
      if (pusi) {
        primaryPesStart(b, o);
      }
    } else if (pending) {
      if (++pendingPackets > PENDING_LIMIT) {
        decide(pendingStart, pendingPts, false);
      }
    } else if (pid == audioPid && audioCodec == null && TsPacketHeader.payloadUnitStart(b, o)) {
      int es = esStart(b, o);
      if (es >= 0) {
        audioCodec = audioCodec(b, es, o + P);
      }
    }
  }

  private void preStart(int o) {
    emitFrom = o + P;
    if (++preStartPackets > PSI_SEARCH_LIMIT) {
      throw pmtPid < 0
          ? new HlsException(HlsException.Reason.MISSING_PAT, "no PAT in the first " + PSI_SEARCH_LIMIT + " packets")
          : new HlsException(HlsException.Reason.MISSING_PMT, "no PMT in the first " + PSI_SEARCH_LIMIT + " packets");
    }
  }

  private void choosePrimary(int[] streams, int o) {
    for (int i = 0; i < streams.length; i += 2) {
      if (Psi.isVideo(streams[i]) && !hasVideo) {
        hasVideo = true;
        primaryPid = streams[i + 1];
        primaryType = streams[i];
        primaryVideo = true;
      } else if (Psi.isAudio(streams[i]) && !hasAudio) {
        hasAudio = true;
        audioPid = streams[i + 1];
        audioType = streams[i];
      }
    }
    if (!hasVideo && hasAudio) {
      primaryPid = audioPid;
      primaryType = audioType;
    }
    if (primaryPid < 0) {
      throw new HlsException(HlsException.Reason.NO_MEDIA_STREAM,
          "the PMT at offset " + (base + o) + " lists no audio or video stream this segmenter knows");
    }
    scanner.codec(primaryType);
  }

  private void primaryPesStart(byte[] b, int o) {
    int es = esStart(b, o);
    if (es < 0) {
      return;
    }
    long pts = lastParsedPts;
    if (!primaryVideo) {
      if (audioCodec == null) {
        audioCodec = audioCodec(b, es, o + P);
      }
      decide(o, pts, true);
      return;
    }
    boolean rai = TsPacketHeader.randomAccess(b, o);
    scanner.reset();
    int r = scanner.scan(b, es, o + P);
    if (videoCodec == null) {
      videoCodec = scanner.codecString();
    }
    if (rai || r != NalScanner.UNKNOWN || !scanner.canDetect()) {
      decide(o, pts, rai || r == NalScanner.KEY);
    } else {
      pending = true;
      pendingStart = o;
      pendingPts = pts;
      pendingPackets = 0;
    }
  }

  private long lastParsedPts;

  /** Offset of the elementary stream data after the PES header, -1 when none; sets {@link #lastParsedPts}. */
  private int esStart(byte[] b, int o) {
    lastParsedPts = -1;
    int p = TsPacketHeader.payloadOffset(b, o);
    int end = o + P;
    if (p < 0) {
      return -1;
    }
    if (p + 9 > end || b[p] != 0 || b[p + 1] != 0 || b[p + 2] != 1) {
      throw new HlsException(HlsException.Reason.MALFORMED_PACKET, "no PES start code at offset " + (base + p));
    }
    int sid = b[p + 3] & 0xFF;
    if (sid == 0xBC || sid == 0xBE || sid == 0xBF || sid == 0xF0 || sid == 0xF1 || sid == 0xFF || sid == 0xF2 || sid == 0xF8) {
      return p + 6;
    }
    int flags = b[p + 7] & 0xFF;
    int hlen = b[p + 8] & 0xFF;
    int es = p + 9 + hlen;
    if (es > end) {
      throw new HlsException(HlsException.Reason.MALFORMED_PACKET, "PES header overruns the packet at offset " + (base + p));
    }
    if ((flags & 0x80) != 0 && hlen >= 5) {
      int q = p + 9;
      lastParsedPts = (((long) (b[q] >> 1) & 7) << 30) | ((b[q + 1] & 0xFFL) << 22) | (((b[q + 2] & 0xFF) >> 1) << 15)
          | ((b[q + 3] & 0xFF) << 7) | ((b[q + 4] & 0xFF) >> 1);
    }
    return es;
  }

  private void decide(int o, long rawPts, boolean key) {
    pending = false;
    if (rawPts < 0) {
      return;
    }
    long pts = unwrap(rawPts);
    if (lastPts >= 0 && pts != lastPts) {
      long d = Math.abs(pts - lastPts);
      if (d < minDelta) {
        minDelta = d;
      }
    }
    lastPts = pts;
    if (pts > maxPts) {
      maxPts = pts;
    }
    if (segStartPts < 0) {
      segStartPts = pts;
      segStarts.add(pts);
    } else if (key && pts - segStartPts + 900 >= targetTicks) {
      // 10 ms of slack: encoders place forced keyframes on the frame at or just before the boundary
      emit(emitFrom, o);
      sink.endSegment(segmentIndex);
      segmentIndex++;
      sink.startSegment(segmentIndex, psi());
      segStartPts = pts;
      segStarts.add(pts);
    }
  }

  private long unwrap(long raw) {
    if (lastRawPts >= 0 && raw < lastRawPts && lastRawPts - raw > (1L << 32)) {
      ptsOffset += 1L << 33;
    } else if (lastRawPts >= 0 && raw > lastRawPts && raw - lastRawPts > (1L << 32) && ptsOffset > 0) {
      // a late B-frame from before the wrap
      lastRawPts = raw;
      return raw + ptsOffset - (1L << 33);
    }
    lastRawPts = raw;
    return raw + ptsOffset;
  }

  private byte[] psi() {
    byte[] out = new byte[2 * P];
    System.arraycopy(pat, 0, out, 0, P);
    System.arraycopy(pmt, 0, out, P, P);
    out[3] = (byte) ((out[3] & 0xF0) | (patCc++ & 0xF));
    out[P + 3] = (byte) ((out[P + 3] & 0xF0) | (pmtCc++ & 0xF));
    return out;
  }

  private List<Double> durations() {
    List<Double> out = new ArrayList<>(segStarts.size());
    for (int i = 0; i < segStarts.size(); i++) {
      long end = i + 1 < segStarts.size() ? segStarts.get(i + 1) : maxPts + (minDelta == Long.MAX_VALUE ? 0 : minDelta);
      long ticks = Math.max(0, end - segStarts.get(i));
      // microsecond precision keeps EXTINF short and exact to what players can use
      out.add(Math.round(ticks / 0.09) / 1_000_000.0);
    }
    return out;
  }

  private String audioCodec(byte[] b, int es, int end) {
    switch (audioType) {
      case 0x0F:
        if (es + 3 <= end && (b[es] & 0xFF) == 0xFF && (b[es + 1] & 0xF0) == 0xF0) {
          return "mp4a.40." + (((b[es + 2] >> 6) & 3) + 1);
        }
        return null;
      case 0x03:
      case 0x04:
        return "mp4a.40.34";
      case 0x81:
        return "ac-3";
      case 0x87:
        return "ec-3";
      default:
        return null;
    }
  }

  /** Finds the first picture of a PES and says whether it starts a GOP; also reads the H.264 profile for CODECS. */
  static final class NalScanner {
    static final int UNKNOWN = 0;
    static final int KEY = 1;
    static final int NOT_KEY = 2;
    private int type;
    private int zeros;
    private boolean atHeader;
    private String codec;

    void codec(int streamType) {
      type = streamType;
    }

    boolean canDetect() {
      return type == 0x1B || type == 0x24 || type == 0x01 || type == 0x02 || type == 0x10;
    }

    void reset() {
      zeros = 0;
      atHeader = false;
    }

    String codecString() {
      return codec;
    }

    int scan(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        int v = b[i] & 0xFF;
        if (atHeader) {
          atHeader = false;
          int r = unit(b, i, to, v);
          if (r != UNKNOWN) {
            return r;
          }
          zeros = v == 0 ? 1 : 0;
          continue;
        }
        if (v == 0) {
          zeros++;
        } else {
          if (v == 1 && zeros >= 2) {
            atHeader = true;
          }
          zeros = 0;
        }
      }
      return UNKNOWN;
    }

    private int unit(byte[] b, int i, int to, int v) {
      switch (type) {
        case 0x1B: {
          int t = v & 0x1F;
          if (t == 7 && codec == null && i + 3 < to) {
            codec = String.format(Locale.ROOT, "avc1.%02X%02X%02X", b[i + 1] & 0xFF, b[i + 2] & 0xFF, b[i + 3] & 0xFF);
          }
          return t == 5 ? KEY : (t >= 1 && t <= 4) ? NOT_KEY : UNKNOWN;
        }
        case 0x24: {
          int t = (v >> 1) & 0x3F;
          return (t >= 16 && t <= 21) ? KEY : t <= 9 ? NOT_KEY : UNKNOWN;
        }
        case 0x10:
          if (v == 0xB0 || v == 0xB3 || (v >= 0x20 && v <= 0x2F)) {
            return KEY;
          }
          if (v == 0xB6) {
            return (i + 1 < to && ((b[i + 1] & 0xFF) >> 6) == 0) ? KEY : NOT_KEY;
          }
          return UNKNOWN;
        default:
          // MPEG-1/2 video: a sequence header or GOP header before the first picture starts a GOP
          if (v == 0xB3 || v == 0xB8) {
            return KEY;
          }
          return v == 0x00 ? NOT_KEY : UNKNOWN;
      }
    }
  }
}
