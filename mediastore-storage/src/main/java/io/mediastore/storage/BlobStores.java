package io.mediastore.storage;

import io.mediastore.storage.spi.BlobStoreProvider;
import io.mediastore.storage.spi.KeyProvider;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens blob stores from URIs, composing replication and encryption from configuration:
 *
 * <pre>
 * file:///var/lib/mediastore/blobs                       filesystem (fsync=false for caches and tests)
 * s3://bucket/optional/prefix/?region=eu-west-1&amp;sse=kms&amp;kmsKeyId=alias/media
 * s3://bucket/?endpoint=http://127.0.0.1:9000&amp;pathStyle=true   an S3-compatible server
 * replicated:?quorum=2&amp;replica=&lt;url-encoded URI&gt;&amp;replica=...   N replicas
 * encrypted:?keyring=/etc/mediastore/keys&amp;store=&lt;url-encoded URI&gt;  or keys=&lt;KeyProvider name&gt;
 * </pre>
 *
 * Unknown schemes and parameters are refused with {@link IllegalArgumentException}; credentials are never taken
 * from a URI (S3 uses an installed {@code AwsCredentialsProvider} component, else the SDK's default chain).
 * Providers come from {@link ServiceLoader} plus any installed with {@link Builder#provider}, which win.
 */
public final class BlobStores {
    private final Map<String, BlobStoreProvider> providers;
    private final Map<String, KeyProvider> keyProviders;
    private final Map<Class<?>, Object> components;

    private BlobStores(Builder b) {
        Map<String, BlobStoreProvider> p = new HashMap<>();
        for (BlobStoreProvider sp : ServiceLoader.load(BlobStoreProvider.class, BlobStores.class.getClassLoader())) {
            sp.schemes().forEach(s -> p.putIfAbsent(s.toLowerCase(Locale.ROOT), sp));
        }
        b.providers.forEach(sp -> sp.schemes().forEach(s -> p.put(s.toLowerCase(Locale.ROOT), sp)));
        this.providers = Map.copyOf(p);
        this.keyProviders = Map.copyOf(b.keyProviders);
        this.components = Map.copyOf(b.components);
    }

    /** Opens a store with the ServiceLoader-discovered providers. */
    public static BlobStore open(URI uri) {
        return builder().build().openStore(uri);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a store.
     *
     * @throws IllegalArgumentException on an unknown scheme or a malformed URI
     */
    public BlobStore openStore(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("store URIs take no fragment");
        }
        String scheme = uri.getScheme();
        BlobStoreProvider p = scheme == null ? null : providers.get(scheme.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("no blob store provider for scheme " + scheme);
        }
        return p.open(uri, new BlobStoreProvider.OpenContext() {
            @Override
            public BlobStore open(URI nested) {
                return openStore(nested);
            }

            @Override
            public Optional<KeyProvider> keyProvider(String name) {
                KeyProvider explicit = keyProviders.get(name);
                if (explicit != null) {
                    return Optional.of(explicit);
                }
                for (KeyProvider kp : ServiceLoader.load(KeyProvider.class, BlobStores.class.getClassLoader())) {
                    if (kp.name().equals(name)) {
                        return Optional.of(kp);
                    }
                }
                return Optional.empty();
            }

            @Override
            public <T> Optional<T> component(Class<T> type) {
                return Optional.ofNullable(type.cast(components.get(type)));
            }
        });
    }

    /** The schemes this instance can open. */
    public java.util.Set<String> schemes() {
        return providers.keySet();
    }

    /** Installs providers, key providers and components explicitly. */
    public static final class Builder {
        private final java.util.List<BlobStoreProvider> providers = new java.util.ArrayList<>();
        private final Map<String, KeyProvider> keyProviders = new HashMap<>();
        private final Map<Class<?>, Object> components = new HashMap<>();

        private Builder() {
        }

        /** A provider that takes precedence over discovered ones for its schemes. */
        public Builder provider(BlobStoreProvider provider) {
            providers.add(Objects.requireNonNull(provider));
            return this;
        }

        /** A key provider, found by its {@link KeyProvider#name()} from {@code encrypted:?keys=<name>}. */
        public Builder keyProvider(KeyProvider keys) {
            keyProviders.put(keys.name(), keys);
            return this;
        }

        /** A component for providers, such as an {@code AwsCredentialsProvider}. */
        public <T> Builder component(Class<T> type, T value) {
            components.put(type, type.cast(Objects.requireNonNull(value)));
            return this;
        }

        public BlobStores build() {
            return new BlobStores(this);
        }
    }
}
