package io.mediastore.storage.spi;

import io.mediastore.storage.BlobStore;
import java.net.URI;
import java.util.Set;

/**
 * Opens {@link BlobStore}s for one or more URI schemes, for {@link io.mediastore.storage.BlobStores}. Register an
 * implementation in {@code META-INF/services/io.mediastore.storage.spi.BlobStoreProvider} (it then needs a public
 * no-argument constructor) or install it with {@link io.mediastore.storage.BlobStores.Builder#provider}. Built in:
 * {@code file}, {@code s3}, {@code replicated}, {@code encrypted}. Each implementation must pass the
 * {@code BlobStoreProviderContract} test from this module's test jar.
 */
public interface BlobStoreProvider {

    /** The lower-case URI schemes this provider opens. */
    Set<String> schemes();

    /**
     * Opens a store.
     *
     * @param uri     a URI with one of {@link #schemes()}
     * @param context for nested URIs, key providers and components such as credentials
     * @throws IllegalArgumentException if the URI is malformed or has unknown parameters
     */
    BlobStore open(URI uri, OpenContext context);

    /** What a provider may use while opening a store. */
    interface OpenContext {
        /** Opens a nested store URI (for decorators such as replication and encryption). */
        BlobStore open(URI uri);

        /** A key provider by {@link KeyProvider#name()}: installed explicitly, else found by ServiceLoader. */
        java.util.Optional<KeyProvider> keyProvider(String name);

        /** A component installed with {@link io.mediastore.storage.BlobStores.Builder#component}. */
        <T> java.util.Optional<T> component(Class<T> type);
    }
}
