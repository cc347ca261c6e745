package io.mediastore.samples.server.internal;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** AES-256-GCM key wrapping for keys kept in the database: base64(12-byte nonce | ciphertext | tag), context as AAD. */
public final class Wrap {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Wrap() {
    }

    public static String wrap(byte[] masterKey, byte[] plain, String context) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalStateException when the wrapped value does not open under this key and context */
    public static byte[] unwrap(byte[] masterKey, String wrapped, String context) {
        byte[] all = Base64.getDecoder().decode(wrapped);
        if (all.length < 12 + 16) {
            throw new IllegalStateException("wrapped key too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(all, 12, all.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a wrapped key does not open (wrong master key or tampered row)");
        } finally {
            Arrays.fill(all, (byte) 0);
        }
    }
}
