package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;

/**
 * The fixed header and adaptation field of one 188-byte MPEG-TS packet (ISO/IEC 13818-1 2.4.3.2).
 * {@code pcr} is the 27 MHz program clock reference, or -1 when absent; {@code payloadOffset} is
 * relative to the packet start, or -1 when the packet carries no payload.
 */
public record TsPacketHeader(boolean transportError, boolean payloadUnitStart, boolean priority, int pid,
    int scrambling, int adaptationFieldControl, int continuityCounter, boolean discontinuity,
    boolean randomAccess, long pcr, int payloadOffset) {

  public static final int SIZE = 188;
  public static final int SYNC = 0x47;

  /** Parses the packet at {@code off}; throws {@link HlsException} (SYNC_LOST, MALFORMED_PACKET). */
  public static TsPacketHeader parse(byte[] b, int off) {
    if (off < 0 || off + SIZE > b.length) {
      throw new HlsException(HlsException.Reason.TRUNCATED, "fewer than 188 bytes at offset " + off);
    }
    if ((b[off] & 0xFF) != SYNC) {
      throw new HlsException(HlsException.Reason.SYNC_LOST, "no 0x47 sync byte at offset " + off);
    }
    int afc = (b[off + 3] >> 4) & 3;
    boolean disc = false;
    boolean rai = false;
    long pcr = -1;
    int payload = payloadOffset(b, off);
    if ((afc & 2) != 0) {
      int len = b[off + 4] & 0xFF;
      if (len > 0) {
        int flags = b[off + 5] & 0xFF;
        disc = (flags & 0x80) != 0;
        rai = (flags & 0x40) != 0;
        if ((flags & 0x10) != 0) {
          if (len < 7) {
            throw new HlsException(HlsException.Reason.MALFORMED_PACKET, "PCR flag set in a too short adaptation field at offset " + off);
          }
          pcr = readPcr(b, off + 6);
        }
      }
    }
    return new TsPacketHeader((b[off + 1] & 0x80) != 0, (b[off + 1] & 0x40) != 0, (b[off + 1] & 0x20) != 0,
        pid(b, off), (b[off + 3] >> 6) & 3, afc, b[off + 3] & 0xF, disc, rai, pcr, payload < 0 ? -1 : payload - off);
  }

  public static int pid(byte[] b, int off) {
    return ((b[off + 1] & 0x1F) << 8) | (b[off + 2] & 0xFF);
  }

  public static boolean payloadUnitStart(byte[] b, int off) {
    return (b[off + 1] & 0x40) != 0;
  }

  /** Absolute offset of the payload, -1 when there is none; throws on an impossible adaptation length. */
  public static int payloadOffset(byte[] b, int off) {
    int afc = (b[off + 3] >> 4) & 3;
    switch (afc) {
      case 1:
        return off + 4;
      case 3: {
        int len = b[off + 4] & 0xFF;
        if (len > 182) {
          throw new HlsException(HlsException.Reason.MALFORMED_PACKET, "adaptation field of " + len + " bytes leaves no payload at offset " + off);
        }
        return off + 5 + len;
      }
      case 2: {
        int len = b[off + 4] & 0xFF;
        if (len > 183) {
          throw new HlsException(HlsException.Reason.MALFORMED_PACKET, "adaptation field of " + len + " bytes at offset " + off);
        }
        return -1;
      }
      default:
        // afc 0 is reserved: decoders discard such packets, and so do we for parsing purposes
        return -1;
    }
  }

  /** Whether the adaptation field sets random_access_indicator. */
  public static boolean randomAccess(byte[] b, int off) {
    return (b[off + 3] & 0x20) != 0 && (b[off + 4] & 0xFF) > 0 && (b[off + 5] & 0x40) != 0;
  }

  static long readPcr(byte[] b, int p) {
    long base = ((long) (b[p] & 0xFF) << 25) | ((b[p + 1] & 0xFF) << 17) | ((b[p + 2] & 0xFF) << 9)
        | ((b[p + 3] & 0xFF) << 1) | ((b[p + 4] & 0xFF) >>> 7);
    int ext = ((b[p + 4] & 1) << 8) | (b[p + 5] & 0xFF);
    return base * 300 + ext;
  }

  /** Encodes this header into a packet at {@code off}, payload bytes then stuffing; the inverse of {@link #parse}. */
  public void encode(byte[] b, int off, byte[] payloadBytes) {
    if (pid < 0 || pid > 0x1FFF || continuityCounter < 0 || continuityCounter > 15 || scrambling < 0 || scrambling > 3
        || adaptationFieldControl < 1 || adaptationFieldControl > 3) {
      throw new IllegalArgumentException("field out of range");
    }
    b[off] = (byte) SYNC;
    b[off + 1] = (byte) ((transportError ? 0x80 : 0) | (payloadUnitStart ? 0x40 : 0) | (priority ? 0x20 : 0) | (pid >> 8));
    b[off + 2] = (byte) pid;
    b[off + 3] = (byte) ((scrambling << 6) | (adaptationFieldControl << 4) | continuityCounter);
    int p = off + 4;
    int payloadLen = payloadBytes == null ? 0 : payloadBytes.length;
    if (adaptationFieldControl == 3 && payloadLen < 1) {
      throw new IllegalArgumentException("adaptation field control 3 carries at least one payload byte");
    }
    if ((adaptationFieldControl & 2) != 0) {
      int afLen = (adaptationFieldControl == 2) ? 183 : 183 - payloadLen;
      boolean flags = discontinuity || randomAccess || pcr >= 0;
      int min = flags ? 1 + (pcr >= 0 ? 6 : 0) : 0;
      if (afLen < min) {
        throw new IllegalArgumentException("payload too long for this adaptation field");
      }
      b[p] = (byte) afLen;
      if (afLen == 0) {
        // a zero-length adaptation field: one byte of stuffing before a 183-byte payload
        System.arraycopy(payloadBytes, 0, b, p + 1, payloadLen);
        return;
      }
      b[p + 1] = (byte) ((discontinuity ? 0x80 : 0) | (randomAccess ? 0x40 : 0) | (pcr >= 0 ? 0x10 : 0));
      int q = p + 2;
      if (pcr >= 0) {
        long base = pcr / 300;
        int ext = (int) (pcr % 300);
        b[q] = (byte) (base >>> 25);
        b[q + 1] = (byte) (base >>> 17);
        b[q + 2] = (byte) (base >>> 9);
        b[q + 3] = (byte) (base >>> 1);
        b[q + 4] = (byte) (((base & 1) << 7) | 0x7E | (ext >> 8));
        b[q + 5] = (byte) ext;
        q += 6;
      }
      while (q < p + 1 + afLen) {
        b[q++] = (byte) 0xFF;
      }
      p = p + 1 + afLen;
    } else if (payloadLen != 184) {
      throw new IllegalArgumentException("without an adaptation field the payload is exactly 184 bytes");
    }
    if (adaptationFieldControl != 2 && payloadLen > 0) {
      System.arraycopy(payloadBytes, 0, b, p, payloadLen);
    }
  }
}
