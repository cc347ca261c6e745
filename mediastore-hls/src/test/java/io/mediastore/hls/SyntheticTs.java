package io.mediastore.hls;

import io.mediastore.hls.internal.Psi;
import io.mediastore.hls.internal.TsPacketHeader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds MPEG-TS in pure Java for unit tests and properties: H.264-like video PES (AUD, SPS on
 * keyframes, optional SEI filler, IDR or non-IDR slice) on PID 0x100 and ADTS-like audio on 0x101.
 * Keyframes may be signalled with the random access indicator or only by the IDR NAL type.
 */
public final class SyntheticTs {
  public static final int VIDEO = 0x100;
  public static final int AUDIO = 0x101;
  public static final int PMT = 0x1000;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final int[] cc = new int[0x2000];
  /** Frame indexes of keyframes, for the reference model. */
  public final List<Integer> keyframes = new ArrayList<>();

  public static byte[] build(int frames, int fps, int gop, boolean rai, int seiBytes, boolean audio) {
    SyntheticTs t = new SyntheticTs();
    long ptsStep = 90_000 / fps;
    for (int f = 0; f < frames; f++) {
      if (f % 10 == 0) {
        t.psi(audio);
      }
      boolean key = f % gop == 0;
      if (key) {
        t.keyframes.add(f);
      }
      t.video(126_000 + f * ptsStep, key, rai, seiBytes, 300 + (f * 37) % 900);
      if (audio && f % 2 == 0) {
        t.audio(126_000 + f * ptsStep);
      }
    }
    return t.out.toByteArray();
  }

  public static SyntheticTs builder() {
    return new SyntheticTs();
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  public void psi(boolean audio) {
    byte[] pat = {0, (byte) 0xB0, 13, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) (0xE0 | (PMT >> 8)), (byte) PMT, 0, 0, 0, 0};
    section(0, pat);
    byte[] pmt = audio
        ? new byte[] {2, (byte) 0xB0, 23, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 0,
            0x1B, (byte) 0xE1, 0x00, (byte) 0xF0, 0, 0x0F, (byte) 0xE1, 0x01, (byte) 0xF0, 0, 0, 0, 0, 0}
        : new byte[] {2, (byte) 0xB0, 18, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 0,
            0x1B, (byte) 0xE1, 0x00, (byte) 0xF0, 0, 0, 0, 0, 0};
    section(PMT, pmt);
  }

  private void section(int pid, byte[] sec) {
    int crc = Psi.crc32(sec, 0, sec.length - 4);
    sec[sec.length - 4] = (byte) (crc >>> 24);
    sec[sec.length - 3] = (byte) (crc >>> 16);
    sec[sec.length - 2] = (byte) (crc >>> 8);
    sec[sec.length - 1] = (byte) crc;
    byte[] payload = new byte[184];
    java.util.Arrays.fill(payload, (byte) 0xFF);
    payload[0] = 0;
    System.arraycopy(sec, 0, payload, 1, sec.length);
    packet(pid, true, false, -1, payload);
  }

  public void video(long pts, boolean key, boolean rai, int seiBytes, int sliceBytes) {
    ByteArrayOutputStream es = new ByteArrayOutputStream();
    es.writeBytes(new byte[] {0, 0, 0, 1, 9, (byte) 0xF0});
    if (key) {
      es.writeBytes(new byte[] {0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1F, (byte) 0xAC, (byte) 0xD9});
      es.writeBytes(new byte[] {0, 0, 0, 1, 0x68, (byte) 0xEB, (byte) 0xE3});
    }
    if (seiBytes > 0) {
      es.writeBytes(new byte[] {0, 0, 1, 6});
      for (int i = 0; i < seiBytes; i++) {
        es.write(0xAA);
      }
    }
    es.writeBytes(new byte[] {0, 0, 1, (byte) (key ? 0x65 : 0x41)});
    for (int i = 0; i < sliceBytes; i++) {
      es.write(0xBB);
    }
    pes(VIDEO, 0xE0, pts, es.toByteArray(), key && rai, true);
  }

  public void audio(long pts) {
    byte[] es = new byte[200];
    es[0] = (byte) 0xFF;
    es[1] = (byte) 0xF1;
    es[2] = 0x50;
    for (int i = 3; i < es.length; i++) {
      es[i] = 0x21;
    }
    pes(AUDIO, 0xC0, pts, es, false, false);
  }

  private void pes(int pid, int streamId, long pts, byte[] es, boolean rai, boolean pcr) {
    byte[] h = new byte[14];
    h[2] = 1;
    h[3] = (byte) streamId;
    h[6] = (byte) 0x80;
    h[7] = (byte) 0x80;
    h[8] = 5;
    h[9] = (byte) (0x21 | ((pts >> 29) & 0x0E));
    h[10] = (byte) (pts >> 22);
    h[11] = (byte) (0x01 | ((pts >> 14) & 0xFE));
    h[12] = (byte) (pts >> 7);
    h[13] = (byte) (0x01 | ((pts << 1) & 0xFE));
    byte[] all = new byte[h.length + es.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(es, 0, all, h.length, es.length);
    int pos = 0;
    boolean first = true;
    while (pos < all.length) {
      int room = first && (rai || pcr) ? 184 - 8 : 184;
      int n = Math.min(room, all.length - pos);
      byte[] payload = java.util.Arrays.copyOfRange(all, pos, pos + n);
      packet(pid, first, first && rai, first && pcr ? pts * 300 : -1, payload);
      pos += n;
      first = false;
    }
  }

  private void packet(int pid, boolean pusi, boolean rai, long pcr, byte[] payload) {
    boolean af = rai || pcr >= 0 || payload.length < 184;
    TsPacketHeader h = new TsPacketHeader(false, pusi, false, pid, 0, af ? 3 : 1, cc[pid]++ & 0xF, false, rai, pcr, 0);
    byte[] p = new byte[188];
    h.encode(p, 0, payload);
    out.writeBytes(p);
  }
}
