package io.mediastore.samples.server.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The deployment's secrets, from one owner-only properties file (generated on first start):
 * {@code <family>.current=<id>} and {@code <family>.<id>=<base64 of 32 bytes>} for each family
 * ({@code pepper}, {@code hls.masterKey}, {@code storage.key}, {@code tokens.wrapKey}). Older ids stay in
 * the file after a rotation so that data under them still opens. Never printed; {@link #toString()} hides all.
 */
public final class Secrets {
    public static final String PEPPER = "pepper";
    public static final String HLS_MASTER = "hls.masterKey";
    public static final String STORAGE = "storage.key";
    public static final String TOKEN_WRAP = "tokens.wrapKey";
    private static final String[] FAMILIES = {PEPPER, HLS_MASTER, STORAGE, TOKEN_WRAP};
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One family: the current id and every id's key bytes. */
    public record Family(String current, Map<String, byte[]> keys) {
        public byte[] currentKey() {
            return keys.get(current).clone();
        }

        public byte[] key(String id) {
            byte[] k = keys.get(id);
            return k == null ? null : k.clone();
        }

        @Override
        public String toString() {
            return "Family[current=" + current + ", ids=" + keys.keySet() + "]";
        }
    }

    private final Path file;
    private final Map<String, Family> families;

    private Secrets(Path file, Map<String, Family> families) {
        this.file = file;
        this.families = Map.copyOf(families);
    }

    /** Reads the file, generating it (or any missing family) first. */
    public static synchronized Secrets loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        boolean changed = false;
        for (String f : FAMILIES) {
            if (p.getProperty(f + ".current") == null) {
                String id = f.replace('.', '-') + "-1";
                p.setProperty(f + ".current", id);
                p.setProperty(f + "." + id, fresh());
                changed = true;
            }
        }
        if (changed) {
            write(file, p);
        }
        return parse(file, p);
    }

    /** Adds a fresh key to {@code family}, makes it current, keeps the old ones; writes the file; returns the new state. */
    public static synchronized Secrets rotate(Path file, String family) throws IOException {
        Secrets now = loadOrCreate(file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int n = now.family(family).keys().size() + 1;
        String id;
        do {
            id = family.replace('.', '-') + "-" + n++;
        } while (p.getProperty(family + "." + id) != null);
        p.setProperty(family + "." + id, fresh());
        p.setProperty(family + ".current", id);
        write(file, p);
        return parse(file, p);
    }

    private static Secrets parse(Path file, Properties p) {
        Map<String, Family> out = new LinkedHashMap<>();
        for (String f : FAMILIES) {
            String current = p.getProperty(f + ".current");
            Map<String, byte[]> keys = new TreeMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith(f + ".") && !name.equals(f + ".current")) {
                    String id = name.substring(f.length() + 1);
                    if (id.contains(".")) {
                        continue; // another family's entry (hls.masterKey vs hls.*)
                    }
                    byte[] k = Base64.getDecoder().decode(p.getProperty(name).strip());
                    if (k.length != 32) {
                        throw new IllegalStateException("secret " + f + "." + id + " in " + file + " is not 32 bytes");
                    }
                    keys.put(id, k);
                }
            }
            if (!keys.containsKey(current)) {
                throw new IllegalStateException(file + ": " + f + ".current names a key that is not in the file");
            }
            out.put(f, new Family(current, Map.copyOf(keys)));
        }
        return new Secrets(file, out);
    }

    private static String fresh() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static void write(Path file, Properties p) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".secrets", ".tmp");
        try {
            OwnerOnly.restrict(tmp);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "MediaStore reference server secrets: keep private, back up, never commit");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public Family family(String name) {
        Family f = families.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no secret family " + name);
        }
        return f;
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "Secrets[" + file + ", hidden]";
    }
}
