package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.internal.Base64Url;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * The compact {@code ms1} format: {@code ms1.<kid>.<claims>.<tag>}, every part unpadded base64url
 * or a key id, so the token needs no escaping in a URL. The tag (HMAC-SHA-256, or Ed25519 for
 * Ed25519 keys) covers the ASCII of everything before the last dot. Claims are a small binary record:
 *
 * <pre>
 * id[16] iat[8] nbf[8] exp[8] (epoch seconds, big-endian) maxUses(varint) flags[1]
 * subject(varint length + UTF-8) resource(varint length + UTF-8) count[1] actions(varint length + UTF-8)*
 * [network: length[1] address[4|16] prefix[1]] [session hash[16]] [audience(varint length + UTF-8)]
 * </pre>
 *
 * Verification allocates only what the returned {@link Grant} holds: per-thread scratch buffers take
 * the token's bytes, the tag and the decoded claims, and the tag is checked before any claim is read.
 */
final class CompactCodec {
    static final String PREFIX = "ms1.";
    static final int TOKEN_ID_BYTES = 16;
    private static final int FLAG_PREFIX = 1;
    private static final int FLAG_NETWORK = 2;
    private static final int FLAG_SESSION = 4;
    private static final int FLAG_AUDIENCE = 8;
    private static final int KNOWN_FLAGS = 15;

    /** Per-thread scratch space, sized for the largest token a service accepts. */
    static final class Scratch {
        byte[] buf = new byte[1024];
        final byte[] mac = new byte[32];
        final byte[] tag = new byte[32];
        final byte[] sig = new byte[64];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private CompactCodec() {
    }

    // ---------------------------------------------------------------- issue

    static String encode(TokenKey key, byte[] tokenId, Grant g) {
        Writer w = new Writer();
        w.bytes(tokenId);
        w.int64(g.issuedAt().getEpochSecond());
        w.int64(g.notBefore().getEpochSecond());
        w.int64(g.expiresAt().getEpochSecond());
        w.varint(g.maxUses());
        Bindings b = g.bindings();
        int flags = (g.resource().prefix() ? FLAG_PREFIX : 0) | (b.networkBytes() != null ? FLAG_NETWORK : 0)
                | (b.sessionHash() != null ? FLAG_SESSION : 0) | (b.audience().isPresent() ? FLAG_AUDIENCE : 0);
        w.u8(flags);
        w.text(g.subject());
        w.text(g.resource().value());
        w.u8(g.actions().size());
        for (String a : g.actions()) {
            w.text(a);
        }
        if (b.networkBytes() != null) {
            w.u8(b.networkBytes().length);
            w.bytes(b.networkBytes());
            w.u8(b.prefixBits());
        }
        if (b.sessionHash() != null) {
            w.bytes(b.sessionHash());
        }
        b.audience().ifPresent(w::text);

        StringBuilder sb = new StringBuilder(PREFIX.length() + key.keyId().length() + w.len * 4 / 3 + 96);
        sb.append(PREFIX).append(key.keyId()).append('.');
        Base64Url.encode(w.buf, 0, w.len, sb);
        byte[] signed = sb.toString().getBytes(StandardCharsets.US_ASCII);
        sb.append('.');
        if (key.type() == KeyType.HMAC_SHA256) {
            byte[] mac = new byte[32];
            key.hmac(signed, 0, signed.length, mac);
            Base64Url.encode(mac, 0, 32, sb);
        } else {
            byte[] sig = new byte[64];
            key.sign(signed, 0, signed.length, sig, 0);
            Base64Url.encode(sig, 0, 64, sb);
        }
        return sb.toString();
    }

    private static final class Writer {
        byte[] buf = new byte[256];
        int len;

        void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void int64(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }

