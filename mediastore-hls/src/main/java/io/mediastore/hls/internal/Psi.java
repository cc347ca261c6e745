package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;

/** PAT and PMT sections (ISO/IEC 13818-1 2.4.4) carried in a single packet, with their CRC-32 checked. */
public final class Psi {
  private static final int[] CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int k = 0; k < 8; k++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      CRC[i] = c;
    }
  }

  private Psi() {}

  /** CRC-32/MPEG-2 as used by PSI sections. */
  public static int crc32(byte[] b, int off, int len) {
    int c = 0xFFFFFFFF;
    for (int i = off; i < off + len; i++) {
      c = (c << 8) ^ CRC[((c >>> 24) ^ b[i]) & 0xFF];
    }
    return c;
  }

  /** Offset of the section that starts in this packet, after checking table id, length and CRC; returns section length. */
  private static int[] section(byte[] b, int off, int tableId, String name, long pos) {
    if (!TsPacketHeader.payloadUnitStart(b, off)) {
      return null;
    }
    int p = TsPacketHeader.payloadOffset(b, off);
    if (p < 0) {
      return null;
    }
    int end = off + TsPacketHeader.SIZE;
    int s = p + 1 + (b[p] & 0xFF);
    if (s + 3 > end) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI, name + " pointer field points past the packet at offset " + pos);
    }
    if ((b[s] & 0xFF) != tableId) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI, name + " has table id " + (b[s] & 0xFF) + " at offset " + pos);
    }
    int len = ((b[s + 1] & 0x0F) << 8) | (b[s + 2] & 0xFF);
    if (len < 9 || s + 3 + len > end) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI,
          name + " section of " + len + " bytes does not fit one packet at offset " + pos);
    }
    int crcAt = s + 3 + len - 4;
    int want = ((b[crcAt] & 0xFF) << 24) | ((b[crcAt + 1] & 0xFF) << 16) | ((b[crcAt + 2] & 0xFF) << 8) | (b[crcAt + 3] & 0xFF);
    if (crc32(b, s, 3 + len - 4) != want) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI, name + " CRC-32 mismatch at offset " + pos);
    }
    return new int[] {s, len};
  }

  /** The PID of the first program's PMT, or -1 when this packet starts no PAT section. */
  public static int pmtPid(byte[] b, int off, long pos) {
    int[] sec = section(b, off, 0x00, "PAT", pos);
    if (sec == null) {
      return -1;
    }
    int s = sec[0];
    int end = s + 3 + sec[1] - 4;
    for (int i = s + 8; i + 4 <= end; i += 4) {
      int program = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
      int pid = ((b[i + 2] & 0x1F) << 8) | (b[i + 3] & 0xFF);
      if (program != 0) {
        return pid;
      }
    }
    throw new HlsException(HlsException.Reason.MISSING_PMT, "the PAT lists no program at offset " + pos);
  }

  /** Elementary streams of a PMT: pairs of (stream type, PID); null when this packet starts no PMT section. */
  public static int[] pmtStreams(byte[] b, int off, long pos) {
    int[] sec = section(b, off, 0x02, "PMT", pos);
    if (sec == null) {
      return null;
    }
    int s = sec[0];
    int end = s + 3 + sec[1] - 4;
    int infoLen = ((b[s + 10] & 0x0F) << 8) | (b[s + 11] & 0xFF);
    int i = s + 12 + infoLen;
    if (i > end) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI, "PMT program info overruns the section at offset " + pos);
    }
    int[] tmp = new int[64];
    int n = 0;
    while (i + 5 <= end) {
      int type = b[i] & 0xFF;
      int pid = ((b[i + 1] & 0x1F) << 8) | (b[i + 2] & 0xFF);
      int esLen = ((b[i + 3] & 0x0F) << 8) | (b[i + 4] & 0xFF);
      if (n + 2 <= tmp.length) {
        tmp[n++] = type;
        tmp[n++] = pid;
      }
      i += 5 + esLen;
    }
    if (i != end) {
      throw new HlsException(HlsException.Reason.MALFORMED_PSI, "PMT stream loop overruns the section at offset " + pos);
    }
    return java.util.Arrays.copyOf(tmp, n);
  }

  public static boolean isVideo(int streamType) {
    return streamType == 0x1B || streamType == 0x24 || streamType == 0x01 || streamType == 0x02 || streamType == 0x10;
  }

  public static boolean isAudio(int streamType) {
    return streamType == 0x0F || streamType == 0x11 || streamType == 0x03 || streamType == 0x04
        || streamType == 0x81 || streamType == 0x87;
  }
}
