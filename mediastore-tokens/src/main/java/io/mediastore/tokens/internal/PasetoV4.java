package io.mediastore.tokens.internal;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.engines.XChaCha20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * PASETO version 4 over raw bytes, as specified in paseto-spec {@code docs/01-Protocol-Versions/Version4.md}:
 * {@code v4.local} is XChaCha20 with an encryption key and nonce split from the key by keyed BLAKE2b,
 * authenticated by a keyed BLAKE2b-256 over the PAE of header, nonce, ciphertext, footer and implicit
 * assertion; {@code v4.public} is Ed25519 over the PAE of header, message, footer and implicit assertion.
 * Keys are checked by the caller; this class only knows bytes.
 */
public final class PasetoV4 {
    public static final String LOCAL_HEADER = "v4.local.";
    public static final String PUBLIC_HEADER = "v4.public.";
    private static final byte[] LOCAL_H = LOCAL_HEADER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUBLIC_H = PUBLIC_HEADER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENC_INFO = "paseto-encryption-key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUTH_INFO = "paseto-auth-key-for-aead".getBytes(StandardCharsets.US_ASCII);

    private PasetoV4() {
    }

    /** Thrown for every refused token; the caller maps it to its own error. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** A token's decoded parts. */
    public record Parts(byte[] body, byte[] footer) {
    }

