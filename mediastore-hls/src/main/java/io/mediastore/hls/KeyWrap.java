package io.mediastore.hls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The wrapped form of a content key shared by the default stores: {@code "MSK1"}, a 12-byte random nonce,
 * the 16 key bytes encrypted with AES-256-GCM under the {@link MasterKey}, and the 16-byte tag; the key id
 * is bound as associated data, so a wrapped key moved to another id does not unwrap.
 */
final class KeyWrap {
  static final int LENGTH = 4 + 12 + 16 + 16;
  private static final byte[] MAGIC = {'M', 'S', 'K', '1'};

  private KeyWrap() {}

  static byte[] wrap(MasterKey masterKey, ContentKey key, SecureRandom random) {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    byte[] raw = key.copyKeyBytes();
    byte[] out = new byte[LENGTH];
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, masterKey.secretKeySpec(), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad(key.keyId()));
      System.arraycopy(MAGIC, 0, out, 0, 4);
      System.arraycopy(nonce, 0, out, 4, 12);
      gcm.doFinal(raw, 0, raw.length, out, 16);
      return out;
    } catch (GeneralSecurityException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot wrap key " + key.keyId(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  static ContentKey unwrap(MasterKey masterKey, String keyId, byte[] in) {
    if (in == null || in.length != LENGTH || !Arrays.equals(in, 0, 4, MAGIC, 0, 4)) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "the stored value for " + keyId + " is not a wrapped key");
    }
    byte[] raw = null;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, masterKey.secretKeySpec(), new GCMParameterSpec(128, in, 4, 12));
      gcm.updateAAD(aad(keyId));
      raw = gcm.doFinal(in, 16, 32);
      return ContentKey.of(keyId, raw);
    } catch (GeneralSecurityException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE,
          "key " + keyId + " does not unwrap under this master key (wrong master key or tampered value)", e);
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }

  private static byte[] aad(String keyId) {
    return ("mediastore-hls content key v1|" + keyId).getBytes(StandardCharsets.US_ASCII);
  }
}