        void varint(int v) {
            while ((v & ~0x7f) != 0) {
                u8((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            u8(v);
        }

        void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            bytes(b);
        }
    }

    // ---------------------------------------------------------------- verify

    /** Checks the tag and decodes the claims; times, scope and bindings are the caller's. */
    static Grant decode(String token, KeyRing ring) {
        int n = token.length();
        int kidEnd = token.indexOf('.', PREFIX.length());
        int lastDot = token.lastIndexOf('.');
        if (kidEnd < 0 || lastDot <= kidEnd || token.indexOf('.', kidEnd + 1) != lastDot) {
            throw TokenService.reject(Reason.MALFORMED, "not a ms1 token");
        }
        if (kidEnd == PREFIX.length() || kidEnd - PREFIX.length() > 64) {
            throw TokenService.reject(Reason.MALFORMED, "bad key id");
        }
        TokenKey key = ring.find(token, PREFIX.length(), kidEnd);
        if (key == null) {
            throw TokenService.reject(Reason.UNKNOWN_KEY, "no key with the token's key id");
        }
        Scratch s = SCRATCH.get();
        if (s.buf.length < n) {
            s.buf = new byte[Math.max(n, s.buf.length * 2)];
        }
        byte[] buf = s.buf;
        for (int i = 0; i < lastDot; i++) {
            char c = token.charAt(i);
            if (c > 0x7f) {
                throw TokenService.reject(Reason.MALFORMED, "not ASCII");
            }
            buf[i] = (byte) c;
        }
        switch (key.type()) {
            case HMAC_SHA256: {
                if (Base64Url.decode(token, lastDot + 1, n, s.tag, 0) != 32) {
                    throw TokenService.reject(Reason.MALFORMED, "bad tag encoding");
                }
                key.hmac(buf, 0, lastDot, s.mac);
                if (!MessageDigest.isEqual(s.mac, s.tag)) {
                    throw TokenService.reject(Reason.BAD_SIGNATURE, "MAC mismatch");
                }
                break;
            }
            case ED25519: {
                if (Base64Url.decode(token, lastDot + 1, n, s.sig, 0) != 64) {
                    throw TokenService.reject(Reason.MALFORMED, "bad signature encoding");
                }
                if (!key.verifySignature(s.sig, 0, buf, 0, lastDot)) {
                    throw TokenService.reject(Reason.BAD_SIGNATURE, "signature mismatch");
                }
                break;
            }
            default:
                // the key decides: a PASETO key never accepts an ms1 token
                throw TokenService.reject(Reason.BAD_SIGNATURE, "the key with this id is not an ms1 key");
        }
        int len = Base64Url.decode(token, kidEnd + 1, lastDot, buf, 0);
        if (len < 0) {
            throw TokenService.reject(Reason.MALFORMED, "bad claims encoding");
        }
        return new Reader(buf, len).grant(key.keyId());
    }

    /** Claims reader; authentic input from our issuer, still fully bounds-checked. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int p;

        Reader(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        Grant grant(String keyId) {
            need(TOKEN_ID_BYTES + 24);
            String id = Base64Url.encode(b, 0, TOKEN_ID_BYTES, new StringBuilder(22)).toString();
            p = TOKEN_ID_BYTES;
            long iat = int64();
            long nbf = int64();
            long exp = int64();
            int maxUses = varint();
            int flags = u8();
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw malformed();
            }
            String subject = text();
            String resource = text();
            int count = u8();
            if (count < 1 || count > TokenSpec.MAX_ACTIONS) {
                throw malformed();
            }
            Set<String> actions;
            if (count == 1) {
                actions = Set.of(text());
            } else {
                String[] a = new String[count];
                for (int i = 0; i < count; i++) {
                    a[i] = text();
                }
                try {
                    actions = Set.of(a);
                } catch (IllegalArgumentException e) {
                    throw malformed();
                }
            }
            Bindings bindings = Bindings.none();
            if ((flags & (FLAG_NETWORK | FLAG_SESSION | FLAG_AUDIENCE)) != 0) {
                byte[] net = null;
                int bits = 0;
                byte[] session = null;
                String audience = null;
                if ((flags & FLAG_NETWORK) != 0) {
                    int al = u8();
                    if (al != 4 && al != 16) {
                        throw malformed();
                    }
                    net = raw(al);
                    bits = u8();
                    if (bits > al * 8) {
                        throw malformed();
                    }
                }
                if ((flags & FLAG_SESSION) != 0) {
                    session = raw(Bindings.SESSION_HASH_BYTES);
                }
                if ((flags & FLAG_AUDIENCE) != 0) {
                    audience = text();
                }
                bindings = new Bindings(net, bits, session, audience);
            }
            if (p != end) {
                throw malformed();
            }
            try {
                return new Grant(id, keyId, subject, new Resource(resource, (flags & FLAG_PREFIX) != 0), actions,
                        Instant.ofEpochSecond(iat), Instant.ofEpochSecond(nbf), Instant.ofEpochSecond(exp),
                        maxUses, bindings);
            } catch (RuntimeException e) {
                throw malformed();
            }
        }

        private TokenRejectedException malformed() {
            return TokenService.reject(Reason.MALFORMED, "bad claims");
        }

        private void need(int n) {
            if (n < 0 || end - p < n) {
                throw malformed();
            }
        }

        int u8() {
            need(1);
            return b[p++] & 0xff;
        }

        long int64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (b[p++] & 0xff);
            }
            if (v < 0 || v > Instant.MAX.getEpochSecond()) {
                throw malformed();
            }
            return v;
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int x = u8();
                v |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (v < 0) {
                        throw malformed();
                    }
                    return v;
                }
            }
            throw malformed();
        }

        String text() {
            int n = varint();
            need(n);
            String s = new String(b, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }

        byte[] raw(int n) {
            need(n);
            byte[] r = Arrays.copyOfRange(b, p, p + n);
            p += n;
            return r;
        }
    }
}
