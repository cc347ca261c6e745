package io.mediastore.tokens;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of token keys: at most one active signing key and any number of verify-only keys,
 * found by key id. Rotation is a new ring: add the next key as verify-only, roll it out, make it
 * active, and drop the old one once its last token has expired.
 */
public final class KeyRing {
    private final TokenKey active;
    private final TokenKey[] keys;

    private KeyRing(TokenKey active, TokenKey[] keys) {
        this.active = active;
        this.keys = keys;
    }

    /**
     * A ring that signs with {@code active} and verifies with it and every key in {@code others}.
     *
     * @throws IllegalArgumentException if the active key cannot sign or two keys share a key id
     */
    public static KeyRing of(TokenKey active, TokenKey... others) {
        Objects.requireNonNull(active, "active");
        if (!active.canSign()) {
            throw new IllegalArgumentException("the active key " + active.keyId() + " is verify-only");
        }
        List<TokenKey> all = new ArrayList<>();
        all.add(active);
        Collections.addAll(all, others);
        return new KeyRing(active, unique(all));
    }

    /** A ring that only verifies (an edge node holding public keys): {@link TokenService#issue} fails with it. */
    public static KeyRing verifyOnly(Collection<TokenKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        return new KeyRing(null, unique(new ArrayList<>(keys)));
    }

    private static TokenKey[] unique(List<TokenKey> keys) {
        Set<String> ids = new HashSet<>();
        for (TokenKey k : keys) {
            if (!ids.add(Objects.requireNonNull(k, "key").keyId())) {
                throw new IllegalArgumentException("duplicate key id " + k.keyId());
            }
        }
        return keys.toArray(new TokenKey[0]);
    }

    /** The signing key, if this ring can issue. */
    public Optional<TokenKey> active() {
        return Optional.ofNullable(active);
    }

    /** The key with this id. */
    public Optional<TokenKey> find(String keyId) {
        return Optional.ofNullable(find(keyId, 0, keyId.length()));
    }

    /** Lookup by a region of a token, so the hot path does not cut a String out of it. */
    TokenKey find(CharSequence s, int from, int to) {
        int len = to - from;
        for (TokenKey k : keys) {
            String id = k.keyId();
            if (id.length() == len && regionEquals(id, s, from)) {
                return k;
            }
        }
        return null;
    }

    private static boolean regionEquals(String id, CharSequence s, int from) {
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != s.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    /** Every key id in the ring. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>(keys.length);
        for (TokenKey k : keys) {
            ids.add(k.keyId());
        }
        return ids;
    }

    @Override
    public String toString() {
        return "KeyRing[active=" + (active == null ? "none" : active.keyId()) + ", keys=" + keyIds() + "]";
    }
}
