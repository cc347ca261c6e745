package io.mediastore.samples.server.internal;

import io.mediastore.passwords.PasswordHasher;
import io.mediastore.passwords.PepperKey;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What changes while the server runs: the secrets (rotation), the password hasher built on the current pepper,
 * and the public URLs (known once the connectors are bound).
 */
public final class Runtime {
    private final Path secretsFile;
    private volatile Secrets secrets;
    private volatile PasswordHasher hasher;
    private volatile URI apiOrigin;
    private volatile URI webOrigin;
    private volatile List<String> corsOrigins = List.of();

    public Runtime(Path secretsFile) throws IOException {
        this.secretsFile = secretsFile;
        this.secrets = Secrets.loadOrCreate(secretsFile);
        this.hasher = buildHasher(secrets);
    }

    static PasswordHasher buildHasher(Secrets s) {
        Secrets.Family f = s.family(Secrets.PEPPER);
        PasswordHasher.Builder b = PasswordHasher.builder();
        for (Map.Entry<String, byte[]> e : f.keys().entrySet()) {
            PepperKey k = PepperKey.of(e.getKey(), e.getValue().clone());
            if (e.getKey().equals(f.current())) {
                b.pepper(k);
            } else {
                b.acceptPepperKey(k);
            }
        }
        // legacy verifiers (LegacyVerifier plugins on the classpath) are discovered by ServiceLoader
        return b.build();
    }

    public Supplier<Secrets> secrets() {
        return () -> secrets;
    }

    public Supplier<PasswordHasher> hasher() {
        return () -> hasher;
    }

    /** Rotates one family in the secrets file and reloads this node's view of the secrets. */
    public synchronized Secrets rotate(String family) throws IOException {
        secrets = Secrets.rotate(secretsFile, family);
        if (family.equals(Secrets.PEPPER)) {
            hasher = buildHasher(secrets);
        }
        return secrets;
    }

    /** Re-reads the secrets file (another node rotated a family). */
    public synchronized void reloadSecrets() throws IOException {
        Secrets s = Secrets.loadOrCreate(secretsFile);
        boolean pepperChanged = !s.family(Secrets.PEPPER).current().equals(secrets.family(Secrets.PEPPER).current());
        secrets = s;
        if (pepperChanged) {
            hasher = buildHasher(s);
        }
    }

    public void urls(URI api, URI web, List<String> cors) {
        this.apiOrigin = api;
        this.webOrigin = web;
        this.corsOrigins = List.copyOf(cors);
    }

    public Supplier<URI> apiOrigin() {
        return () -> apiOrigin;
    }

    public URI webOrigin() {
        return webOrigin;
    }

    public Supplier<List<String>> corsOrigins() {
        return () -> corsOrigins;
    }
}