    /** Pre-Authentication Encoding: LE64(count), then LE64(length) and bytes of each piece. */
    public static byte[] pae(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le64(out, pieces.length);
        for (byte[] p : pieces) {
            le64(out, p.length);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void le64(ByteArrayOutputStream out, long n) {
        for (int i = 0; i < 8; i++) {
            // the most significant bit is cleared, as the spec requires, for interop with languages without unsigned ints
            out.write((int) (i == 7 ? (n >>> 56) & 0x7f : (n >>> (8 * i)) & 0xff));
        }
    }

    /** v4.local encryption with an explicit 32-byte nonce (random in production, fixed for test vectors). */
    public static String encrypt(byte[] key, byte[] message, byte[] footer, byte[] implicit, byte[] nonce) {
        if (nonce.length != 32) {
            throw new IllegalArgumentException("the v4.local nonce is 32 bytes");
        }
        byte[] tmp = blake2b(key, 56, ENC_INFO, nonce);
        byte[] ek = Arrays.copyOf(tmp, 32);
        byte[] n2 = Arrays.copyOfRange(tmp, 32, 56);
        byte[] ak = blake2b(key, 32, AUTH_INFO, nonce);
        byte[] c = xchacha(ek, n2, message);
        byte[] t = blake2b(ak, 32, pae(LOCAL_H, nonce, c, footer, implicit));
        byte[] body = new byte[32 + c.length + 32];
        System.arraycopy(nonce, 0, body, 0, 32);
        System.arraycopy(c, 0, body, 32, c.length);
        System.arraycopy(t, 0, body, 32 + c.length, 32);
        Arrays.fill(ek, (byte) 0);
        Arrays.fill(ak, (byte) 0);
        Arrays.fill(tmp, (byte) 0);
        return assemble(LOCAL_HEADER, body, footer);
    }

    /** v4.local decryption; returns the message and footer after checking the tag in constant time. */
    public static Parts decrypt(byte[] key, String token, byte[] implicit) throws Invalid {
        Parts p = split(token, LOCAL_HEADER);
        byte[] body = p.body();
        if (body.length < 64) {
            throw new Invalid("v4.local body too short");
        }
        byte[] n = Arrays.copyOf(body, 32);
        byte[] c = Arrays.copyOfRange(body, 32, body.length - 32);
        byte[] t = Arrays.copyOfRange(body, body.length - 32, body.length);
        byte[] tmp = blake2b(key, 56, ENC_INFO, n);
        byte[] ak = blake2b(key, 32, AUTH_INFO, n);
        byte[] t2 = blake2b(ak, 32, pae(LOCAL_H, n, c, p.footer(), implicit));
        Arrays.fill(ak, (byte) 0);
        if (!MessageDigest.isEqual(t, t2)) {
            Arrays.fill(tmp, (byte) 0);
            throw new Invalid("v4.local authentication tag mismatch");
        }
        byte[] ek = Arrays.copyOf(tmp, 32);
        byte[] n2 = Arrays.copyOfRange(tmp, 32, 56);
        byte[] m = xchacha(ek, n2, c);
        Arrays.fill(ek, (byte) 0);
        Arrays.fill(tmp, (byte) 0);
        return new Parts(m, p.footer());
    }

    /** v4.public signing with a 32-byte Ed25519 seed and its public key. */
    public static String sign(byte[] seed, byte[] publicKey, byte[] message, byte[] footer, byte[] implicit) {
        byte[] m2 = pae(PUBLIC_H, message, footer, implicit);
        byte[] body = Arrays.copyOf(message, message.length + 64);
        Ed25519.sign(seed, 0, publicKey, 0, m2, 0, m2.length, body, message.length);
        return assemble(PUBLIC_HEADER, body, footer);
    }

    /** v4.public verification; returns the message and footer. */
    public static Parts verify(Ed25519.PublicPoint publicKey, String token, byte[] implicit) throws Invalid {
        Parts p = split(token, PUBLIC_HEADER);
        byte[] body = p.body();
        if (body.length < 64) {
            throw new Invalid("v4.public body too short");
        }
        byte[] m = Arrays.copyOf(body, body.length - 64);
        byte[] m2 = pae(PUBLIC_H, m, p.footer(), implicit);
        if (!Ed25519.verify(body, body.length - 64, publicKey, m2, 0, m2.length)) {
            throw new Invalid("v4.public signature mismatch");
        }
        return new Parts(m, p.footer());
    }

    /** The decoded footer of a token without verifying anything (to pick a key by {@code kid}). */
    public static byte[] untrustedFooter(String token) throws Invalid {
        int dot = footerDot(token);
        if (dot < 0) {
            return new byte[0];
        }
        byte[] f = Base64Url.decode(token.subSequence(dot + 1, token.length()));
        if (f == null) {
            throw new Invalid("footer is not base64url");
        }
        return f;
    }

    private static int footerDot(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return second < 0 ? -1 : token.indexOf('.', second + 1);
    }

    private static Parts split(String token, String header) throws Invalid {
        if (!token.startsWith(header)) {
            throw new Invalid("not a " + header + " token");
        }
        int dot = token.indexOf('.', header.length());
        int bodyEnd = dot < 0 ? token.length() : dot;
        if (dot >= 0 && token.indexOf('.', dot + 1) >= 0) {
            throw new Invalid("too many parts");
        }
        byte[] body = Base64Url.decode(token.subSequence(header.length(), bodyEnd));
        if (body == null) {
            throw new Invalid("body is not base64url");
        }
        byte[] footer = new byte[0];
        if (dot >= 0) {
            footer = Base64Url.decode(token.subSequence(dot + 1, token.length()));
            if (footer == null || footer.length == 0) {
                // an empty footer is written without its dot: "x." would be a second encoding of one token
                throw new Invalid("footer is not base64url");
            }
        }
        return new Parts(body, footer);
    }

    private static String assemble(String header, byte[] body, byte[] footer) {
        StringBuilder sb = new StringBuilder(header);
        Base64Url.encode(body, 0, body.length, sb);
        if (footer.length > 0) {
            sb.append('.');
            Base64Url.encode(footer, 0, footer.length, sb);
        }
        return sb.toString();
    }

    private static byte[] blake2b(byte[] key, int outLen, byte[]... input) {
        Blake2bDigest d = new Blake2bDigest(key, outLen, null, null);
        for (byte[] in : input) {
            d.update(in, 0, in.length);
        }
        byte[] out = new byte[outLen];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] xchacha(byte[] key, byte[] nonce, byte[] in) {
        XChaCha20Engine e = new XChaCha20Engine();
        e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] out = new byte[in.length];
        e.processBytes(in, 0, in.length, out, 0);
        return out;
    }
}
