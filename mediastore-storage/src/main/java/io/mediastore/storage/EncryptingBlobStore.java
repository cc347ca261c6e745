package io.mediastore.storage;

import io.mediastore.storage.internal.BulkInputStream;
import io.mediastore.storage.internal.Sha256;
import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.WrappedKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side envelope encryption over any {@link BlobStore}: the backend only ever sees ciphertext.
 *
 * <p>Each blob gets a fresh random AES-256 data key, wrapped by the {@link KeyProvider}'s current master key
 * (authenticated together with the blob key, so envelopes cannot be swapped between blobs) and stored in the
 * blob's metadata. The content is encrypted in 64 KiB chunks with AES-256-GCM; chunk {@code i} uses the nonce
 * {@code i || last-flag}, so reordered, dropped, duplicated, truncated or appended chunks and any flipped bit
 * fail authentication ({@link BlobStoreException.Reason#INTEGRITY}). Chunks make range reads cheap: only the
 * chunks covering the range are fetched and decrypted. A stream never returns bytes of a chunk before its tag
 * has been checked. A range read checks only the chunks it covers: it returns authentic bytes or fails, but it
 * notices a truncated blob only when it reaches the end; a whole read checks everything. The end itself is never
 * taken from the backend's (unauthenticated) size alone: a range that reaches it, or starts at or past it, is
 * answered only after the last chunk has authenticated as the last one.
 *
 * <p>Master-key rotation re-wraps data keys ({@link #rewrap}, {@link #rewrapAll}): the ciphertext is not
 * decrypted, re-encrypted or sent through this process. Presigned URLs are refused (they would hand out
 * ciphertext). {@link BlobInfo#sha256()} of a stored blob is empty: a plaintext digest beside the ciphertext would
 * let anyone confirm a guessed file; put still returns the plaintext's digest to the caller.
 *
 * <p>The envelope is kept in the blob's metadata, within {@link PutOptions#MAX_METADATA_BYTES}: a put, copy or
 * metadata change whose user metadata leaves too little room for it (about 110 bytes with a {@link KeyRing}) is
 * refused with {@link BlobStoreException.Reason#UNSUPPORTED} before any content is read.
 */
public final class EncryptingBlobStore implements BlobStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EncryptingBlobStore.class);
    /** How often a step that raced a concurrent put is tried in all before it gives up. */
    private static final int RACE_ATTEMPTS = 3;
    static final String ENVELOPE = "mediastore-envelope";
    static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;
    private static final int CT_CHUNK = CHUNK + TAG;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlobStore inner;
    private final KeyProvider keys;

    private EncryptingBlobStore(BlobStore inner, KeyProvider keys) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Encrypts everything written to {@code inner} with data keys wrapped by {@code keys}. */
    public static EncryptingBlobStore wrap(BlobStore inner, KeyProvider keys) {
        return new EncryptingBlobStore(inner, keys);
    }

    // ---------------------------------------------------------------- envelope

    private record Envelope(WrappedKey wrapped) {
        String encode() {
            return "v1." + wrapped.keyId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(wrapped.bytes());
        }

        static Envelope decode(String s, BlobKey key) {
            if (s == null) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " has no encryption envelope");
            }
            String[] parts = s.split("\\.", -1);
            try {
                if (parts.length != 3 || !parts[0].equals("v1")) {
                    throw new IllegalArgumentException("bad envelope");
                }
                return new Envelope(new WrappedKey(parts[1], Base64.getUrlDecoder().decode(parts[2])));
            } catch (IllegalArgumentException e) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " has a malformed encryption envelope");
            }
        }
    }

    private static byte[] context(BlobKey key) {
        return key.value().getBytes(StandardCharsets.UTF_8);
    }

    /** Plaintext size from ciphertext size: every chunk adds a tag, an empty blob is one empty chunk. */
    static long plainSize(long ctSize, BlobKey key) {
        long chunks = Math.max(1, (ctSize + CT_CHUNK - 1) / CT_CHUNK);
        long plain = ctSize - chunks * TAG;
        long lastCt = ctSize - (chunks - 1) * CT_CHUNK;
        if (plain < 0 || lastCt < TAG) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " has an impossible ciphertext size");
        }
        return plain;
    }

    private static byte[] nonce(long chunk, boolean last) {
        if (chunk > 0xFFFF_FFFFL) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "blob exceeds the format's chunk count");
        }
        return ByteBuffer.allocate(12).putInt(7, (int) chunk).put(11, (byte) (last ? 1 : 0)).array();
    }

    // ---------------------------------------------------------------- operations

    @Override
    public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
        return encryptInto(key, content, options, inner::put);
    }

    /** The inner store checks and stores in one step, as its own putIfAbsent does. */
    @Override
    public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        return encryptInto(key, content, options, inner::putIfAbsent);
    }

    /** This store reports no digest (the plaintext's is unknown), so there is none to name. */
    @Override
    public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED,
                "an encrypting store reports no digest to name; use putIfAbsent, or put");
    }

    /** How the ciphertext goes into the inner store. */
    private interface InnerWrite {
        BlobInfo write(BlobKey key, InputStream ciphertext, PutOptions options);
    }

    private BlobInfo encryptInto(BlobKey key, InputStream content, PutOptions options, InnerWrite write) {
        byte[] dek = new byte[32];
        RANDOM.nextBytes(dek);
        try {
            WrappedKey wrapped = keys.wrap(dek, context(key));
            PutOptions withEnvelope = options.withReserved(Map.of(ENVELOPE, new Envelope(wrapped).encode()));
            EncryptingStream enc = new EncryptingStream(content, dek);
            try {
                BlobInfo stored = write.write(key, enc, withEnvelope);
                if (enc.plainCount() != plainSize(stored.size(), key)) {
                    throw new BlobStoreException(BlobStoreException.Reason.IO, "the backend stored a different size than was sent");
                }
                return new BlobInfo(key, enc.plainCount(), Optional.of(Sha256.hex(enc.plainDigest())), options.contentType(),
                        options.metadata(), stored.lastModified());
            } finally {
                enc.wipe(); // also when the source or the backend failed halfway
            }
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    @Override
    public InputStream get(BlobKey key) {
        return get(key, ByteRange.from(0));
    }

    /**
     * Reads from the first of the inner store's {@link BlobStore#readSources(BlobKey) sources} that holds an authentic
     * copy. Over a {@link ReplicatedBlobStore}, a copy that fails authentication, lacks the blob or is unreachable
     * is passed over for the next replica's, and a copy that fails or goes away in the middle of a read is
     * continued from another replica holding the same version (the same envelope, so the same data key: every byte
     * returned is authenticated under it), so the bytes already returned and the rest are one version.
     */
    @Override
    public InputStream get(BlobKey key, ByteRange range) {
        Objects.requireNonNull(range, "range");
        List<ReadSource> sources = inner.readSources(key);
        if (sources.size() == 1) {
            return openVersion(sources.get(0), key, range, null, new boolean[1]).stream();
        }
        List<BlobStoreException> failures = new ArrayList<>();
        boolean[] anyHeldIt = {false};
        for (int i = 0; i < sources.size(); i++) {
            try {
                Opened opened = openVersion(sources.get(i), key, range, null, anyHeldIt);
                return i == sources.size() - 1 ? opened.stream() : new FailoverStream(sources, i, key, range, opened);
            } catch (BlobStoreException e) {
                if (e.reason() == BlobStoreException.Reason.RANGE_NOT_SATISFIABLE) {
                    throw e; // past an authenticated end: every copy of this version ends there
                }
                if (e.reason() == BlobStoreException.Reason.INTEGRITY) {
                    LOG.warn("copy {} of {} failed authentication; reading the next copy (repair restores it)", i, key);
                } else {
                    LOG.debug("copy {} of {} could not be read: {}", i, key, e.reason());
                }
                failures.add(e);
                if (Thread.currentThread().isInterrupted()) {
                    break; // the caller's interrupt ends the read here, as it ends a failover mid-read
                }
            }
        }
        throw mostTelling(failures, anyHeldIt[0]);
    }

    /**
     * The failure to report when no copy could be read: tampering first; then absence, if no reachable copy had the
     * blob (as the replicated store's stat would say); else the first other failure.
     */
    private static BlobStoreException mostTelling(List<BlobStoreException> failures, boolean anyHeldIt) {
        BlobStoreException chosen = failures.stream().filter(f -> f.reason() == BlobStoreException.Reason.INTEGRITY).findFirst()
                .or(() -> failures.stream().filter(f -> f.reason() == BlobStoreException.Reason.NOT_FOUND && !anyHeldIt).findFirst())
                .or(() -> failures.stream().filter(f -> f.reason() != BlobStoreException.Reason.NOT_FOUND).findFirst())
                .orElse(failures.get(0));
        failures.stream().filter(f -> f != chosen).forEach(chosen::addSuppressed);
        return chosen;
    }

    /** An opened read of one version of a blob. */
    private record Opened(BlobInfo version, InputStream stream) {
    }

    /**
     * Opens the copy of the blob that {@code source} holds now, reading again if a put replaces it meanwhile; sets
     * {@code held[0]} once the source has shown it holds the blob. With an {@code envelope}, only the version sealed
     * under it is opened: null when the source lacks it or holds another; without one, a missing blob is NOT_FOUND.
     */
    private Opened openVersion(ReadSource source, BlobKey key, ByteRange range, String envelope, boolean[] held) {
        Optional<BlobInfo> seen = source.stat(key);
        for (int attempt = 1; ; attempt++) {
            if (seen.isEmpty()) {
                if (envelope == null) {
                    throw BlobStoreException.notFound(key);
                }
                return null;
            }
            BlobInfo info = seen.get();
            held[0] = true;
            if (envelope != null && !envelope.equals(info.metadata().get(ENVELOPE))) {
                return null;
            }
            try {
                return new Opened(info, open(source, key, range, info));
            } catch (BlobStoreException e) {
                if (e.reason() != BlobStoreException.Reason.INTEGRITY || attempt == RACE_ATTEMPTS) {
                    throw e;
                }
                // a put between the stat and the read pairs the new ciphertext with the old envelope: that is a
                // new version to read, not tampering, unless the copy is still the one the stat saw
                seen = source.stat(key);
                if (seen.isPresent() && sameCopy(seen.get(), info)) {
                    throw e;
                }
            }
        }
    }

    /** Whether two inner infos describe the same stored copy: ciphertext size and digest, and envelope. */
    private static boolean sameCopy(BlobInfo a, BlobInfo b) {
        return a.size() == b.size() && a.sha256().equals(b.sha256())
                && Objects.equals(a.metadata().get(ENVELOPE), b.metadata().get(ENVELOPE));
    }

    /**
     * A decrypting stream over the blob as {@code info} describes it, its first chunk already authenticated. The
     * backend's size is not authenticated: a range starting at or past the end it implies is answered (empty, or
     * RANGE_NOT_SATISFIABLE) only once the last chunk has authenticated as the last, else it fails with INTEGRITY.
     */
    private InputStream open(ReadSource source, BlobKey key, ByteRange range, BlobInfo info) {
        long ctSize = info.size();
        long plain = plainSize(ctSize, key);
        long totalChunks = Math.max(1, (ctSize + CT_CHUNK - 1) / CT_CHUNK);
        byte[] dek = keys.unwrap(Envelope.decode(info.metadata().get(ENVELOPE), key).wrapped(), context(key));
        try {
            if (range.offset() >= plain) {
                long lastCt = (totalChunks - 1) * CT_CHUNK;
                DecryptingStream end = new DecryptingStream(source.get(key, ByteRange.of(lastCt, ctSize - lastCt)), dek,
                        totalChunks - 1, totalChunks, 0, 0, key);
                dek = null; // now owned (and wiped) by the stream
                try (end) {
                    end.authenticateLast();
                } catch (IOException e) {
                    throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
                }
                range.lengthWithin(plain); // the end is authentic: a range past it is unsatisfiable
                return InputStream.nullInputStream();
            }
            long length = range.lengthWithin(plain);
            if (length == 0) {
                return InputStream.nullInputStream(); // an empty range inside the blob claims nothing about it
            }
            long firstChunk = Math.min(range.offset() / CHUNK, totalChunks - 1);
            long lastChunk = (range.offset() + length - 1) / CHUNK;
            long ctOffset = firstChunk * CT_CHUNK;
            long ctLength = Math.min(ctSize, (lastChunk + 1) * CT_CHUNK) - ctOffset;
            InputStream ct = source.get(key, ByteRange.of(ctOffset, ctLength));
            DecryptingStream d = new DecryptingStream(ct, dek, firstChunk, totalChunks, range.offset() - firstChunk * CHUNK, length, key);
            dek = null; // now owned (and wiped) by the stream
            try {
                d.prime();
            } catch (IOException | RuntimeException e) {
                try {
                    d.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
            }
            return d;
        } finally {
            if (dek != null) {
                Arrays.fill(dek, (byte) 0);
            }
        }
    }

    /**
     * A read that continues from the next source holding the same version when its copy fails authentication or
     * stops answering. The version is named by its envelope: every put seals a fresh random data key, so copies with
     * the same envelope are the same put, and every byte returned has been authenticated under that key at its
     * chunk's position, so a resumed read never mixes versions. How many chunks there are and where the blob ends
     * is taken from the copy being read (and authenticated there), never from a copy that already failed.
     */
    private final class FailoverStream extends BulkInputStream {
        private final List<ReadSource> sources;
        private final BlobKey key;
        private final String envelope;
        private final ByteRange range;
        private int source;
        private InputStream current;
        private long delivered;
        private Exception failed;
        private boolean closed;
        /** An authentication failure met on the way, which a later unavailable copy must not hide. */
        private BlobStoreException tampered;

        FailoverStream(List<ReadSource> sources, int source, BlobKey key, ByteRange range, Opened opened) {
            this.sources = sources;
            this.source = source;
            this.key = key;
            this.envelope = opened.version().metadata().get(ENVELOPE);
            this.range = range;
            this.current = opened.stream();
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                if (closed) {
                    throw new IOException("the stream is closed");
                }
                if (failed != null) {
                    throw new IOException("the read of " + key + " failed earlier", failed);
                }
                try {
                    int n = current.read(b, off, len);
                    if (n > 0) {
                        delivered += n;
                    }
                    return n;
                } catch (IOException e) {
                    if (!resume(e)) {
                        throw fail(e);
                    }
                } catch (BlobStoreException e) {
                    if (e.reason() == BlobStoreException.Reason.RANGE_NOT_SATISFIABLE || !resume(e)) {
                        throw fail(e);
                    }
                }
            }
        }

        /** Moves the read to the next source that holds the same version, from the first byte not yet returned. */
        private boolean resume(Exception failure) {
            closeQuietly(current, failure);
            if (failure instanceof BlobStoreException b && b.reason() == BlobStoreException.Reason.INTEGRITY && tampered == null) {
                tampered = b;
            }
            // a timeout is a copy gone quiet, but an interrupt is the caller's: it ends the read
            if (Thread.currentThread().isInterrupted() || (!range.toEnd() && delivered >= range.length())) {
                failed = failure;
                return false;
            }
            // the rest of the range, measured on the copy that is read next
            ByteRange rest = new ByteRange(range.offset() + delivered, range.toEnd() ? ByteRange.TO_END : range.length() - delivered);
            while (++source < sources.size()) {
                try {
                    Opened next = openVersion(sources.get(source), key, rest, envelope, new boolean[1]);
                    if (next != null) {
                        current = next.stream();
                        LOG.warn("reading {} continues from copy {} after byte {}: {}", key, source, rest.offset(), failure.toString());
                        return true;
                    }
                } catch (BlobStoreException e) {
                    if (e.reason() == BlobStoreException.Reason.INTEGRITY && tampered == null) {
                        tampered = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            failed = failure;
            return false;
        }

        /** Ends the read once no copy is left: an authentication failure met on the way outranks the last outage. */
        private IOException fail(Exception last) {
            if (tampered != null && tampered != last) {
                tampered.addSuppressed(last);
                throw tampered;
            }
            if (last instanceof IOException io) {
                return io;
            }
            throw (RuntimeException) last;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            current.close();
        }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The blob's info, its size that of the plaintext.
     *
     * @throws BlobStoreException INTEGRITY if the stored object's size is impossible for this format (damaged, or not
     *                            written by an encrypting store); {@link #list} leaves such objects out
     */
    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        return inner.stat(key).map(i -> {
            Map<String, String> md = new HashMap<>(i.metadata());
            md.remove(ENVELOPE);
            return new BlobInfo(key, plainSize(i.size(), key), Optional.empty(), i.contentType(), md, i.lastModified());
        });
    }

    @Override
    public void delete(BlobKey key) {
        inner.delete(key);
    }

    /**
     * One page of the inner store's listing, with plaintext sizes. An object whose size is impossible for this format
     * is left out with a warning (as the filesystem store leaves out damaged files), so that one damaged or foreign
     * object does not hide the blobs listed beside it; a page may therefore hold fewer items than the inner one.
     */
    @Override
    public BlobPage list(String prefix, String pageToken, int pageSize) {
        BlobPage page = inner.list(prefix, pageToken, pageSize);
        List<BlobSummary> items = new ArrayList<>(page.items().size());
        for (BlobSummary s : page.items()) {
            try {
                items.add(new BlobSummary(s.key(), plainSize(s.size(), s.key()), s.lastModified()));
            } catch (BlobStoreException e) {
                LOG.warn("{} cannot be an encrypted blob (impossible size); left out of the listing", s.key());
            }
        }
        return new BlobPage(items, page.nextPageToken());
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        BlobInfo src = inner.stat(source).orElseThrow(() -> BlobStoreException.notFound(source));
        Map<String, String> md = new HashMap<>(src.metadata());
        md.remove(ENVELOPE);
        return copyAs(src, target, PutOptions.builder().contentType(src.contentType()).metadata(md).build());
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
        Objects.requireNonNull(options, "options");
        BlobInfo src = inner.stat(source).orElseThrow(() -> BlobStoreException.notFound(source));
        return copyAs(src, target, options);
    }

    /**
     * The wrapped data key is bound to the source key: re-wrap it for the target, then copy the ciphertext
     * server-side with the new envelope in the same step, so the target is never left with an envelope it cannot
     * open.
     */
    private BlobInfo copyAs(BlobInfo stored, BlobKey target, PutOptions options) {
        if (stored.key().equals(target)) {
            // onto itself: a metadata change, which keeps the blob's own envelope and checks it is still the blob's
            return replaceMetadata(target, options);
        }
        for (int attempt = 1; ; attempt++) {
            WrappedKey rewrapped = rewrapFor(stored.key(), target, stored);
            BlobInfo out = inner.copy(stored.key(), target, options.withReserved(Map.of(ENVELOPE, new Envelope(rewrapped).encode())));
            if (out.sha256().equals(stored.sha256())) {
                return new BlobInfo(target, plainSize(out.size(), target), Optional.empty(), options.contentType(),
                        options.metadata(), out.lastModified());
            }
            // the source was replaced between its stat and the copy: the target holds the new ciphertext with the
            // old blob's key; copy again with the new source's own envelope
            if (attempt == RACE_ATTEMPTS) {
                // remove our unreadable copy, unless someone has written the target since
                if (inner.stat(target).flatMap(BlobInfo::sha256).equals(out.sha256())) {
                    inner.delete(target);
                }
                throw BlobStoreException.changed(stored.key());
            }
            BlobKey source = stored.key();
            stored = inner.stat(source).orElseThrow(() -> BlobStoreException.notFound(source));
        }
    }

    private WrappedKey rewrapFor(BlobKey from, BlobKey to, BlobInfo stored) {
        byte[] dek = keys.unwrap(Envelope.decode(stored.metadata().get(ENVELOPE), from).wrapped(), context(from));
        try {
            return keys.wrap(dek, context(to));
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    @Override
    public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
        BlobInfo out = againIfChanged(() -> {
            BlobInfo stored = inner.stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
            String envelope = stored.metadata().get(ENVELOPE);
            Envelope.decode(envelope, key);
            return replaceIfUnchanged(stored, options.withReserved(Map.of(ENVELOPE, envelope)));
        });
        return new BlobInfo(key, plainSize(out.size(), key), Optional.empty(), options.contentType(), options.metadata(), out.lastModified());
    }

    /** Runs a read-then-write step again (a few times at most) while a concurrent put makes it fail with CHANGED. */
    private static <T> T againIfChanged(java.util.function.Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (BlobStoreException e) {
                if (e.reason() != BlobStoreException.Reason.CHANGED || attempt == RACE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** This store reports no digest (the plaintext's is unknown), so there is none to name. */
    @Override
    public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED,
                "an encrypting store reports no digest to name; use replaceMetadata, which checks its own");
    }

    /**
     * Writes metadata carrying the envelope read with {@code stored}, only while the ciphertext is still the one
     * that envelope belongs to: a put landing in between keeps its own envelope (otherwise its data key would be
     * lost and the blob unreadable for good), and this fails with CHANGED.
     */
    private BlobInfo replaceIfUnchanged(BlobInfo stored, PutOptions options) {
        if (stored.sha256().isEmpty()) {
            // an inner store that reports no digest (an S3 multipart object without its digest record) cannot
            // name the version: the replacement is unconditional there, as before conditional replacement existed
            LOG.debug("no digest for {}: replacing its metadata unconditionally", stored.key());
            return inner.replaceMetadata(stored.key(), options);
        }
        return inner.replaceMetadataIf(stored.key(), stored.sha256().get(), options);
    }

    /**
     * Re-wraps one blob's data key under the provider's current master key, if it is under another one. The
     * ciphertext is untouched. Over replicas, every copy of the blob's current version is checked (through
     * {@link BlobStore#readSources(BlobKey)}): a copy that missed an earlier re-wrap, say because its replica was
     * away, still has its data key under the old master key, and gets the current envelope now. A copy that cannot
     * be reached is not checked (a warning is logged): run the rotation again once it is back, before the old master
     * key is dropped.
     *
     * @return whether a copy of the blob was re-wrapped
     * @throws BlobStoreException NOT_FOUND, or KEY_UNAVAILABLE if its current master key is not available
     */
    public boolean rewrap(BlobKey key) {
        return againIfChanged(() -> {
            BlobInfo stored = inner.stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
            String current = keys.currentKeyId();
            String envelope = stored.metadata().get(ENVELOPE);
            boolean isCurrent = Envelope.decode(envelope, key).wrapped().keyId().equals(current);
            if (isCurrent && !aCopyIsUnderAnotherKey(key, stored, current)) {
                return false;
            }
            if (!isCurrent) {
                envelope = new Envelope(rewrapFor(key, key, stored)).encode();
            }
            Map<String, String> md = new HashMap<>(stored.metadata());
            md.remove(ENVELOPE);
            // conditional on the digest, so it reaches every copy of this version, and no newer put
            replaceIfUnchanged(stored, PutOptions.builder().contentType(stored.contentType()).metadata(md).build()
                    .withReserved(Map.of(ENVELOPE, envelope)));
            return true;
        });
    }

    /** Whether a copy of the version {@code stored} describes has no envelope under the master key {@code current}. */
    private boolean aCopyIsUnderAnotherKey(BlobKey key, BlobInfo stored, String current) {
        List<ReadSource> sources = inner.readSources(key);
        if (sources.size() == 1) {
            return false; // the store itself: its stat was just read
        }
        for (int i = 0; i < sources.size(); i++) {
            Optional<BlobInfo> copy;
            try {
                copy = sources.get(i).stat(key);
            } catch (BlobStoreException e) {
                LOG.warn("copy {} of {} could not be checked for its master key: {}", i, key, e.reason());
                continue;
            }
            if (copy.isEmpty() || copy.get().size() != stored.size() || !copy.get().sha256().equals(stored.sha256())) {
                continue; // another version (or none): the conditional write could not reach it anyway
            }
            // a malformed envelope too: the same ciphertext, which the envelope written now makes readable again
            if (!current.equals(masterKeyIdOrNull(copy.get(), key))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a re-wrap pass did: {@code failed} blobs could not be re-wrapped (each is logged with its reason), and
     * over replicas, {@code copiesUnconfirmed} copies could not be seen under the current master key afterwards (a
     * replica out of reach, one the re-wrap at quorum missed, or a copy of another version than the one re-wrapped,
     * which repair settles). Drop the old master key only after a pass with both at 0.
     */
    public record RewrapReport(long blobsChecked, long rewrapped, long failed, long copiesUnconfirmed) {
    }

    /**
     * Re-wraps every blob under {@code prefix} whose data key is not under the current master key. A blob that
     * cannot be re-wrapped on its own account (its envelope damaged or missing, its master key unavailable, no room
     * for the new envelope, rewritten during each try, or replicas that disagree on it) is counted as failed and the
     * pass goes on to the others; a failure of the store itself (unreachable, access denied, too few replicas in
     * reach for the quorum) ends the pass with that exception.
     */
    public RewrapReport rewrapAll(String prefix) {
        AtomicLong checked = new AtomicLong();
        AtomicLong rewrapped = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong unconfirmed = new AtomicLong();
        inner.listAll(prefix).forEach(s -> {
            checked.incrementAndGet();
            try {
                if (rewrap(s.key())) {
                    rewrapped.incrementAndGet();
                }
                unconfirmed.addAndGet(copiesNotUnderCurrentKey(s.key()));
            } catch (BlobStoreException e) {
                switch (e.reason()) {
                    case NOT_FOUND -> checked.decrementAndGet(); // deleted since it was listed: nothing to re-wrap
                    case QUORUM_NOT_REACHED -> {
                        if (!replicasDisagree(e)) {
                            throw e; // replicas out of reach: the pass ends, as for any failure of the store
                        }
                        failed.incrementAndGet(); // a stray copy of a deleted blob, say: repair, then rotate again
                        LOG.warn("{} was not re-wrapped: its replicas disagree on it; repair first", s.key());
                    }
                    case CHANGED, INTEGRITY, KEY_UNAVAILABLE, UNSUPPORTED -> {
                        // CHANGED: rewritten (by a put under the current master key, most likely) on each of the tries
                        failed.incrementAndGet();
                        LOG.warn("{} was not re-wrapped ({}); its data key stays under master key {}", s.key(), e.reason(),
                                masterKeyIdOrUnknown(s.key()));
                    }
                    default -> throw e;
                }
            }
        });
        return new RewrapReport(checked.get(), rewrapped.get(), failed.get(), unconfirmed.get());
    }

    /**
     * Over replicas, how many copies of the blob cannot be seen under the current master key: out of reach, missed
     * by the re-wrap, or of another version than the one re-wrapped (each is logged; repair, then rotate again). A
     * single store's own stat is what the re-wrap checked.
     */
    private long copiesNotUnderCurrentKey(BlobKey key) {
        List<ReadSource> sources = inner.readSources(key);
        if (sources.size() == 1) {
            return 0;
        }
        Optional<BlobInfo> stored = inner.stat(key);
        if (stored.isEmpty()) {
            return 0; // deleted since: nothing left under the old key
        }
        String current = keys.currentKeyId();
        long unconfirmed = 0;
        for (int i = 0; i < sources.size(); i++) {
            Optional<BlobInfo> copy;
            try {
                copy = sources.get(i).stat(key);
            } catch (BlobStoreException e) {
                LOG.warn("copy {} of {} could not be checked after its re-wrap: {}", i, key, e.reason());
                unconfirmed++;
                continue;
            }
            if (copy.isEmpty()) {
                continue;
            }
            // a copy of another version counts too: it may be the acknowledged one (a write quorum below a majority),
            // and whatever version it is, dropping the old key would make it unreadable
            if (!current.equals(masterKeyIdOrNull(copy.get(), key))) {
                LOG.warn("copy {} of {} is still not under the current master key after its re-wrap", i, key);
                unconfirmed++;
            }
        }
        return unconfirmed;
    }

    /** The id of the master key a copy's data key is wrapped under, or null if its envelope is missing or malformed. */
    private static String masterKeyIdOrNull(BlobInfo copy, BlobKey key) {
        try {
            return Envelope.decode(copy.metadata().get(ENVELOPE), key).wrapped().keyId();
        } catch (BlobStoreException malformed) {
            return null;
        }
    }

    /**
     * A quorum missed because of what replicas hold (another version, none, a damaged copy, no room), not because
     * they are out of reach: the replicated store names its most telling replica failure as the cause.
     */
    private static boolean replicasDisagree(BlobStoreException e) {
        if (!(e.getCause() instanceof BlobStoreException c)) {
            return false; // "could not be asked"
        }
        return switch (c.reason()) {
            case UNAVAILABLE, IO, ACCESS_DENIED, QUORUM_NOT_REACHED -> false;
            default -> true;
        };
    }

    private String masterKeyIdOrUnknown(BlobKey key) {
        try {
            return masterKeyIdOf(key);
        } catch (BlobStoreException e) {
            return "(unknown: " + e.reason() + ")";
        }
    }

    /** The id of the master key a blob's data key is wrapped under, in the copy the inner store's stat reports. */
    public String masterKeyIdOf(BlobKey key) {
        BlobInfo stored = inner.stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
        return Envelope.decode(stored.metadata().get(ENVELOPE), key).wrapped().keyId();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "EncryptingBlobStore[" + inner + ", keys=" + keys.name() + "]";
    }

    private static Cipher cipher(int mode, byte[] dek, long chunk, boolean last) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(dek, "AES"), new GCMParameterSpec(128, nonce(chunk, last)));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /** Pulls plaintext from the source one chunk ahead (to know which chunk is last) and yields ciphertext. */
    private static final class EncryptingStream extends BulkInputStream {
        private final InputStream source;
        private final byte[] dek;
        private final MessageDigest digest = Sha256.newDigest();
        private byte[] current = new byte[CHUNK];
        private int currentLen;
        private byte[] next = new byte[CHUNK];
        private int nextLen;
        private final byte[] out = new byte[CT_CHUNK];
        private int outPos;
        private int outLen;
        private long chunk;
        private long plainCount;
        private boolean started;
        private boolean finished;

        EncryptingStream(InputStream source, byte[] dek) {
            this.source = source;
            this.dek = dek.clone();
        }

        long plainCount() {
            return plainCount;
        }

        /** Clears the data key and every buffer that held plaintext. */
        void wipe() {
            Arrays.fill(dek, (byte) 0);
            Arrays.fill(current, (byte) 0);
            Arrays.fill(next, (byte) 0);
        }

        byte[] plainDigest() {
            return digest.digest();
        }

        private int fill(byte[] buf) {
            try {
                int n = source.readNBytes(buf, 0, buf.length);
                digest.update(buf, 0, n);
                plainCount += n;
                return n;
            } catch (IOException e) {
                throw new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "reading the content failed", e);
            }
        }

        private boolean advance() {
            if (finished) {
                return false;
            }
            if (!started) {
                currentLen = fill(current);
                nextLen = currentLen == CHUNK ? fill(next) : 0;
                started = true;
            } else {
                byte[] t = current;
                current = next;
                next = t;
                currentLen = nextLen;
                nextLen = currentLen == CHUNK ? fill(next) : 0;
            }
            boolean last = nextLen == 0;
            try {
                outLen = cipher(Cipher.ENCRYPT_MODE, dek, chunk, last).doFinal(current, 0, currentLen, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("encryption failed", e);
            }
            outPos = 0;
            chunk++;
            if (last) {
                finished = true;
                Arrays.fill(dek, (byte) 0);
                Arrays.fill(current, (byte) 0);
            }
            return true;
        }


        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (outPos == outLen) {
                if (!advance()) {
                    return -1;
                }
            }
            int n = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, b, off, n);
            outPos += n;
            return n;
        }
    }

    /** Reads whole ciphertext chunks, authenticates each before releasing any of its bytes. */
    private static final class DecryptingStream extends BulkInputStream {
        private final InputStream ct;
        private final byte[] dek;
        private final long totalChunks;
        private final BlobKey key;
        private final byte[] in = new byte[CT_CHUNK];
        private final byte[] plain = new byte[CHUNK];
        private long chunk;
        private long skip;
        private long remaining;
        private int pos;
        private int len;
        private boolean closed;

        DecryptingStream(InputStream ct, byte[] dek, long firstChunk, long totalChunks, long skip, long length, BlobKey key) {
            this.ct = ct;
            this.dek = dek;
            this.chunk = firstChunk;
            this.totalChunks = totalChunks;
            this.skip = skip;
            this.remaining = length;
            this.key = key;
        }

        private boolean nextChunk() throws IOException {
            if (chunk >= totalChunks) {
                return false;
            }
            int n = ct.readNBytes(in, 0, CT_CHUNK);
            boolean last = chunk == totalChunks - 1;
            if (n < TAG || (!last && n != CT_CHUNK)) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " is truncated");
            }
            try {
                len = cipher(Cipher.DECRYPT_MODE, dek, chunk, last).doFinal(in, 0, n, plain, 0);
            } catch (AEADBadTagException e) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " failed authentication (chunk " + chunk + ")");
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            } catch (GeneralSecurityException e) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " failed decryption", e);
            }
            pos = (int) Math.min(skip, len);
            skip -= pos;
            chunk++;
            if (last && ct.read() >= 0) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " has data after its last chunk");
            }
            return true;
        }

        /** Authenticates the one chunk this stream was opened on, which must be the blob's last. */
        void authenticateLast() throws IOException {
            if (chunk != totalChunks - 1 || !nextChunk()) {
                throw new IllegalStateException("not opened on the last chunk");
            }
        }

        /** Authenticates the first chunk now, so a read that cannot succeed fails before the stream is handed out. */
        void prime() throws IOException {
            if (remaining > 0 && pos == len && !nextChunk()) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " ended early");
            }
        }


        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            while (pos == len) {
                if (!nextChunk()) {
                    throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob " + key + " ended early");
                }
            }
            int k = (int) Math.min(Math.min(n, len - pos), remaining);
            System.arraycopy(plain, pos, b, off, k);
            pos += k;
            remaining -= k;
            return k;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                Arrays.fill(dek, (byte) 0);
                Arrays.fill(plain, (byte) 0);
                ct.close();
            }
        }
    }
}
