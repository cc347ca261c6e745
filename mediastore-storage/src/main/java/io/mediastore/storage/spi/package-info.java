/**
 * Extension points of io.mediastore.storage: {@link io.mediastore.storage.spi.BlobStoreProvider} (new URI schemes
 * for {@link io.mediastore.storage.BlobStores#open(java.net.URI)}) and {@link io.mediastore.storage.spi.KeyProvider}
 * (master keys for {@link io.mediastore.storage.EncryptingBlobStore}). Both are discovered through
 * {@link java.util.ServiceLoader} and can be installed explicitly in code.
 */
package io.mediastore.storage.spi;
