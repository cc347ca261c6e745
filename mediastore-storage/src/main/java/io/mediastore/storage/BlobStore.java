package io.mediastore.storage;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Private blob storage: put a stream under a key, read it back whole or by range, list, copy, delete.
 *
 * <p>Every implementation streams with bounded memory (no object is ever held whole in memory), makes a put
 * visible atomically (readers see the old blob or the new one, never a mix or a partial blob), and reports
 * failures as {@link BlobStoreException} with a {@link BlobStoreException.Reason}. Implementations are
 * thread-safe. {@link BlobStores#open(URI)} opens one from a URI; the behaviour every implementation must show is
 * pinned down by the {@code BlobStoreContract} test in this module's test jar.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores the stream's bytes (of any, unknown length) under {@code key}, replacing any blob there. The stream
     * is read to its end but not closed.
     *
     * @return the stored blob's info, always with its size and SHA-256
     * @throws BlobStoreException SOURCE_FAILED if reading {@code content} failed (nothing is stored), or another
     *                            reason if the backend failed
     */
    BlobInfo put(BlobKey key, InputStream content, PutOptions options);

    /** {@link #put(BlobKey, InputStream, PutOptions)} with {@link PutOptions#defaults()}. */
    default BlobInfo put(BlobKey key, InputStream content) {
        return put(key, content, PutOptions.defaults());
    }

    /**
     * Stores like {@link #put(BlobKey, InputStream, PutOptions)}, but only if {@code key} holds no blob when the new
     * one would become visible: of two such puts racing for a free key, one stores and the other changes nothing. The
     * filesystem and S3 stores check and store in one step (S3: where the server honours conditional requests, as
     * AWS does); {@link ReplicatedBlobStore} counts the replicas where it held; this default checks first, so a put
     * between its check and its own can still be replaced.
     *
     * @throws BlobStoreException CHANGED if a blob is there (the stream may have been read; nothing is stored, except
     *                            that a replicated store may leave the bytes on some replicas, as a failed put may)
     */
    default BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        if (stat(key).isPresent()) {
            throw BlobStoreException.present(key);
        }
        return put(key, content, options);
    }

    /**
     * Stores like {@link #put(BlobKey, InputStream, PutOptions)}, but only while {@code key} still holds the blob
     * whose SHA-256 {@link #stat} reported ({@code expectedSha256}, hex): a put or delete landing in between is
     * never overwritten. Which stores check and store in one step: as for {@link #putIfAbsent}; this default checks
     * first, so a write between its check and its own can still be replaced.
     *
     * @throws BlobStoreException NOT_FOUND if there is no such blob, CHANGED if it now has another digest or none
     *                            (the stream may have been read; nothing is stored, with the same exception for a
     *                            replicated store as for {@link #putIfAbsent}), UNSUPPORTED where no digest can be
     *                            named (an encrypting store)
     */
    default BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        java.util.Objects.requireNonNull(expectedSha256, "expectedSha256");
        BlobInfo now = stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
        if (!now.sha256().map(expectedSha256::equals).orElse(false)) {
            throw BlobStoreException.changed(key);
        }
        return put(key, content, options);
    }

    /**
     * Opens the whole blob. When the store recorded the blob's SHA-256, the stream checks it and its last
     * {@code read} throws {@link BlobStoreException} INTEGRITY on a mismatch instead of reporting the end.
     * Close the stream.
     *
     * @throws BlobStoreException NOT_FOUND if there is no such blob
     */
    InputStream get(BlobKey key);

    /**
     * Opens a byte range of the blob (see {@link ByteRange} for ranges past the end).
     *
     * @throws BlobStoreException NOT_FOUND, or RANGE_NOT_SATISFIABLE
     */
    InputStream get(BlobKey key, ByteRange range);

    /** The blob's info, or empty if there is none. */
    Optional<BlobInfo> stat(BlobKey key);

    /** Deletes the blob if it exists; deleting a missing blob is not an error. */
    void delete(BlobKey key);

    /**
     * One page of the blobs whose keys start with {@code prefix}, in UTF-8 byte order.
     *
     * @param prefix    "" for all, else checked by {@link BlobKey#checkPrefix(String)}
     * @param pageToken null for the first page, else the previous page's {@link BlobPage#nextPageToken()}
     * @param pageSize  1 to 1000
     * @throws IllegalArgumentException on a bad prefix, token or page size
     */
    BlobPage list(String prefix, String pageToken, int pageSize);

    /** All blobs under {@code prefix}, fetched page by page as the stream is consumed. */
    default Stream<BlobSummary> listAll(String prefix) {
        BlobStore self = this;
        Spliterator<BlobSummary> pages = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private java.util.Iterator<BlobSummary> current = java.util.Collections.emptyIterator();
            private String token;
            private boolean done;

            @Override
            public boolean tryAdvance(Consumer<? super BlobSummary> action) {
                while (!current.hasNext()) {
                    if (done) {
                        return false;
                    }
                    BlobPage page = self.list(prefix, token, 1000);
                    current = page.items().iterator();
                    token = page.nextPageToken().orElse(null);
                    done = token == null;
                }
                action.accept(current.next());
                return true;
            }
        };
        return StreamSupport.stream(pages, false);
    }

    /**
     * Copies a blob inside this store (server-side where the backend can), replacing any blob at {@code target}.
     *
     * @throws BlobStoreException NOT_FOUND if {@code source} does not exist
     */
    BlobInfo copy(BlobKey source, BlobKey target);

    /**
     * Copies a blob like {@link #copy(BlobKey, BlobKey)} but gives the copy the content type and user metadata of
     * {@code options}, in the same step: nobody ever sees the target with the new content and the old metadata.
     *
     * @throws BlobStoreException NOT_FOUND if {@code source} does not exist
     */
    BlobInfo copy(BlobKey source, BlobKey target, PutOptions options);

    /**
     * Replaces the content type and user metadata of a blob without sending its content through this process
     * (backends that cannot change metadata in place rewrite the blob server-side).
     *
     * @throws BlobStoreException NOT_FOUND if there is no such blob
     */
    BlobInfo replaceMetadata(BlobKey key, PutOptions options);

    /**
     * Like {@link #replaceMetadata(BlobKey, PutOptions)}, but only while the blob still has the SHA-256 that
     * {@link #stat} reported ({@code expectedSha256}, hex). A read-modify-write of metadata needs this: without it a
     * put landing in between would get the old metadata (for an encrypted blob, another blob's key envelope). The
     * built-in stores check and replace in one step; this default checks first, so a write between its check and
     * the replacement can still slip through.
     *
     * @throws BlobStoreException NOT_FOUND if there is no such blob, CHANGED if it now has another digest or none
     */
    default BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        java.util.Objects.requireNonNull(expectedSha256, "expectedSha256");
        BlobInfo now = stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
        if (!now.sha256().map(expectedSha256::equals).orElse(false)) {
            throw BlobStoreException.changed(key);
        }
        return replaceMetadata(key, options);
    }

    /**
     * A URL that lets anyone holding it GET the blob until it expires, for backends that can sign one.
     * Treat the URL as a secret: it is a bearer credential.
     *
     * @param lifetime positive and at most the store's configured maximum (15 minutes unless configured)
     * @throws BlobStoreException UNSUPPORTED on backends without presigning (filesystem, encrypted stores)
     */
    default URI presignGet(BlobKey key, Duration lifetime) {
        throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED,
                getClass().getSimpleName() + " cannot presign URLs");
    }

    /**
     * Where a blob can be read from, in the order reads try them: the store itself, unless it keeps several copies
     * ({@link ReplicatedBlobStore} answers every replica's sources, in replica order). A range read cannot tell a corrupt copy from a good one, but a decorator that
     * authenticates what it reads can: {@link EncryptingBlobStore} moves on to the next source when a copy fails
     * its check or goes away in the middle of a read. Sources only read, so every write still goes through the
     * store (and a replicated store's quorum).
     */
    default List<ReadSource> readSources(BlobKey key) {
        BlobStore self = this;
        return List.of(new ReadSource() {
            @Override
            public Optional<BlobInfo> stat(BlobKey key) {
                return self.stat(key);
            }

            @Override
            public InputStream get(BlobKey key, ByteRange range) {
                return self.get(key, range);
            }
        });
    }

    /** Reads of one copy of a store's blobs: see {@link BlobStore#readSources(BlobKey)}. */
    interface ReadSource {
        /** The copy's info for the blob, or empty if this copy has none. */
        Optional<BlobInfo> stat(BlobKey key);

        /** A byte range of this copy, as {@link BlobStore#get(BlobKey, ByteRange)} reads it. */
        InputStream get(BlobKey key, ByteRange range);
    }

    /** Releases clients and threads; the store is unusable afterwards. */
    @Override
    void close();
}
