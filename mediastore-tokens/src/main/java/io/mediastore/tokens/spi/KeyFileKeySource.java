package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.TokenKey;
import io.mediastore.tokens.internal.Base64Url;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keys from a text file, re-read when it changes (checked at most once per interval), so rotation
 * is editing the file on every node: no restart, no downtime. The format, one entry a line:
 *
 * <pre>
 * # comment
 * key  2026-12  HMAC_SHA256       secret  &lt;base64url of 32+ bytes&gt;
 * key  edge-1   ED25519           public  &lt;base64url of the 32-byte public key&gt;
 * key  edge-2   ED25519           private &lt;base64url of the 32-byte seed&gt;
 * active 2026-12
 * </pre>
 *
 * Without an {@code active} line the ring is verify-only. A file that fails to parse on reload is
 * ignored (the previous ring stays, a warning without key material is logged); at construction it
 * throws. Protect the file like any secret (mode 0600).
 */
public final class KeyFileKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFileKeySource.class);

    private final Path file;
    private final long intervalNanos;
    private volatile KeyRing ring;
    /** SHA-256 of the file as last loaded: a change is a change of content, whatever its timestamp says. */
    private volatile byte[] loadedDigest;
    private volatile long nextCheck;

    public KeyFileKeySource(Path file) {
        this(file, Duration.ofSeconds(1));
    }

    public KeyFileKeySource(Path file, Duration checkInterval) {
        this.file = Objects.requireNonNull(file, "file");
        this.intervalNanos = checkInterval.toNanos();
        try {
            byte[] content = Files.readAllBytes(file);
            this.ring = parse(lines(content));
            this.loadedDigest = digest(content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key file " + file, e);
        }
        this.nextCheck = System.nanoTime() + intervalNanos;
    }

    @Override
    public KeyRing keyRing() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            reloadIfChanged(now);
        }
        return ring;
    }

    private synchronized void reloadIfChanged(long now) {
        if (now - nextCheck < 0) {
            return;
        }
        nextCheck = now + intervalNanos;
        try {
            // the whole (small) file, not its timestamp: two edits within the file system's timestamp resolution,
            // or a copy that keeps the old time, would otherwise never be loaded
            byte[] content = Files.readAllBytes(file);
            byte[] digest = digest(content);
            if (!java.security.MessageDigest.isEqual(digest, loadedDigest)) {
                ring = parse(lines(content));
                loadedDigest = digest;
                LOG.info("token keys reloaded from {}: {}", file, ring);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("token key file {} not reloaded, keeping the previous keys: {}", file, e.getMessage());
        }
    }

    private static List<String> lines(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).lines().toList();
    }

    private static byte[] digest(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Parses key file lines into a ring. */
    static KeyRing parse(List<String> lines) {
        List<TokenKey> keys = new ArrayList<>();
        String active = null;
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("active") && f.length == 2) {
                if (active != null) {
                    throw new IllegalArgumentException("line " + n + ": a second active line");
                }
                active = f[1];
            } else if (f[0].equals("key") && f.length == 5) {
                keys.add(key(n, f[1], f[2], f[3], f[4]));
            } else {
                throw new IllegalArgumentException("line " + n + ": expected 'key <id> <type> <secret|private|public> <base64url>' or 'active <id>'");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys");
        }
        if (active == null) {
            return KeyRing.verifyOnly(keys);
        }
        String activeId = active;
        TokenKey a = keys.stream().filter(k -> k.keyId().equals(activeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the active key " + activeId + " is not listed"));
        List<TokenKey> others = new ArrayList<>(keys);
        others.remove(a);
        return KeyRing.of(a, others.toArray(new TokenKey[0]));
    }

    private static TokenKey key(int line, String id, String typeName, String kind, String material) {
        KeyType type;
        try {
            type = KeyType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            // never echo a field (a hand edit may have swapped in the material), nor chain valueOf's message
            throw new IllegalArgumentException("line " + line + ": the third field is not a key type (one of "
                    + Arrays.toString(KeyType.values()) + ")");
        }
        byte[] bytes = Base64Url.decode(material);
        if (bytes == null) {
            // never echo the material: it is a secret
            throw new IllegalArgumentException("line " + line + ": key material is not unpadded base64url");
        }
        TokenKey k = null;
        try {
            if (kind.equals("secret") && type == KeyType.HMAC_SHA256) {
                k = TokenKey.hmacSha256(id, bytes);
            } else if (kind.equals("secret") && type == KeyType.PASETO_V4_LOCAL) {
                k = TokenKey.pasetoV4Local(id, bytes);
            } else if (kind.equals("private") && type.isAsymmetric()) {
                k = TokenKey.ed25519Private(id, type, bytes);
            } else if (kind.equals("public") && type.isAsymmetric()) {
                k = TokenKey.ed25519Public(id, type, bytes);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (k == null) {
            throw new IllegalArgumentException("line " + line + ": the fourth field is not a kind a " + type
                    + " key can have (secret for HMAC_SHA256 and PASETO_V4_LOCAL, private or public for the others)");
        }
        return k;
    }

    /** The key file text for a ring (contains secrets: write it with mode 0600). */
    public static String format(KeyRing ring) {
        StringBuilder sb = new StringBuilder("# MediaStore token keys\n");
        for (String id : ring.keyIds()) {
            TokenKey k = ring.find(id).orElseThrow();
            sb.append("key ").append(id).append(' ').append(k.type()).append(' ');
            if (!k.canSign()) {
                sb.append("public ").append(Base64Url.encode(k.publicKeyBytes()));
            } else {
                byte[] secret = k.insecureExportSecretMaterial();
                sb.append(k.type().isAsymmetric() ? "private " : "secret ").append(Base64Url.encode(secret));
                Arrays.fill(secret, (byte) 0);
            }
            sb.append('\n');
        }
        ring.active().ifPresent(a -> sb.append("active ").append(a.keyId()).append('\n'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "KeyFileKeySource[" + file + ", " + ring + "]";
    }
}
