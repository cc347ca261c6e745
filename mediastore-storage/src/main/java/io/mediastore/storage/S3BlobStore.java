package io.mediastore.storage;

import io.mediastore.storage.internal.BufferPool;
import io.mediastore.storage.internal.Crc32c;
import io.mediastore.storage.internal.PageTokens;
import io.mediastore.storage.internal.Sha256;
import io.mediastore.storage.internal.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in an S3 bucket (AWS or any S3-compatible store), on the AWS SDK for Java v2.
 *
 * <ul>
 *   <li>Private: never sets an ACL, so objects inherit the bucket's (private) default; optional SSE-S3 or
 *       SSE-KMS on every write.</li>
 *   <li>A put streams with bounded memory: a blob that fits in one part is one PutObject; a larger one is a
 *       multipart upload whose parts go up in parallel from a store-wide pool of part buffers (so memory is at most
 *       {@code partSize * buffers} however many puts run); any failure aborts the upload, leaving no parts.</li>
 *   <li>End to end integrity: every PutObject carries its SHA-256 and every part its CRC32C, which the server
 *       checks. A multipart upload takes a full-object CRC32C: its completion names the whole blob's CRC32C
 *       (combined from the parts', so the data is not read twice) and size, which AWS checks against the parts it
 *       holds (S3Proxy's filesystem backend checks neither); each part's checksum is listed as well only for a server
 *       that refuses the completion without them or did not confirm the full-object type (it then gets a composite
 *       one). The whole blob's SHA-256 is recorded and checked whenever a whole blob is read back. A blob that
 *       fits in one part carries it in its user metadata ({@code x-amz-meta-mediastore-sha256}). A multipart
 *       blob's digest is only known after its last part, when its metadata can no longer change without
 *       rewriting all its data, so it goes into a small digest record instead: the object
 *       <code>{prefix}\mediastore-sha256\{hex SHA-256 of the key}</code> (a backslash is in no valid key, so
 *       no blob collides with it and no listing shows it), holding the blob's ETag, size and SHA-256. Reads
 *       believe a record only while the object still has that ETag and size, so a concurrent overwrite is never
 *       checked against, or reported with, another upload's digest. {@link #delete} removes the record too.</li>
 *   <li>S3 object keys are at most 1,024 bytes: with a key prefix of p bytes (at most 512), keys are at most
 *       1,024 - p bytes, and longer ones are refused ({@link InvalidBlobKeyException.Reason#TOO_LONG}).</li>
 *   <li>The SDK's retry strategy retries throttling and transient failures, part uploads included: the standard
 *       one (exponential backoff with jitter) unless {@code AWS_RETRY_MODE} or the profile selects another.</li>
 *   <li>Copies are server-side and name the source's ETag, so a source overwritten mid-copy is copied again
 *       rather than stamped with the old digest.</li>
 *   <li>Conditional writes are S3's own: {@link #putIfAbsent} sends {@code If-None-Match: *} and {@link #putIf}
 *       {@code If-Match} with the ETag of the version whose digest it checked, on the PutObject or
 *       CompleteMultipartUpload that makes the blob visible (AWS has honoured both since 2024; other S3-compatible
 *       servers may refuse them or, like S3Proxy's filesystem backend, check and write in two steps).</li>
 * </ul>
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    static final String SHA_META = "mediastore-sha256";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19}|\\*)");
    /** Where digest records live, below the key prefix; a backslash is in no valid {@link BlobKey}. */
    static final String DIGEST_NAMESPACE = "\\mediastore-sha256\\";
    private static final String DIGEST_RECORD_HEADER = "mediastore-digest-record 1";
    private static final long MAX_SINGLE_COPY = 5L << 30;
    private static final int MIN_PART = 5 << 20;
    private static final int COPY_ATTEMPTS = 3;

    private final S3Client s3;
    private final boolean ownsClient;
    private final S3Presigner presigner;
    private final String bucket;
    private final String keyPrefix;
    private final int keyPrefixBytes;
    private final Sse sse;
    private final String sseKmsKeyId;
    private final int partSize;
    private final long maxSingleCopySize;
    private final Duration maxPresignLifetime;
    private final boolean recordMultipartDigest;
    /** Set once the server refused a full-object completion that listed no part checksums, and took one that did. */
    private volatile boolean listPartChecksums;
    private final BufferPool buffers;
    private final ExecutorService uploader;
    private final ReentrantReadWriteLock putsInProgress = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** Server-side encryption applied to every write. */
    public enum Sse {
        /** none requested (the bucket's default encryption still applies). */
        NONE,
        /** SSE-S3: AES-256 with keys managed by S3. */
        S3,
        /** SSE-KMS with the given KMS key (or the account's default S3 KMS key when none is given). */
        KMS
    }

    private S3BlobStore(Builder b) {
        this.bucket = b.bucket;
        this.keyPrefix = b.keyPrefix;
        this.keyPrefixBytes = b.keyPrefix.getBytes(StandardCharsets.UTF_8).length;
        this.sse = b.sse;
        this.sseKmsKeyId = b.kmsKeyId;
        this.partSize = b.partSize;
        this.maxSingleCopySize = b.maxSingleCopySize;
        this.maxPresignLifetime = b.maxPresignLifetime;
        this.recordMultipartDigest = b.recordMultipartDigest;
        this.buffers = new BufferPool(b.partSize, b.buffers);
        AtomicInteger n = new AtomicInteger();
        this.uploader = Executors.newFixedThreadPool(b.uploadConcurrency, r -> {
            Thread t = new Thread(r, "s3-blobstore-upload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (b.client != null) {
            this.s3 = b.client;
            this.ownsClient = false;
        } else {
            var cb = S3Client.builder()
                    .region(Region.of(b.region))
                    .forcePathStyle(b.pathStyle)
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(50, b.uploadConcurrency * 2)))
                    // we send our own SHA-256 with every upload and verify downloads ourselves
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    // the SDK builds a fresh strategy per client (its own retry quota), in the configured retry mode
                    .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(b.maxAttempts)));
            if (b.credentials != null) {
                cb.credentialsProvider(b.credentials); // else the SDK's default chain, which the client owns and closes
            }
            if (b.endpoint != null) {
                cb.endpointOverride(b.endpoint);
            }
            this.s3 = cb.build();
            this.ownsClient = true;
        }
        // the client's own region, endpoint, path style and credentials, injected client included (s3Client carries
        // the path style; region, credentials and endpoint must be named as well)
        var config = s3.serviceClientConfiguration();
        var pb = S3Presigner.builder().s3Client(s3).region(config.region()).credentialsProvider(config.credentialsProvider());
        config.endpointOverride().ifPresent(pb::endpointOverride);
        this.presigner = pb.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bucket this store writes to. */
    public String bucket() {
        return bucket;
    }

    /**
     * The object key of a blob: the key prefix and the key. S3 object keys are at most 1,024 UTF-8 bytes, so with a
     * prefix of p bytes this store holds keys of up to 1,024 - p bytes, and refuses longer ones as TOO_LONG.
     */
    private String objectKey(BlobKey key) {
        if (keyPrefixBytes + key.value().getBytes(StandardCharsets.UTF_8).length > BlobKey.MAX_LENGTH_BYTES) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.TOO_LONG, "invalid blob key: with this store's key prefix"
                    + " it would be over S3's 1024-byte limit; keys here are at most " + (BlobKey.MAX_LENGTH_BYTES - keyPrefixBytes) + " bytes");
        }
        return keyPrefix + key.value();
    }

    // ---------------------------------------------------------------- put

    @Override
    public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
        Objects.requireNonNull(content, "content");
        return putWhileOpen(key, content, options, null);
    }

    /**
     * A put that S3 itself makes conditional (If-None-Match: * on the PutObject or CompleteMultipartUpload that
     * makes it visible), so a blob created meanwhile by any client is never replaced. Checked first too, so a put
     * bound to fail reads nothing.
     */
    @Override
    public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        Objects.requireNonNull(content, "content");
        if (closed) {
            throw closedException();
        }
        if (head(key).isPresent()) {
            throw BlobStoreException.present(key);
        }
        return putWhileOpen(key, content, options, Condition.ABSENT);
    }

    /**
     * A put that names the ETag of the version whose digest was checked (If-Match on the request that makes it
     * visible), so S3 refuses it if anything was written or deleted since.
     */
    @Override
    public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        Objects.requireNonNull(content, "content");
        if (closed) {
            throw closedException();
        }
        Stored now = head(key).orElseThrow(() -> BlobStoreException.notFound(key));
        if (!now.info().sha256().map(expectedSha256::equals).orElse(false) || now.eTag() == null) {
            throw BlobStoreException.changed(key);
        }
        return putWhileOpen(key, content, options, new Condition(now.eTag()));
    }

    private BlobInfo putWhileOpen(BlobKey key, InputStream content, PutOptions options, Condition condition) {
        // close() waits (a while) for puts in progress, so that a put it fails can still abort its upload
        if (!putsInProgress.readLock().tryLock()) {
            throw closedException();
        }
        try {
            if (closed) {
                throw closedException();
            }
            return putOpen(key, content, options, condition);
        } finally {
            putsInProgress.readLock().unlock();
        }
    }

    /** What the request that makes a put visible requires of the key: no object (a null ETag), or this ETag. */
    private record Condition(String eTag) {
        static final Condition ABSENT = new Condition(null);

        void applyTo(PutObjectRequest.Builder req) {
            if (eTag == null) {
                req.ifNoneMatch("*");
            } else {
                req.ifMatch(eTag);
            }
        }

        void applyTo(software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.Builder req) {
            if (eTag == null) {
                req.ifNoneMatch("*");
            } else {
                req.ifMatch(eTag);
            }
        }

        /**
         * What S3's refusal of a conditional request means, or null when it is no refusal of the condition: 412 is
         * the condition failing; 404 NoSuchKey is the named object gone; 409 ConditionalRequestConflict is another
         * operation on the key racing this one, which S3 asks to retry; 501 is a server without conditional writes.
         */
        BlobStoreException failure(BlobKey key, S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 412) {
                return eTag == null ? BlobStoreException.present(key, e) : BlobStoreException.changed(key, e);
            }
            if (e.statusCode() == 404 && "NoSuchKey".equals(code)) {
                return BlobStoreException.notFound(key);
            }
            if (e.statusCode() == 409 && "ConditionalRequestConflict".equals(code)) {
                return new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "put " + key
                        + ": another operation on the key conflicted with this conditional put; nothing was stored", e);
            }
            if (e.statusCode() == 501) {
                return new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED,
                        "this S3 server does not take conditional writes (" + code + ")", e);
            }
            return null;
        }
    }

    /** A call that makes a put visible: a failed condition as {@link Condition#failure}, anything else as usual. */
    private static <T> T visibleCall(String what, BlobKey key, Condition condition, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (S3Exception e) {
            throw visibleFailure(what, key, condition, e);
        } catch (SdkException e) {
            throw translate(what, e, null);
        }
    }

    private static BlobStoreException visibleFailure(String what, BlobKey key, Condition condition, S3Exception e) {
        BlobStoreException failed = condition == null ? null : condition.failure(key, e);
        return failed != null ? failed : translate(what, e, null);
    }

    private static BlobStoreException closedException() {
        return new BlobStoreException(BlobStoreException.Reason.IO, "the store is closed");
    }

    private BlobInfo putOpen(BlobKey key, InputStream content, PutOptions options, Condition condition) {
        checkRoomForDigest(key, options.metadata()); // before any content is read
        var digest = Sha256.newDigest();
        byte[] first = buffers.take();
        boolean firstHandedOff = false;
        try {
            int n = fill(content, first);
            digest.update(first, 0, n);
            if (n < partSize) {
                byte[] sha = digest.digest();
                putSingle(key, first, n, sha, options, condition);
                return new BlobInfo(key, n, Optional.of(Sha256.hex(sha)), options.contentType(), options.metadata(), Instant.now());
            }
            firstHandedOff = true;
            return putMultipart(key, content, options, first, digest, condition);
        } finally {
            if (!firstHandedOff) {
                buffers.give(first);
            }
        }
    }

    private static int fill(InputStream in, byte[] buf) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "interrupted while reading the content", e);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "reading the content failed", e);
        }
    }

    /** Bytes the SHA-256 entry takes in a blob's user metadata: its name and 64 hex digits. */
    private static final int DIGEST_ENTRY_BYTES = SHA_META.length() + 64;

    /**
     * S3 allows 2,048 bytes of user metadata, and a blob that fits in one part carries its SHA-256 there too: metadata
     * leaving no room for it is refused with UNSUPPORTED, as {@link PutOptions} refuses it for other layers' entries.
     */
    private static void checkRoomForDigest(BlobKey key, Map<String, String> metadata) {
        int user = PutOptions.bytes(metadata);
        if (user + DIGEST_ENTRY_BYTES > PutOptions.MAX_METADATA_BYTES) {
            throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, key + ": user metadata of " + user
                    + " bytes leaves no room for the " + DIGEST_ENTRY_BYTES + " bytes of this store's SHA-256 entry; at most "
                    + (PutOptions.MAX_METADATA_BYTES - DIGEST_ENTRY_BYTES) + " bytes fit here");
        }
    }

    private Map<String, String> storedMetadata(PutOptions options, byte[] sha) {
        Map<String, String> md = new HashMap<>(options.metadata());
        if (sha != null) {
            md.put(SHA_META, Sha256.hex(sha));
        }
        return md;
    }

    private void putSingle(BlobKey key, byte[] buf, int n, byte[] sha, PutOptions options, Condition condition) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .contentType(options.contentType()).contentLength((long) n)
                .metadata(storedMetadata(options, sha))
                .checksumSHA256(Base64.getEncoder().encodeToString(sha));
        applySse(req);
        if (condition != null) {
            condition.applyTo(req);
        }
        try {
            visibleCall("put " + key, key, condition, () -> s3.putObject(req.build(), body(buf, n)));
        } catch (BlobStoreException refused) {
            if (storedOnAnEarlierAttempt(refused, key, n, options.contentType(), storedMetadata(options, sha)) == null) {
                throw refused;
            }
        }
    }

    /**
     * The ETag of the object at key if a refused conditional request was a retry (the SDK retries when an answer
     * is lost or is a 5xx) and the object has exactly this put's size, content type and metadata (the SHA-256 entry
     * of a single-part put included): the retry was refused by the condition its own first attempt had met.
     * Null otherwise.
     */
    private String storedOnAnEarlierAttempt(BlobStoreException refused, BlobKey key, long size, String contentType,
                                            Map<String, String> metadata) {
        if (refused.reason() != BlobStoreException.Reason.CHANGED
                || !(refused.getCause() instanceof S3Exception e) || e.numAttempts() == null || e.numAttempts() < 2) {
            return null;
        }
        try {
            HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(objectKey(key)));
            if (h.contentLength() == size && contentType.equals(h.contentType()) && metadata.equals(h.metadata())) {
                LOG.debug("put {}: a retry was refused by the condition its first attempt had met", key);
                return h.eTag();
            }
        } catch (SdkException e2) {
            refused.addSuppressed(e2);
        }
        return null;
    }

    private void applySse(PutObjectRequest.Builder req) {
        if (sse == Sse.S3) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        } else if (sse == Sse.KMS) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS);
            if (sseKmsKeyId != null) {
                req.ssekmsKeyId(sseKmsKeyId);
            }
        }
    }

    private void applySse(CreateMultipartUploadRequest.Builder req) {
        if (sse == Sse.S3) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        } else if (sse == Sse.KMS) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS);
            if (sseKmsKeyId != null) {
                req.ssekmsKeyId(sseKmsKeyId);
            }
        }
    }

    private void applySse(CopyObjectRequest.Builder req) {
        if (sse == Sse.S3) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        } else if (sse == Sse.KMS) {
            req.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS);
            if (sseKmsKeyId != null) {
                req.ssekmsKeyId(sseKmsKeyId);
            }
        }
    }

    /** A request body over a pooled buffer, without copying it; each retry attempt re-reads from the start. */
    private static RequestBody body(byte[] buf, int n) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n, "application/octet-stream");
    }

    private BlobInfo putMultipart(BlobKey key, InputStream content, PutOptions options, byte[] first,
                                  java.security.MessageDigest digest, Condition condition) {
        String objectKey = objectKey(key);
        // a full-object CRC-32C: the server checks each part's checksum as it arrives and, at completion, AWS checks the
        // whole object's against the parts it holds (a composite one would have us list every part's checksum again,
        // which S3Proxy's filesystem backend checks by reading all the parts back)
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(objectKey)
                .contentType(options.contentType()).metadata(storedMetadata(options, null))
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT);
        applySse(create);
        String uploadId;
        boolean fullObject;
        try {
            var created = call("put " + key, () -> s3.createMultipartUpload(create.build()));
            uploadId = created.uploadId();
            // a server that does not confirm the type (it predates full-object checksums) gets a composite completion
            fullObject = created.checksumType() == ChecksumType.FULL_OBJECT;
        } catch (RuntimeException e) {
            buffers.give(first);
            throw e;
        }
        List<Future<UploadedPart>> parts = new ArrayList<>();
        var failed = new java.util.concurrent.atomic.AtomicBoolean();
        long size = 0;
        String eTag;
        try {
            byte[] buf = first;
            int n = partSize;
            int partNumber = 1;
            while (true) {
                size += n;
                parts.add(submitPart(key, objectKey, uploadId, partNumber++, buf, n, failed));
                buf = null;
                if (n < partSize) {
                    break;
                }
                byte[] next = buffers.take();
                int m;
                try {
                    m = fill(content, next);
                } catch (RuntimeException e) {
                    buffers.give(next);
                    throw e;
                }
                if (m == 0) {
                    buffers.give(next);
                    break;
                }
                digest.update(next, 0, m);
                buf = next;
                n = m;
            }
            List<UploadedPart> uploaded = new ArrayList<>(parts.size());
            for (Future<UploadedPart> f : parts) {
                uploaded.add(await(f));
            }
            eTag = complete(key, objectKey, uploadId, uploaded, size, fullObject, condition);
        } catch (RuntimeException | Error e) {
            // queued parts see the flag and skip; wait for those in flight so none lands after the abort (an
            // interrupted caller waits too: the flag is set aside meanwhile, and set again)
            failed.set(true);
            boolean interrupted = Thread.interrupted();
            for (Future<UploadedPart> f : parts) {
                try {
                    f.get();
                } catch (InterruptedException ie) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException ignored) {
                    // reported through e
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            abort(objectKey, uploadId, e);
            throw e;
        }
        byte[] sha = digest.digest();
        if (recordMultipartDigest) {
            try {
                writeDigestRecord(key, eTag, size, sha);
            } catch (BlobStoreException e) {
                // the new blob is live by now: say so, so that nobody takes the failure for "nothing changed"
                throw new BlobStoreException(e.reason(), key + " was stored, but recording its SHA-256 failed; until it is"
                        + " put again, reads of it cannot check its digest", e);
            }
        }
        return new BlobInfo(key, size, Optional.of(Sha256.hex(sha)), options.contentType(), options.metadata(), Instant.now());
    }

    /** A part the server took: its number, ETag, CRC-32C and length. */
    private record UploadedPart(int number, String eTag, int crc32c, int length) {
        CompletedPart listed(boolean withChecksum) {
            CompletedPart.Builder b = CompletedPart.builder().partNumber(number).eTag(eTag);
            return (withChecksum ? b.checksumCRC32C(Crc32c.base64(crc32c)) : b).build();
        }
    }

    /**
     * Completes an upload, naming the whole object's CRC-32C and size when the server took a full-object checksum
     * (AWS checks both against the parts it holds; S3Proxy's filesystem backend checks neither and stores no
     * checksum, so there the parts' own checks and the SHA-256 checked on read are what remain). A server that still
     * wants each part's checksum listed answers 400 InvalidRequest, having completed nothing, and is asked once more
     * with them listed; this store then lists them from the start. No retry heuristic beyond that: without the digest
     * in its metadata another writer's object could pass for ours (S3Proxy answers a retried completion of a finished
     * upload as done).
     */
    private String complete(BlobKey key, String objectKey, String uploadId, List<UploadedPart> parts, long size,
                            boolean fullObject, Condition condition) {
        var request = software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.builder()
                .bucket(bucket).key(objectKey).uploadId(uploadId);
        if (condition != null) {
            condition.applyTo(request);
        }
        boolean asked = listPartChecksums;
        if (fullObject) {
            int whole = 0; // the CRC-32C of nothing
            for (UploadedPart p : parts) {
                whole = Crc32c.combine(whole, p.crc32c(), p.length());
            }
            request.checksumType(ChecksumType.FULL_OBJECT).checksumCRC32C(Crc32c.base64(whole)).mpuObjectSize(size);
            if (!asked) {
                try {
                    return s3.completeMultipartUpload(request.multipartUpload(m -> m.parts(parts.stream().map(p -> p.listed(false)).toList()))
                            .build()).eTag();
                } catch (S3Exception e) {
                    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                    if (e.statusCode() != 400 || !"InvalidRequest".equals(code)) {
                        throw visibleFailure("put " + key, key, condition, e);
                    }
                    LOG.debug("the server refused a full-object completion without part checksums ({}: {}); listing them",
                            code, e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage());
                } catch (SdkException e) {
                    throw translate("put " + key, e, null);
                }
            }
        }
        request.multipartUpload(m -> m.parts(parts.stream().map(p -> p.listed(true)).toList()));
        String eTag = visibleCall("put " + key, key, condition, () -> s3.completeMultipartUpload(request.build())).eTag();
        if (fullObject && !asked) {
            listPartChecksums = true;
            LOG.info("{}: this S3 server wants each part's checksum listed in a full-object completion; listing them from now on", bucket);
        }
        return eTag;
    }

    // ---------------------------------------------------------------- digest records

    /**
     * The key of a blob's digest record: under the store's prefix, in a namespace that starts with a backslash,
     * which no {@link BlobKey} may contain, so no blob can collide with a record and no listing shows one.
     */
    private String digestRecordKey(BlobKey key) {
        return keyPrefix + digestRecordName(key);
    }

    /** A digest record's key below the prefix, named by the blob key's SHA-256 so that it is short for any key. */
    static String digestRecordName(BlobKey key) {
        return DIGEST_NAMESPACE + Sha256.hex(Sha256.newDigest().digest(key.value().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Records a multipart blob's SHA-256 (known only once the whole stream is read) in a small companion object
     * bound to the ETag and size that CompleteMultipartUpload gave this upload. No data is rewritten. A reader
     * believes the record only while the object still has that ETag and size, so an object that a concurrent
     * writer put there since is never taken for ours (it is then read without a recorded digest, never with a
     * wrong one).
     */
    private void writeDigestRecord(BlobKey key, String eTag, long size, byte[] sha) {
        if (eTag == null || eTag.isEmpty()) {
            LOG.debug("no ETag for {}: its digest is not recorded", key);
            return;
        }
        byte[] record = digestRecord(unquote(eTag), size, sha);
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(digestRecordKey(key))
                .contentType("text/plain; charset=us-ascii").contentLength((long) record.length)
                .checksumSHA256(Base64.getEncoder().encodeToString(Sha256.newDigest().digest(record)));
        applySse(req);
        call("put " + key, () -> s3.putObject(req.build(), RequestBody.fromBytes(record)));
    }

    /**
     * The SHA-256 that a digest record holds for the object with this ETag and size, or null when there is no
     * record, or it belongs to another version of the key (an overwrite since, or an older upload).
     */
    private String recordedDigest(BlobKey key, String eTag, Long size) {
        if (eTag == null || !eTag.contains("-") || size == null) {
            return null; // only multipart uploads get a record; single PutObjects carry their digest in metadata
        }
        byte[] record;
        try {
            record = s3.getObjectAsBytes(r -> r.bucket(bucket).key(digestRecordKey(key))).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw translate("reading the digest record of " + key, e, null);
        } catch (SdkException e) {
            throw translate("reading the digest record of " + key, e, null);
        }
        return parseDigestRecord(record, unquote(eTag), size);
    }

    /** A digest record: four ASCII lines (a versioned header, the ETag without quotes, the size, the hex SHA-256). */
    static byte[] digestRecord(String eTag, long size, byte[] sha) {
        return (DIGEST_RECORD_HEADER + "\netag " + eTag + "\nsize " + size + "\nsha256 " + Sha256.hex(sha) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The SHA-256 in a record if it is well formed and names this ETag and size; null otherwise. */
    static String parseDigestRecord(byte[] record, String eTag, long size) {
        if (record.length > 512) {
            return null;
        }
        String[] lines = new String(record, StandardCharsets.US_ASCII).split("\n", -1);
        if (lines.length != 5 || !lines[0].equals(DIGEST_RECORD_HEADER) || !lines[4].isEmpty()
                || !lines[1].equals("etag " + eTag) || !lines[2].equals("size " + size) || !lines[3].startsWith("sha256 ")) {
            return null;
        }
        String sha = lines[3].substring("sha256 ".length());
        return Sha256.parseOrNull(sha) == null ? null : sha;
    }

    private static String unquote(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    private Future<UploadedPart> submitPart(BlobKey key, String objectKey, String uploadId, int partNumber, byte[] buf, int n,
                                             java.util.concurrent.atomic.AtomicBoolean failed) {
        try {
            return uploader.submit(() -> {
                try {
                    if (failed.get()) {
                        throw new CancellationException("upload failed elsewhere");
                    }
                    int crc = Crc32c.of(buf, 0, n); // here, so the parts' checksums spread over the upload threads
                    UploadPartRequest req = UploadPartRequest.builder().bucket(bucket).key(objectKey).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) n).checksumCRC32C(Crc32c.base64(crc)).build();
                    var resp = call("put " + key, () -> s3.uploadPart(req, body(buf, n)));
                    return new UploadedPart(partNumber, resp.eTag(), crc, n);
                } finally {
                    buffers.give(buf);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            buffers.give(buf);
            throw new BlobStoreException(BlobStoreException.Reason.IO, "the store is closed", e);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreException(BlobStoreException.Reason.IO, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BlobStoreException(BlobStoreException.Reason.IO, "part upload failed", e.getCause());
        } catch (CancellationException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "the store was closed during the upload", e);
        }
    }

    /** Aborts a failed upload, also for an interrupted caller (the SDK refuses calls on an interrupted thread). */
    private void abort(String objectKey, String uploadId, Throwable cause) {
        boolean interrupted = Thread.interrupted();
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            // the bucket's lifecycle rule for incomplete uploads is the backstop
            LOG.warn("aborting a failed multipart upload failed; its parts remain until the bucket's lifecycle rule removes them", e);
            cause.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- read

    @Override
    public InputStream get(BlobKey key) {
        ResponseInputStream<GetObjectResponse> in = call("get " + key,
                () -> s3.getObject(r -> r.bucket(bucket).key(objectKey(key))), key);
        GetObjectResponse resp = in.response();
        String sha = resp.metadata().get(SHA_META);
        if (sha == null) {
            try {
                sha = recordedDigest(key, resp.eTag(), resp.contentLength());
            } catch (RuntimeException e) {
                in.abort();
                throw e;
            }
        }
        if (sha == null) {
            return in;
        }
        return new VerifyingInputStream(in, resp.contentLength(), sha, "blob " + key);
    }

    @Override
    public InputStream get(BlobKey key, ByteRange range) {
        Objects.requireNonNull(range, "range");
        if (!range.toEnd() && range.length() == 0) {
            BlobInfo info = stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
            range.lengthWithin(info.size());
            return InputStream.nullInputStream();
        }
        // a range whose last byte does not fit in a long reaches past any blob: to the end
        boolean toEnd = range.toEnd() || range.length() > Long.MAX_VALUE - range.offset();
        String header = "bytes=" + range.offset() + "-" + (toEnd ? "" : Long.toString(range.offset() + range.length() - 1));
        try {
            GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).range(header).build();
            ResponseInputStream<GetObjectResponse> in = s3.getObject(req);
            if (!servesRange(in.response().contentRange(), in.response().contentLength(), range.offset(),
                    toEnd ? -1 : range.offset() + range.length() - 1)) {
                in.abort();
                throw new BlobStoreException(BlobStoreException.Reason.IO, "the server did not answer get " + key + " with the "
                        + "byte range asked for (" + header + ", got " + in.response().contentRange() + ")");
            }
            return in;
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // a range at or past the end: empty at the very end, refused beyond it
                BlobInfo info = stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
                range.lengthWithin(info.size());
                return InputStream.nullInputStream();
            }
            throw translate("get " + key, e, key);
        } catch (SdkException e) {
            throw translate("get " + key, e, key);
        }
    }

    /**
     * Whether an answer is the range asked for, from {@code first} to {@code last} (-1: to the end). With a
     * Content-Range: the same first byte, and a last byte no later than asked (the server cuts a range at the end
     * of the blob). Without one the server ignored Range and sent the whole blob of {@code contentLength} bytes,
     * which HTTP allows: that is the range only when it starts at 0 and the whole blob lies within it.
     */
    static boolean servesRange(String contentRange, Long contentLength, long first, long last) {
        if (contentRange == null) {
            return first == 0 && (last == -1 || (contentLength != null && contentLength >= 0 && contentLength <= last + 1));
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            return false;
        }
        try {
            long from = Long.parseLong(m.group(1));
            long to = Long.parseLong(m.group(2));
            return from == first && to >= from && (last == -1 || to <= last);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        return head(key).map(Stored::info);
    }

    /** A blob as stat reports it, with the ETag that conditional copies name. */
    private record Stored(BlobInfo info, String eTag) {
    }

    private Optional<Stored> head(BlobKey key) {
        HeadObjectResponse h;
        try {
            h = s3.headObject(r -> r.bucket(bucket).key(objectKey(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw translate("stat " + key, e, key);
        } catch (SdkException e) {
            throw translate("stat " + key, e, key);
        }
        Map<String, String> md = new HashMap<>(h.metadata());
        String sha = md.remove(SHA_META);
        if (sha == null) {
            sha = recordedDigest(key, h.eTag(), h.contentLength());
        }
        return Optional.of(new Stored(new BlobInfo(key, h.contentLength(), Optional.ofNullable(sha),
                h.contentType() == null ? "application/octet-stream" : h.contentType(), md,
                h.lastModified() == null ? Instant.EPOCH : h.lastModified()), h.eTag()));
    }

    @Override
    public void delete(BlobKey key) {
        deleteObject(key, objectKey(key));
        // then its digest record, if any; a left-over record is inert, as it names an ETag that no object has any more
        deleteObject(key, digestRecordKey(key));
    }

    /** S3 deletes are idempotent, but some S3-compatible servers answer 404 for a missing object: that is done too. */
    private void deleteObject(BlobKey key, String objectKey) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(objectKey));
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() != 404 || "NoSuchBucket".equals(code)) {
                throw translate("delete " + key, e, null);
            }
        } catch (SdkException e) {
            throw translate("delete " + key, e, null);
        }
    }

    @Override
    public BlobPage list(String prefix, String pageToken, int pageSize) {
        BlobKey.checkPrefix(prefix);
        PageTokens.checkPageSize(pageSize);
        BlobKey after = PageTokens.decode(pageToken);
        // objects that are no blob (digest records, or objects other tools wrote under keys this library refuses)
        // are skipped; keep listing until the page is full or the listing ends, so a page is never empty early
        List<BlobSummary> items = new ArrayList<>();
        String startAfter = after == null ? null : keyPrefix + after.value();
        boolean more;
        do {
            String from = startAfter;
            int want = pageSize - items.size();
            ListObjectsV2Response resp = call("list", () -> s3.listObjectsV2(r -> {
                r.bucket(bucket).prefix(keyPrefix + prefix).maxKeys(want);
                if (from != null) {
                    r.startAfter(from);
                }
            }));
            for (S3Object o : resp.contents()) {
                if (items.size() == pageSize) {
                    break;
                }
                try {
                    BlobKey k = BlobKey.of(o.key().substring(keyPrefix.length()));
                    items.add(new BlobSummary(k, o.size(), o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
                } catch (InvalidBlobKeyException e) {
                    // not a blob of this store: not listed
                }
            }
            more = Boolean.TRUE.equals(resp.isTruncated()) && !resp.contents().isEmpty();
            if (more) {
                startAfter = resp.contents().get(resp.contents().size() - 1).key();
            }
        } while (more && items.size() < pageSize);
        // the next page starts after the last blob listed (anything skipped after it is skipped again)
        Optional<String> next = more && !items.isEmpty()
                ? Optional.of(PageTokens.encode(items.get(items.size() - 1).key())) : Optional.empty();
        return new BlobPage(items, next);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return copyAs(source, target, null, null);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
        return copyAs(source, target, Objects.requireNonNull(options, "options"), null);
    }

    /**
     * One server-side copy that also sets the target's metadata (the source's when {@code options} is null) and
     * carries the blob's SHA-256 along. The copy names the source's ETag (x-amz-copy-source-if-match), so a source
     * overwritten since it was read is never copied with the old digest (reads would then report INTEGRITY): the
     * copy starts again from the new source, a few times at most.
     */
    private BlobInfo copyAs(BlobKey source, BlobKey target, PutOptions options, String expectedSha256) {
        for (int attempt = 1; ; attempt++) {
            Stored stored = head(source).orElseThrow(() -> BlobStoreException.notFound(source));
            BlobInfo info = stored.info();
            if (expectedSha256 != null && !info.sha256().map(expectedSha256::equals).orElse(false)) {
                throw BlobStoreException.changed(source);
            }
            String contentType = options == null ? info.contentType() : options.contentType();
            Map<String, String> metadata = options == null ? info.metadata() : options.metadata();
            Map<String, String> md = new HashMap<>(metadata);
            if (info.sha256().isPresent()) {
                checkRoomForDigest(target, metadata);
                md.put(SHA_META, info.sha256().get());
            }
            try {
                serverSideCopy(source, target, info.size(), stored.eTag(), contentType, md);
                return new BlobInfo(target, info.size(), info.sha256(), contentType, metadata, Instant.now());
            } catch (SourceChanged e) {
                if (attempt == COPY_ATTEMPTS) {
                    throw new BlobStoreException(BlobStoreException.Reason.IO,
                            "copy " + source + ": the source changed during each of " + COPY_ATTEMPTS + " attempts", e.getCause());
                }
                LOG.debug("copy {}: the source changed during the copy; starting again", source);
            }
        }
    }

    /** The source no longer has the ETag the copy named (HTTP 412). */
    private static final class SourceChanged extends RuntimeException {
        SourceChanged(S3Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private <T> T conditionalCopyCall(BlobKey source, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new SourceChanged(e);
            }
            throw translate("copy " + source, e, source);
        } catch (SdkException e) {
            throw translate("copy " + source, e, source);
        }
    }

    @Override
    public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
        return copy(key, key, options);
    }

    /** The copy onto itself names the ETag of the version whose digest was checked, so the check holds to the end. */
    @Override
    public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        return copyAs(key, key, Objects.requireNonNull(options, "options"), Objects.requireNonNull(expectedSha256, "expectedSha256"));
    }

    /** CopyObject up to the single-copy limit, else a multipart copy (UploadPartCopy) with abort on failure. */
    private void serverSideCopy(BlobKey source, BlobKey target, long size, String eTag, String contentType,
                                Map<String, String> md) {
        String src = objectKey(source);
        String dst = objectKey(target);
        if (size <= maxSingleCopySize) {
            CopyObjectRequest.Builder copy = CopyObjectRequest.builder().sourceBucket(bucket).sourceKey(src)
                    .destinationBucket(bucket).destinationKey(dst).metadataDirective(MetadataDirective.REPLACE)
                    .copySourceIfMatch(eTag).contentType(contentType).metadata(md);
            applySse(copy);
            conditionalCopyCall(source, () -> s3.copyObject(copy.build()));
            return;
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(dst)
                .contentType(contentType).metadata(md);
        applySse(create);
        String uploadId = call("copy " + source, () -> s3.createMultipartUpload(create.build())).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long copyPart = Math.max(MIN_PART, Math.min(maxSingleCopySize, 512L << 20));
            int number = 1;
            for (long off = 0; off < size; off += copyPart, number++) {
                long end = Math.min(size, off + copyPart) - 1;
                int pn = number;
                String range = "bytes=" + off + "-" + end;
                var resp = conditionalCopyCall(source, () -> s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(src)
                        .destinationBucket(bucket).destinationKey(dst).uploadId(uploadId).partNumber(pn).copySourceRange(range)
                        .copySourceIfMatch(eTag)));
                parts.add(CompletedPart.builder().partNumber(pn).eTag(resp.copyPartResult().eTag()).build());
            }
            call("copy " + source, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(dst).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))));
        } catch (RuntimeException e) {
            abort(dst, uploadId, e);
            throw e;
        }
    }

    @Override
    public URI presignGet(BlobKey key, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(maxPresignLifetime) > 0) {
            throw new IllegalArgumentException("lifetime must be positive and at most " + maxPresignLifetime);
        }
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(lifetime)
                    .getObjectRequest(r -> r.bucket(bucket).key(objectKey(key)))).url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "the SDK produced an unusable URL", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        // a put in progress fails rather than waiting forever: on part uploads that will never run (cancelled
        // here), or on the buffers they hold (the pool fails its waiters); running parts are interrupted
        for (Runnable queued : uploader.shutdownNow()) {
            if (queued instanceof Future<?> part) {
                part.cancel(false);
            }
        }
        buffers.close();
        // let the failed puts abort their uploads before the client goes; a put stuck in its source is not waited for
        try {
            if (putsInProgress.writeLock().tryLock(10, TimeUnit.SECONDS)) {
                putsInProgress.writeLock().unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        presigner.close();
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3BlobStore[bucket=" + bucket + ", prefix=" + keyPrefix + "]";
    }

    // ---------------------------------------------------------------- errors

    private <T> T call(String what, java.util.function.Supplier<T> op) {
        return call(what, op, null);
    }

    private <T> T call(String what, java.util.function.Supplier<T> op, BlobKey key) {
        try {
            return op.get();
        } catch (SdkException e) {
            throw translate(what, e, key);
        }
    }

    private static BlobStoreException translate(String what, SdkException e, BlobKey key) {
        if (e instanceof NoSuchKeyException && key != null) {
            return new BlobStoreException(BlobStoreException.Reason.NOT_FOUND, "no blob " + key, e);
        }
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
            if (status == 404 && key != null && !"NoSuchBucket".equals(code)) {
                return new BlobStoreException(BlobStoreException.Reason.NOT_FOUND, "no blob " + key, e);
            }
            if (status == 403 || status == 401) {
                return new BlobStoreException(BlobStoreException.Reason.ACCESS_DENIED, what + ": " + code, e);
            }
            if ("BadDigest".equals(code) || "XAmzContentSHA256Mismatch".equals(code) || "InvalidDigest".equals(code)) {
                return new BlobStoreException(BlobStoreException.Reason.INTEGRITY, what + ": " + code, e);
            }
            if (status >= 500 || status == 429) {
                return new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, what + ": HTTP " + status, e);
            }
            return new BlobStoreException(BlobStoreException.Reason.IO, what + ": HTTP " + status + " " + code, e);
        }
        if (e instanceof SdkClientException) {
            return new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, what + ": " + e.getClass().getSimpleName(), e);
        }
        return new BlobStoreException(BlobStoreException.Reason.IO, what, e);
    }

    /** Refuses endpoints that are not http(s)://host[:port][/path], and plain HTTP off loopback unless allowed. */
    static void checkEndpoint(URI endpoint, boolean allowPlainHttp) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("the endpoint must be an https:// (or loopback http://) URI");
        }
        if (endpoint.getHost() == null || endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("the endpoint must be scheme://host[:port][/path] with no credentials, query or fragment");
        }
        if (scheme.equals("http") && !allowPlainHttp && !isLoopback(endpoint.getHost())) {
            throw new IllegalArgumentException("a plain http:// endpoint off the loopback interface sends blob contents "
                    + "unencrypted: use https://, or allowPlainHttp() (allowPlainHttp=true in an s3: URI) for a trusted network");
        }
    }

    /** Loopback by its literal form only: resolving a name here could give another answer than the SDK gets later. */
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        String[] octets = h.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Builds an {@link S3BlobStore}; {@link #build()} validates. */
    public static final class Builder {
        private String bucket;
        private String keyPrefix = "";
        private String region = "us-east-1";
        private URI endpoint;
        private boolean pathStyle;
        private AwsCredentialsProvider credentials;
        private S3Client client;
        private Sse sse = Sse.NONE;
        private String kmsKeyId;
        private int partSize = 8 << 20;
        private int buffers = 4;
        private int uploadConcurrency = 4;
        private int maxAttempts = 4;
        private long maxSingleCopySize = MAX_SINGLE_COPY;
        private Duration maxPresignLifetime = Duration.ofMinutes(15);
        private boolean recordMultipartDigest = true;
        private boolean allowPlainHttp;

        private Builder() {
        }

        /** The bucket (required). */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** A key prefix inside the bucket, ending with {@code /}, so several stores can share one bucket. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix);
            return this;
        }

        /** The region, {@code us-east-1} by default. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        /**
         * An S3-compatible endpoint instead of AWS: {@code https://host[:port]}. A plain {@code http://} endpoint
         * is accepted only on the loopback interface ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}) unless
         * {@link #allowPlainHttp()} is called, because blob contents would cross the network readable by anyone on
         * the path.
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Accepts a plain {@code http://} endpoint on a non-loopback address (a private network you trust). Requests
         * stay SigV4-signed, payloads included, so nothing can be altered unseen, but contents travel unencrypted.
         */
        public Builder allowPlainHttp() {
            this.allowPlainHttp = true;
            return this;
        }

        /** Path-style addressing ({@code host/bucket/key}), which most S3-compatible stores need. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** Credentials; the SDK's default chain (environment, profile, instance role) when not set. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * A client built and owned by the caller (not closed by {@link #close()}); endpoint, region, path style,
         * credentials and retries are then the client's, presigned URLs included. It should not compute its own
         * request checksums (WHEN_REQUIRED).
         */
        public Builder client(S3Client client) {
            this.client = client;
            return this;
        }

        /** SSE-S3 on every write. */
        public Builder sseS3() {
            this.sse = Sse.S3;
            this.kmsKeyId = null;
            return this;
        }

        /** SSE-KMS on every write with the given key id or ARN (null: the account's default S3 key). */
        public Builder sseKms(String kmsKeyId) {
            this.sse = Sse.KMS;
            this.kmsKeyId = kmsKeyId;
            return this;
        }

        /** Multipart part size, 5 MiB to 512 MiB; 8 MiB by default. Blobs below it are one PutObject. */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /** Part buffers shared by all puts of this store (memory bound = partSize * buffers); 4 by default. */
        public Builder buffers(int buffers) {
            this.buffers = buffers;
            return this;
        }

        /** Parallel part uploads across the store; 4 by default. */
        public Builder uploadConcurrency(int threads) {
            this.uploadConcurrency = threads;
            return this;
        }

        /** Attempts per request, retries included, 1 to 20; 4 by default. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Above this size copies use UploadPartCopy; 5 GiB (the S3 limit) by default. */
        public Builder maxSingleCopySize(long bytes) {
            this.maxSingleCopySize = bytes;
            return this;
        }

        /** The longest lifetime {@link #presignGet} grants; 15 minutes by default, at most 7 days. */
        public Builder maxPresignLifetime(Duration lifetime) {
            this.maxPresignLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /**
         * Whether a multipart upload records the whole blob's SHA-256 afterwards in a digest record (true by
         * default; one small PutObject, no data rewritten). Without it, large blobs are still checked part by part
         * on upload but not on read.
         */
        public Builder recordMultipartDigest(boolean record) {
            this.recordMultipartDigest = record;
            return this;
        }

        /** @throws IllegalArgumentException on a missing bucket or an out-of-range setting */
        public S3BlobStore build() {
            if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("a valid bucket name is required");
            }
            if (!keyPrefix.isEmpty()) {
                BlobKey.checkPrefix(keyPrefix);
                if (!keyPrefix.endsWith("/")) {
                    throw new IllegalArgumentException("the key prefix must end with '/'");
                }
                if (keyPrefix.getBytes(StandardCharsets.UTF_8).length > 512) {
                    throw new IllegalArgumentException("the key prefix must be at most 512 bytes, to leave room for keys");
                }
            }
            if (endpoint != null) {
                checkEndpoint(endpoint, allowPlainHttp);
            }
            if (partSize < MIN_PART || partSize > (512 << 20)) {
                throw new IllegalArgumentException("part size must be 5 MiB to 512 MiB");
            }
            if (buffers < 2 || buffers > 64) {
                throw new IllegalArgumentException("buffers must be 2 to 64");
            }
            if (uploadConcurrency < 1 || uploadConcurrency > 64) {
                throw new IllegalArgumentException("upload concurrency must be 1 to 64");
            }
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("max attempts must be 1 to 20");
            }
            if (maxSingleCopySize < MIN_PART || maxSingleCopySize > MAX_SINGLE_COPY) {
                throw new IllegalArgumentException("max single copy size must be 5 MiB to 5 GiB");
            }
            if (maxPresignLifetime.isNegative() || maxPresignLifetime.isZero() || maxPresignLifetime.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("max presign lifetime must be positive and at most 7 days");
            }
            return new S3BlobStore(this);
        }
    }
}
