package io.mediastore.tokens;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional ties of a token to its client: an IP network (a single address or a CIDR block), a session
 * id and an audience. A bound token is refused with {@code BINDING_MISMATCH} when the request does not
 * match, or does not say.
 *
 * <p>The session id travels only as a truncated SHA-256, so a token leaked from a URL does not leak the
 * session cookie it is bound to.
 */
public final class Bindings {
    static final int SESSION_HASH_BYTES = 16;
    private static final Bindings NONE = new Bindings(null, 0, null, null);

    private final byte[] network;
    private final int prefixBits;
    private final byte[] sessionHash;
    private final String audience;

    Bindings(byte[] network, int prefixBits, byte[] sessionHash, String audience) {
        this.network = network;
        this.prefixBits = prefixBits;
        this.sessionHash = sessionHash;
        this.audience = audience;
    }

    /** No bindings. */
    public static Bindings none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The client network as CIDR text, for example {@code 203.0.113.0/24}. */
    public Optional<String> clientNetwork() {
        if (network == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the token is bound to a session. */
    public boolean sessionBound() {
        return sessionHash != null;
    }

    public Optional<String> audience() {
        return Optional.ofNullable(audience);
    }

    public boolean isEmpty() {
        return network == null && sessionHash == null && audience == null;
    }

    byte[] networkBytes() {
        return network;
    }

    int prefixBits() {
        return prefixBits;
    }

    byte[] sessionHash() {
        return sessionHash;
    }

    /** Null when the client matches every binding, else which binding failed (never a secret). */
    String mismatch(ClientContext client) {
        if (network != null) {
            InetAddress a = client.address();
            if (a == null || !inNetwork(a.getAddress())) {
                return "client address outside the bound network";
            }
        }
        if (sessionHash != null) {
            if (client.sessionId() == null || !MessageDigest.isEqual(sessionHash, hashSession(client.sessionId()))) {
                return "session does not match";
            }
        }
        if (audience != null && !audience.equals(client.audience())) {
            return "audience does not match";
        }
        return null;
    }

    private boolean inNetwork(byte[] addr) {
        if (addr.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    static byte[] hashSession(String sessionId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    ("mediastore-token-session\0" + sessionId).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(h, SESSION_HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses an IP literal or CIDR block without ever resolving a host name. */
    static Bindings withNetwork(Bindings b, String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        String ip = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v6 = ip.indexOf(':') >= 0;
        if (ip.isEmpty()) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
        }
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.'
                    || v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
            }
        }
        byte[] addr;
        if (v6) {
            // a string with ':' is never a host name, so this parses the literal and resolves nothing
            try {
                addr = InetAddress.getByName(ip).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr, e);
            }
        } else {
            // digits and dots that are not four octets ("1.2.3.4.5") would be looked up as a host name
            addr = ipv4(ip);
            if (addr == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
            }
        }
        int bits = addr.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr, e);
            }
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
        }
        return new Bindings(mask(addr, bits), bits, b.sessionHash, b.audience);
    }

    /** Four decimal octets 0-255 without leading zeros, or null. */
    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') {
                return null;
            }
            int v = Integer.parseInt(p); // only digits got this far
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static byte[] mask(byte[] addr, int bits) {
        byte[] m = addr.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            m[i] = (byte) (m[i] & ((0xff << (8 - keep)) & 0xff));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bindings b && Arrays.equals(network, b.network) && prefixBits == b.prefixBits
                && Arrays.equals(sessionHash, b.sessionHash) && Objects.equals(audience, b.audience);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(network), prefixBits, Arrays.hashCode(sessionHash), audience);
    }

    @Override
    public String toString() {
        return "Bindings[network=" + clientNetwork().orElse(null) + ", session=" + sessionBound()
                + ", audience=" + audience + "]";
    }

    /** Builds {@link Bindings}; every setter validates at once. */
    public static final class Builder {
        private Bindings b = NONE;

        private Builder() {
        }

        /** Bind to one IP address or a CIDR block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
        public Builder clientNetwork(String cidr) {
            b = withNetwork(b, cidr);
            return this;
        }

        /** Bind to exactly this client address. */
        public Builder clientAddress(InetAddress address) {
            byte[] a = address.getAddress();
            b = new Bindings(a, a.length * 8, b.sessionHash, b.audience);
            return this;
        }

        public Builder sessionId(String sessionId) {
            if (Objects.requireNonNull(sessionId, "sessionId").isEmpty()) {
                throw new IllegalArgumentException("empty session id");
            }
            b = new Bindings(b.network, b.prefixBits, hashSession(sessionId), b.audience);
            return this;
        }

        public Builder audience(String audience) {
            if (Objects.requireNonNull(audience, "audience").isEmpty() || audience.length() > 256) {
                throw new IllegalArgumentException("an audience has 1 to 256 characters");
            }
            b = new Bindings(b.network, b.prefixBits, b.sessionHash, audience);
            return this;
        }

        public Bindings build() {
            return b;
        }
    }
}
