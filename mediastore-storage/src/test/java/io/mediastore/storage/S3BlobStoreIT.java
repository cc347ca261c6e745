package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** {@link S3BlobStore} against a real S3-compatible server (S3Proxy) on 127.0.0.1. */
class S3BlobStoreIT extends BlobStoreContract {
    static final String BUCKET = "mediastore-it";
    static final AtomicInteger PREFIXES = new AtomicInteger();
    static Path dir;
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("s3blobstore-it");
        server = S3ProxyServer.start(dir.resolve("s3"));
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Each test gets its own key prefix, so stores never see each other's blobs. */
    @Override
    protected BlobStore newStore() {
        return server.store(BUCKET).keyPrefix("t" + PREFIXES.incrementAndGet() + "/").partSize(5 << 20).build();
    }

    /** A deterministic pseudo-random stream of unknown length: large blobs without holding them in memory. */
    static InputStream generated(long size, long seed) {
        return new InputStream() {
            private final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, left), 64 * 1024);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt();
                }
                left -= n;
                return n;
            }
        };
    }

    /** A client of the test server that runs this interceptor on every request. */
    static S3Client clientWith(ExecutionInterceptor interceptor) {
        return clientWith(interceptor, 0);
    }

    /** The same, trying each request at most {@code maxAttempts} times (0: the SDK's default). */
    static S3Client clientWith(ExecutionInterceptor interceptor, int maxAttempts) {
        return S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(S3ProxyServer.credentials()).forcePathStyle(true)
                .overrideConfiguration(o -> {
                    o.addExecutionInterceptor(interceptor);
                    if (maxAttempts > 0) {
                        o.retryStrategy(r -> r.maxAttempts(maxAttempts));
                    }
                }).build();
    }

    static String sha256Of(InputStream in) throws IOException {
        MessageDigest d = Sha256.newDigest();
        byte[] buf = new byte[1 << 16];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return Sha256.hex(d.digest());
    }

    @Test
    void twoHundredMebibytesRoundTrip() throws IOException {
        long size = 200L << 20;
        BlobKey key = BlobKey.of("big/200m.bin");
        BlobInfo info = store.put(key, generated(size, 42), PutOptions.builder().contentType("video/mp4").build());
        String expected = sha256Of(generated(size, 42));
        assertEquals(size, info.size());
        assertEquals(expected, info.sha256().orElseThrow());
        BlobInfo stat = store.stat(key).orElseThrow();
        assertEquals(size, stat.size());
        assertEquals(Optional.of(expected), stat.sha256(), "the whole-object digest is recorded after a multipart upload");
        assertEquals("video/mp4", stat.contentType());
        // the store's own stream verifies; an independent plain client sees the same bytes
        assertEquals(expected, sha256Of(store.get(key)));
        byte[] slice = store.get(key, ByteRange.of(100L << 20, 10)).readAllBytes();
        InputStream skipped = generated(size, 42);
        skipped.skipNBytes(100L << 20);
        assertArrayEquals(skipped.readNBytes(10), slice);
    }

    /** Something that can go wrong while a put reads its source. */
    interface Trouble {
        void happen() throws IOException;
    }

    /** {@code in}, with {@code trouble} before every read once more than {@code after} bytes have been read. */
    private static InputStream troubleAfter(InputStream in, long after, Trouble trouble) {
        return new java.io.FilterInputStream(in) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > after) {
                    trouble.happen();
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
    }

    @Test
    void userMetadataLeavesRoomForTheDigestS3KeepsBesideIt() throws Exception {
        // S3 allows 2,048 bytes of user metadata, the blob's SHA-256 entry included (S3Proxy does not enforce it)
        String near = "x".repeat(PutOptions.MAX_METADATA_BYTES - 1 - 50); // one name of one byte: 50 bytes short
        PutOptions tooMuch = PutOptions.builder().metadata("a", near).build();
        BlobKey key = BlobKey.of("meta/near-limit");
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put(key, new java.io.ByteArrayInputStream(new byte[10]), tooMuch));
        assertEquals(BlobStoreException.Reason.UNSUPPORTED, e.reason());
        assertEquals(Optional.empty(), store.stat(key), "nothing stored");
        PutOptions fits = PutOptions.builder().metadata("a", "x".repeat(PutOptions.MAX_METADATA_BYTES - 1 - 81)).build();
        store.put(key, new java.io.ByteArrayInputStream(new byte[10]), fits);
        String objectKey = server.raw().listObjectsV2(r -> r.bucket(BUCKET)).contents().stream().map(o -> o.key())
                .filter(k -> k.endsWith("/meta/near-limit")).findFirst().orElseThrow();
        var head = server.raw().headObject(r -> r.bucket(BUCKET).key(objectKey));
        int bytes = head.metadata().entrySet().stream().mapToInt(m -> m.getKey().length() + m.getValue().length()).sum();
        assertTrue(bytes <= PutOptions.MAX_METADATA_BYTES, bytes + " bytes of user metadata stored");
    }

    @Test
    void failingSourceAbortsTheMultipartUploadLeavingNoParts() {
        InputStream failsAt23MiB = troubleAfter(generated(100L << 20, 3), 23L << 20, () -> {
            throw new IOException("client disconnected");
        });
        BlobKey key = BlobKey.of("aborted");
        assertEquals(BlobStoreException.Reason.SOURCE_FAILED,
                assertThrows(BlobStoreException.class, () -> store.put(key, failsAt23MiB)).reason());
        assertEquals(Optional.empty(), store.stat(key));
        assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET)).uploads().size(), "no orphaned upload");
    }

    @Test
    void anInterruptedPutStillAbortsItsUpload() {
        // a request thread cancelled mid-upload (Future.cancel(true), an executor's shutdownNow): the SDK refuses
        // calls on an interrupted thread, and the abort used to be one of them
        InputStream interruptsAfter6MiB = troubleAfter(generated(20L << 20, 7), 6L << 20, () -> Thread.currentThread().interrupt());
        try (S3BlobStore s = server.store(BUCKET).keyPrefix("interrupted/").partSize(5 << 20).build()) {
            try {
                assertThrows(BlobStoreException.class, () -> s.put(BlobKey.of("k"), interruptsAfter6MiB));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is still the caller's");
            }
            assertEquals(Optional.empty(), s.stat(BlobKey.of("k")));
            assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET).prefix("interrupted/")).uploads().size(),
                    "no upload or parts left behind");
        }
    }

    @Test
    void aRangeTheServerIgnoredIsRefusedNotPassedOffAsTheRange() throws Exception {
        ExecutionInterceptor dropRange = new ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                return c.httpRequest().toBuilder().removeHeader("Range").build();
            }
        };
        try (S3Client client = clientWith(dropRange);
             S3BlobStore s = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("no-range/").build()) {
            byte[] data = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.put(BlobKey.of("r"), unknownLength(data));
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.get(BlobKey.of("r"), ByteRange.of(5, 3)));
            assertEquals(BlobStoreException.Reason.IO, e.reason());
            assertTrue(e.getMessage().contains("byte range"), e.getMessage());
            assertArrayEquals(data, readAll(s.get(BlobKey.of("r"), ByteRange.from(0))), "the whole blob is what was asked for");
            // HTTP lets a server ignore Range: the whole blob answers a range from 0 that it fits in (an encrypted
            // store's whole read asks for exactly that), but not a shorter one
            assertArrayEquals(data, readAll(s.get(BlobKey.of("r"), ByteRange.of(0, 10))));
            assertArrayEquals(data, readAll(s.get(BlobKey.of("r"), ByteRange.of(0, 50))));
            assertEquals(BlobStoreException.Reason.IO, assertThrows(BlobStoreException.class,
                    () -> s.get(BlobKey.of("r"), ByteRange.of(0, 5))).reason());
            BlobStore encrypted = EncryptingBlobStore.wrap(s, KeyRing.builder().add("m1", random(32, 20)).build());
            encrypted.put(BlobKey.of("e"), unknownLength(data));
            assertArrayEquals(data, readAll(encrypted.get(BlobKey.of("e"))));
        }
        assertArrayEquals("567".getBytes(java.nio.charset.StandardCharsets.US_ASCII), readAll(store.get(putTen(), ByteRange.of(5, 3))));
    }

    private BlobKey putTen() {
        BlobKey key = BlobKey.of("ten");
        store.put(key, unknownLength("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return key;
    }

    @Test
    void closingTheStoreFailsAPutInProgressInsteadOfHangingIt() throws Exception {
        // once, close() dropped queued part uploads: the put waited for them, or for their buffers, forever
        S3BlobStore closing = server.store(BUCKET).keyPrefix("closing/").partSize(5 << 20).buffers(2).uploadConcurrency(1).build();
        var put = java.util.concurrent.CompletableFuture.supplyAsync(() -> closing.put(BlobKey.of("long"), generated(10L << 30, 5)));
        Thread.sleep(1000);
        assertTrue(!put.isDone(), "the put is still running when the store closes");
        closing.close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> put.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BlobStoreException, e.getCause().toString());
        try (S3BlobStore reader = server.store(BUCKET).keyPrefix("closing/").build()) {
            assertEquals(Optional.empty(), reader.stat(BlobKey.of("long")), "nothing was published");
        }
        assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET).prefix("closing/")).uploads().size(),
                "close waited for the failed put to abort its upload");
        assertTrue(assertThrows(BlobStoreException.class, () -> closing.put(BlobKey.of("after"),
                new java.io.ByteArrayInputStream(new byte[1]))).getMessage().contains("the store is closed"));
    }

    @Test
    void failingPartAbortsTheMultipartUpload() {
        ExecutionInterceptor failPart3 = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest r && r.partNumber() == 3) {
                    throw new IllegalStateException("injected part failure");
                }
            }
        };
        try (S3Client client = clientWith(failPart3);
             S3BlobStore failing = S3BlobStore.builder().bucket(BUCKET).client(client).partSize(5 << 20).build()) {
            BlobKey key = BlobKey.of("part-failure");
            assertThrows(RuntimeException.class, () -> failing.put(key, generated(30L << 20, 4)));
            assertEquals(Optional.empty(), failing.stat(key));
            assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET)).uploads().size(), "no orphaned upload");
        }
    }

    @Test
    void aConcurrentOverwriteIsNeverStampedWithOurDigest() throws IOException {
        byte[] theirs = random(2048, 12);
        ExecutionInterceptor overwriteBeforeStamp = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest p && p.key().contains(S3BlobStore.DIGEST_NAMESPACE)) {
                    // another writer replaces the object between our CompleteMultipartUpload and our digest record
                    server.raw().putObject(r -> r.bucket(BUCKET).key("race/r"), RequestBody.fromBytes(theirs));
                }
            }
        };
        try (S3Client client = clientWith(overwriteBeforeStamp);
             S3BlobStore racing = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("race/").partSize(5 << 20).build()) {
            racing.put(BlobKey.of("r"), generated(11L << 20, 13));
            assertEquals(Optional.empty(), racing.stat(BlobKey.of("r")).orElseThrow().sha256(), "their object keeps no digest of ours");
            assertArrayEquals(theirs, readAll(racing.get(BlobKey.of("r"))));
        }
    }

    /**
     * Another client writes between a conditional put's own check and the request that would make the put visible:
     * S3 itself must refuse that request, for a single PutObject and for a CompleteMultipartUpload (whose upload is
     * then aborted).
     */
    @Test
    void aConditionalPutLosesToAWriteLandingAfterItsCheck() throws IOException {
        byte[] theirs = random(3000, 30);
        ExecutionInterceptor writeFirst = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String key = context.request() instanceof PutObjectRequest p ? p.key()
                        : context.request() instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest c
                        ? c.key() : null;
                if (key != null && !key.contains(S3BlobStore.DIGEST_NAMESPACE)) {
                    server.raw().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(theirs));
                }
            }
        };
        try (S3Client client = clientWith(writeFirst);
             S3BlobStore racing = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("cond-race/").partSize(5 << 20).build();
             S3BlobStore plain = server.store(BUCKET).keyPrefix("cond-race/").build()) {
            // each path: a single PutObject or a CompleteMultipartUpload, if absent or if it still holds what was seen
            for (boolean multipart : new boolean[] {false, true}) {
                long size = multipart ? 11L << 20 : 1000;
                BlobKey free = BlobKey.of((multipart ? "multi" : "single") + "-absent");
                assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                        () -> racing.putIfAbsent(free, generated(size, 31), PutOptions.defaults())).reason());
                assertArrayEquals(theirs, readAll(plain.get(free)), "their write, which landed first, is kept");
                BlobKey seen = BlobKey.of((multipart ? "multi" : "single") + "-seen");
                plain.put(seen, unknownLength(random(500, 32)));
                String sha = racing.stat(seen).orElseThrow().sha256().orElseThrow();
                assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                        () -> racing.putIf(seen, sha, generated(size, 33), PutOptions.defaults())).reason());
                assertArrayEquals(theirs, readAll(plain.get(seen)), "their write, which landed first, is kept");
            }
            assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET).prefix("cond-race/")).uploads().size(),
                    "the refused uploads are aborted");
        }
    }

    @Test
    void aPutIfAbsentLosingToAnIdenticalPutIsTold() throws IOException {
        byte[] data = random(1000, 35);
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        try (S3BlobStore other = server.store(BUCKET).keyPrefix("cond-same/").build()) {
            ExecutionInterceptor sameBytesFirst = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof PutObjectRequest && once.compareAndSet(false, true)) {
                        other.put(BlobKey.of("lock"), new java.io.ByteArrayInputStream(data), PutOptions.defaults());
                    }
                }
            };
            try (S3Client client = clientWith(sameBytesFirst);
                 S3BlobStore racing = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("cond-same/").build()) {
                assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                        () -> racing.putIfAbsent(BlobKey.of("lock"), unknownLength(data), PutOptions.defaults())).reason(),
                        "another client created the key first, with the same bytes: this put stored nothing");
            }
        }
    }

    /** Turns the answer to the first PUT into a 503 (the request itself was served), counting every PUT. */
    private static ExecutionInterceptor firstPutAnswered503(AtomicInteger puts) {
        return firstAnswered503(SdkHttpMethod.PUT, puts);
    }

    /** Turns the answer to the first request of this method into a 503 (it was served), counting every such request. */
    private static ExecutionInterceptor firstAnswered503(SdkHttpMethod method, AtomicInteger requests) {
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                if (context.httpRequest().method() == method && requests.incrementAndGet() == 1) {
                    return context.httpResponse().toBuilder().statusCode(503).build();
                }
                return context.httpResponse();
            }
        };
    }

    @Test
    void aConditionalMultipartPutWhoseCompletionAnswerWasLostSucceeds() throws IOException {
        // S3Proxy (like AWS) answers a retried completion of a finished upload as done
        AtomicInteger posts = new AtomicInteger();
        try (S3Client client = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(S3ProxyServer.credentials()).forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                        boolean completion = context.httpRequest().method() == SdkHttpMethod.POST
                                && context.httpRequest().rawQueryParameters().containsKey("uploadId");
                        if (completion && posts.incrementAndGet() == 1) {
                            return context.httpResponse().toBuilder().statusCode(503).build();
                        }
                        return context.httpResponse();
                    }
                }).retryStrategy(r -> r.maxAttempts(3))).build();
             S3BlobStore retrying = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("cond-retry-mp/")
                     .partSize(5 << 20).build()) {
            BlobInfo stored = retrying.putIfAbsent(BlobKey.of("m"), generated(11L << 20, 36), PutOptions.defaults());
            assertTrue(posts.get() >= 2, "the completion's first answer was lost and it was retried");
            assertEquals(stored.sha256(), retrying.stat(BlobKey.of("m")).orElseThrow().sha256(), "its digest is recorded");
            assertEquals(11L << 20, readAll(retrying.get(BlobKey.of("m"))).length);
        }
    }

    /**
     * The SDK retries a PutObject whose answer was lost (here: turned into a 503); the retry of a conditional put
     * that had stored is refused by its own condition, and must not be reported as somebody else's blob.
     */
    @Test
    void aRetriedConditionalPutThatHadStoredSucceeds() throws IOException {
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor firstAnswerLost = firstPutAnswered503(puts);
        try (S3Client client = clientWith(firstAnswerLost, 3);
             S3BlobStore retrying = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("cond-retry/").build()) {
            byte[] data = random(1024, 34);
            BlobInfo stored = retrying.putIfAbsent(BlobKey.of("r"), unknownLength(data), PutOptions.defaults());
            assertTrue(puts.get() >= 2, "the first attempt's answer was lost and the put retried");
            assertEquals(Sha256.hex(Sha256.newDigest().digest(data)), stored.sha256().orElseThrow());
            assertArrayEquals(data, readAll(retrying.get(BlobKey.of("r"))));
        }
    }

    /**
     * The source is overwritten between the copy's HEAD and its CopyObject (or its first UploadPartCopy): the copy
     * must not stamp the old digest on the new content, which reads would then refuse as INTEGRITY.
     */
    @Test
    void aSourceOverwrittenMidCopyIsCopiedAgainNotStampedWithTheOldDigest() throws IOException {
        for (boolean multipart : new boolean[] {false, true}) {
            byte[] first = random(6 << 20, 21);
            byte[] second = random(6 << 20, 22);
            String prefix = multipart ? "copyrace-mp/" : "copyrace/";
            java.util.concurrent.atomic.AtomicInteger overwrites = new java.util.concurrent.atomic.AtomicInteger();
            List<String> copies = new java.util.concurrent.CopyOnWriteArrayList<>();
            ExecutionInterceptor overwriteBeforeCopy = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    boolean copyRequest = context.request() instanceof software.amazon.awssdk.services.s3.model.CopyObjectRequest
                            || context.request() instanceof software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
                    if (copyRequest) {
                        copies.add(context.request().getClass().getSimpleName());
                        if (overwrites.getAndIncrement() == 0) {
                            // another writer replaces the source after our HEAD, before the data is copied
                            server.raw().putObject(r -> r.bucket(BUCKET).key(prefix + "src"), RequestBody.fromBytes(second));
                        }
                    }
                }
            };
            try (S3Client client = clientWith(overwriteBeforeCopy);
                 S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix(prefix)
                         .maxSingleCopySize(multipart ? 5 << 20 : 5L << 30).build()) {
                store.put(BlobKey.of("src"), unknownLength(first));
                store.copy(BlobKey.of("src"), BlobKey.of("dst"));
                assertArrayEquals(second, readAll(store.get(BlobKey.of("dst"))),
                        "the copy holds the new source, read whole with its digest checked (multipart copy: " + multipart + ")");
                assertTrue(copies.size() >= 2, "the first copy was refused by its If-Match and made again: " + copies);
                assertEquals(0, server.raw().listMultipartUploads(r -> r.bucket(BUCKET)).uploads().size(),
                        "the refused multipart copy was aborted");
                // a store over an injected client presigns with that client's endpoint, path style and credentials
                HttpResponse<byte[]> viaLink = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(store.presignGet(BlobKey.of("dst"), Duration.ofMinutes(1))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, viaLink.statusCode());
                assertArrayEquals(second, viaLink.body());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aMultipartDigestIsRecordedWithoutRewritingAnyData() throws IOException {
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor recordRequests = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request().getClass().getSimpleName());
            }
        };
        long size = (11L << 20) + 7;
        String expected = sha256Of(generated(size, 21));
        try (S3Client client = clientWith(recordRequests);
             S3BlobStore recording = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("record/").partSize(5 << 20).build()) {
            BlobKey key = BlobKey.of("media/big.bin");
            assertEquals(expected, recording.put(key, generated(size, 21)).sha256().orElseThrow());
            assertEquals(List.of("CreateMultipartUploadRequest", "UploadPartRequest", "UploadPartRequest", "UploadPartRequest",
                    "CompleteMultipartUploadRequest", "PutObjectRequest"), requests.stream().sorted(java.util.Comparator
                    .comparing((String r) -> r.startsWith("Create") ? 0 : r.startsWith("Upload") ? 1 : r.startsWith("Complete") ? 2 : 3))
                    .toList(), "no CopyObject: the only extra request is the small digest record");
            // the object's own metadata has no digest; the record next to it does, bound to the object's ETag
            var head = server.raw().headObject(r -> r.bucket(BUCKET).key("record/media/big.bin"));
            assertEquals(null, head.metadata().get(S3BlobStore.SHA_META));
            String record = server.raw().getObjectAsBytes(r -> r.bucket(BUCKET).key("record/" + S3BlobStore.digestRecordName(BlobKey.of("media/big.bin"))))
                    .asUtf8String();
            assertEquals("mediastore-digest-record 1\netag " + head.eTag().replace("\"", "") + "\nsize " + size + "\nsha256 "
                    + expected + "\n", record);
            // stat reports it and get checks it; listings never show the record
            assertEquals(Optional.of(expected), recording.stat(key).orElseThrow().sha256());
            assertEquals(expected, sha256Of(recording.get(key)));
            assertEquals(List.of("media/big.bin"), recording.listAll("").map(b -> b.key().value()).toList());
            // a copy carries the digest in its own metadata
            assertEquals(Optional.of(expected), recording.copy(key, BlobKey.of("media/copy.bin")).sha256());
            assertEquals(Optional.of(expected), recording.stat(BlobKey.of("media/copy.bin")).orElseThrow().sha256());
            // delete removes the record too
            recording.delete(key);
            assertEquals(Optional.empty(), recording.stat(key));
            assertEquals(List.of("record/media/copy.bin"), server.raw().listObjectsV2(r -> r.bucket(BUCKET).prefix("record/"))
                    .contents().stream().map(o -> o.key()).toList());
        }
    }

    /**
     * A multipart put names the whole blob's CRC-32C, combined from its parts' without reading the data again, and
     * lists no part checksums (the server checked each as it arrived). A server that wants them listed anyway,
     * answering 400 InvalidRequest (S3Proxy answers so to a checksum header naming 0 parts, which stands in for that
     * here), is asked once more with them listed; S3Proxy then combines the parts' checksums itself, and agrees.
     * The store remembers: its next put lists them from the start.
     */
    @Test
    void aMultipartPutNamesItsWholeCrc32cAndListsPartChecksumsOnlyWhenAsked() throws IOException {
        List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutionInterceptor refuseFirstCompletion = new ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                if (!(c.request() instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest r)) {
                    return c.httpRequest();
                }
                completions.add(r.checksumType() + " " + r.checksumCRC32C() + " " + r.mpuObjectSize() + " "
                        + r.multipartUpload().parts().stream().map(p -> p.checksumCRC32C() != null).toList());
                return refused.getAndSet(true) ? c.httpRequest()
                        : c.httpRequest().toBuilder().putHeader("x-amz-checksum-crc32c", "AAAAAA==-0").build();
            }
        };
        long size = (11L << 20) + 7;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (InputStream in = generated(size, 31)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        String wholeCrc = java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        try (S3Client client = clientWith(refuseFirstCompletion);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("crc/").partSize(5 << 20).build()) {
            BlobKey key = BlobKey.of("media/big.bin");
            String expected = sha256Of(generated(size, 31));
            assertEquals(expected, store.put(key, generated(size, 31)).sha256().orElseThrow());
            assertEquals(List.of("FULL_OBJECT " + wholeCrc + " " + size + " [false, false, false]",
                    "FULL_OBJECT " + wholeCrc + " " + size + " [true, true, true]"), completions);
            var head = server.raw().headObject(r -> r.bucket(BUCKET).key("crc/media/big.bin")
                    .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
            assertEquals(wholeCrc, head.checksumCRC32C(), "S3Proxy's own full-object CRC-32C, from the listed parts");
            assertEquals(software.amazon.awssdk.services.s3.model.ChecksumType.FULL_OBJECT, head.checksumType());
            assertEquals(expected, sha256Of(store.get(key)));

            completions.clear();
            assertEquals(expected, store.put(BlobKey.of("media/again.bin"), generated(size, 31)).sha256().orElseThrow());
            assertEquals(List.of("FULL_OBJECT " + wholeCrc + " " + size + " [true, true, true]"), completions);
        }
    }

    /**
     * Any other refusal of a completion is not retried: BadDigest (S3Proxy's answer to an undecodable checksum header,
     * which stands in for a whole-object CRC32C that does not match) fails the put, and the upload is aborted.
     */
    @Test
    void aCompletionRefusedForItsDigestIsNotRetriedAndLeavesNothing() {
        List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor badDigest = new ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                if (!(c.request() instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest)) {
                    return c.httpRequest();
                }
                completions.add(c.httpRequest().encodedPath());
                return c.httpRequest().toBuilder().putHeader("x-amz-checksum-crc32c", "not base64!").build(); // S3Proxy: BadDigest
            }
        };
        try (S3Client client = clientWith(badDigest);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("baddigest/").partSize(5 << 20).build()) {
            BlobStoreException e = assertThrows(BlobStoreException.class,
                    () -> store.put(BlobKey.of("media/big.bin"), generated((10L << 20) + 3, 41)));
            assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason());
            assertEquals(1, completions.size(), "a refusal other than 400 InvalidRequest is not retried: " + completions);
            assertEquals(Optional.empty(), store.stat(BlobKey.of("media/big.bin")));
            assertTrue(server.raw().listMultipartUploads(r -> r.bucket(BUCKET).prefix("baddigest/")).uploads().isEmpty(),
                    "the upload was aborted");
        }
    }

    /** A server that takes the full-object completion is never asked with the part checksums listed, put after put. */
    @Test
    void aServerThatTakesTheFullObjectCompletionIsNeverSentPartChecksums() throws IOException {
        List<Boolean> listed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor recordCompletions = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                if (c.request() instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest r) {
                    r.multipartUpload().parts().forEach(p -> listed.add(p.checksumCRC32C() != null));
                }
            }
        };
        try (S3Client client = clientWith(recordCompletions);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("fullobject/").partSize(5 << 20).build()) {
            for (int i = 0; i < 3; i++) {
                store.put(BlobKey.of("media/" + i + ".bin"), generated((5L << 20) + 1, i));
            }
        }
        assertEquals(List.of(false, false, false, false, false, false), listed, "three puts of two parts each");
    }

    /** A server that does not confirm the full-object type at creation (it predates it) gets a composite completion. */
    @Test
    void aServerThatDoesNotConfirmTheFullObjectTypeGetsACompositeCompletion() throws IOException {
        List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor olderServer = new ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.http.SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse c, ExecutionAttributes a) {
                return c.request() instanceof software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest
                        ? c.httpResponse().toBuilder().removeHeader("x-amz-checksum-type").build() : c.httpResponse();
            }

            @Override
            public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                if (c.request() instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest r) {
                    completions.add(r.checksumType() + " " + r.checksumCRC32C() + " "
                            + r.multipartUpload().parts().stream().map(p -> p.checksumCRC32C() != null).toList());
                }
            }
        };
        long size = (10L << 20) + 1;
        try (S3Client client = clientWith(olderServer);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("composite/").partSize(5 << 20).build()) {
            BlobKey key = BlobKey.of("media/big.bin");
            String expected = sha256Of(generated(size, 37));
            assertEquals(expected, store.put(key, generated(size, 37)).sha256().orElseThrow());
            assertEquals(List.of("null null [true, true, true]"), completions);
            assertEquals(expected, sha256Of(store.get(key)));
        }
    }

    @Test
    void aTamperedDigestRecordIsDetectedOnRead() throws IOException {
        S3BlobStore s = server.store(BUCKET).keyPrefix("tamper/").partSize(5 << 20).build();
        try (s) {
            BlobKey key = BlobKey.of("v.bin");
            s.put(key, generated((5L << 20) + 1, 31));
            String recordKey = "tamper/" + S3BlobStore.digestRecordName(BlobKey.of("v.bin"));
            String record = server.raw().getObjectAsBytes(r -> r.bucket(BUCKET).key(recordKey)).asUtf8String();
            String good = record.substring(record.indexOf("sha256 ") + 7, record.length() - 1);
            String bad = (good.charAt(0) == '0' ? "1" : "0") + good.substring(1);
            server.raw().putObject(r -> r.bucket(BUCKET).key(recordKey), RequestBody.fromString(record.replace(good, bad)));
            assertEquals(Optional.of(bad), s.stat(key).orElseThrow().sha256());
            assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> readAll(s.get(key))).reason());
            // a record that names another size (or ETag) is not believed at all
            server.raw().putObject(r -> r.bucket(BUCKET).key(recordKey),
                    RequestBody.fromString(record.replace("size " + ((5L << 20) + 1), "size 1")));
            assertEquals(Optional.empty(), s.stat(key).orElseThrow().sha256());
            assertEquals(sha256Of(generated((5L << 20) + 1, 31)), sha256Of(s.get(key)));
            // the genuine record again, but another multipart upload of the same size has replaced the object since:
            // its ETag differs from the one the record names, so the record is not believed for it
            server.raw().putObject(r -> r.bucket(BUCKET).key(recordKey), RequestBody.fromString(record));
            assertEquals(Optional.of(good), s.stat(key).orElseThrow().sha256());
            String objectKey = "tamper/v.bin";
            String upload = server.raw().createMultipartUpload(r -> r.bucket(BUCKET).key(objectKey)).uploadId();
            byte[] first = random(5 << 20, 32);
            byte[] second = random(1, 33);
            String e1 = server.raw().uploadPart(r -> r.bucket(BUCKET).key(objectKey).uploadId(upload).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String e2 = server.raw().uploadPart(r -> r.bucket(BUCKET).key(objectKey).uploadId(upload).partNumber(2),
                    RequestBody.fromBytes(second)).eTag();
            server.raw().completeMultipartUpload(r -> r.bucket(BUCKET).key(objectKey).uploadId(upload).multipartUpload(m -> m.parts(
                    software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(e1).build(),
                    software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2).eTag(e2).build())));
            BlobInfo theirs = s.stat(key).orElseThrow();
            assertEquals((5L << 20) + 1, theirs.size());
            assertEquals(Optional.empty(), theirs.sha256(), "a record naming another ETag is not believed");
            byte[] expected = new byte[(5 << 20) + 1];
            System.arraycopy(first, 0, expected, 0, first.length);
            expected[first.length] = second[0];
            assertArrayEquals(expected, readAll(s.get(key)));
        }
    }

    @Test
    void listingSkipsDigestRecordsWithoutEndingEarly() {
        S3BlobStore s = server.store(BUCKET).keyPrefix("listing/").partSize(5 << 20).build();
        try (s) {
            // the records of two multipart blobs sort before both ('\\' < 'a'): pages of one must walk past them
            s.put(BlobKey.of("a"), generated((5L << 20) + 1, 1));
            s.put(BlobKey.of("b"), generated((5L << 20) + 1, 2));
            s.put(BlobKey.of("c"), unknownLength(random(10, 3)));
            assertEquals(5, server.raw().listObjectsV2(r -> r.bucket(BUCKET).prefix("listing/")).keyCount());
            BlobPage first = s.list("", null, 1);
            assertEquals(List.of("a"), first.items().stream().map(b -> b.key().value()).toList());
            List<String> all = new java.util.ArrayList<>();
            String token = null;
            do {
                BlobPage page = s.list("", token, 1);
                page.items().forEach(b -> all.add(b.key().value()));
                token = page.nextPageToken().orElse(null);
            } while (token != null);
            assertEquals(List.of("a", "b", "c"), all);
        }
    }

    @Test
    void transientServerErrorsAreRetried() throws IOException {
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor firstPutIs503 = firstPutAnswered503(puts);
        try (S3Client client = clientWith(firstPutIs503, 3);
             S3BlobStore retrying = S3BlobStore.builder().bucket(BUCKET).client(client).keyPrefix("retry/").build()) {
            byte[] data = random(1024, 8);
            retrying.put(BlobKey.of("r"), unknownLength(data));
            assertEquals(2, puts.get(), "one 503, then a retry");
            assertArrayEquals(data, readAll(retrying.get(BlobKey.of("r"))));
        }
    }

    /** A store built as an application builds it (its own client and retry strategy) whose endpoint is {@code front}. */
    private static S3BlobStore throughFront(FaultInjectingProxy front, String prefix, Integer maxAttempts) {
        S3BlobStore.Builder b = S3BlobStore.builder().bucket(BUCKET).endpoint(front.endpoint()).pathStyle(true)
                .credentials(S3ProxyServer.credentials()).keyPrefix(prefix).partSize(5 << 20);
        if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
        }
        return b.build();
    }

    private static boolean isPut(String request) {
        return request.startsWith("PUT ");
    }

    @Test
    void theStoresOwnClientGivesUpAfterMaxAttempts() throws IOException {
        // null: the builder's default, documented as 4
        for (Integer maxAttempts : new Integer[] {1, 3, null}) {
            String prefix = "retry-own-" + (maxAttempts == null ? "default" : maxAttempts) + "/";
            try (FaultInjectingProxy front = FaultInjectingProxy.start(server.endpoint(), S3BlobStoreIT::isPut, Integer.MAX_VALUE);
                 S3BlobStore s = throughFront(front, prefix, maxAttempts)) {
                BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.put(BlobKey.of("r"), unknownLength(random(1024, 8))),
                        "a put that always gets 500 fails");
                int expected = maxAttempts == null ? 4 : maxAttempts;
                assertEquals(BlobStoreException.Reason.UNAVAILABLE, e.reason(), "a 5xx after the last attempt is UNAVAILABLE: " + e);
                assertEquals(expected, front.affectedRequests(), "maxAttempts(" + maxAttempts + ") makes exactly that many attempts: "
                        + front.requests());
                assertEquals(0, server.raw().listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).keyCount(), "nothing was stored");
            }
        }
    }

    @Test
    void theStoresOwnClientRetriesTransientErrorsBelowMaxAttempts() throws IOException {
        for (int failures : new int[] {1, 3}) {
            String prefix = "retry-ok-" + failures + "/";
            byte[] data = random(1024, failures);
            try (FaultInjectingProxy front = FaultInjectingProxy.start(server.endpoint(), S3BlobStoreIT::isPut, failures);
                 S3BlobStore s = throughFront(front, prefix, 4)) {
                BlobInfo info = s.put(BlobKey.of("r"), unknownLength(data));
                assertEquals(failures + 1, front.affectedRequests(), failures + " failures, then one success: " + front.requests());
                // each attempt re-sent the whole body: what landed is the blob, with its digest
                assertArrayEquals(data, server.raw().getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + "r")).asByteArray());
                assertEquals(info.sha256(), s.stat(BlobKey.of("r")).orElseThrow().sha256());
                assertArrayEquals(data, readAll(s.get(BlobKey.of("r"))));
            }
        }
    }

    private static boolean isPart(String request, int partNumber) {
        return request.startsWith("PUT ") && request.matches(".*[?&]partNumber=" + partNumber + "(&.*| .*)?");
    }

    @Test
    void aFailingPartIsRetriedWithoutRestartingTheUpload() throws IOException {
        long size = 12L << 20;
        try (FaultInjectingProxy front = FaultInjectingProxy.start(server.endpoint(), r -> isPart(r, 2), 2);
             S3BlobStore s = throughFront(front, "retry-part/", 3)) {
            BlobInfo info = s.put(BlobKey.of("big"), generated(size, 17));
            List<String> requests = front.requests();
            assertEquals(3, front.affectedRequests(), "part 2 failed twice, then went up: " + requests);
            assertEquals(1, requests.stream().filter(r -> r.startsWith("POST ") && r.contains("?uploads")).count(),
                    "one multipart upload, not restarted: " + requests);
            for (int n = 1; n <= 3; n++) {
                int part = n;
                assertEquals(1, requests.stream().filter(r -> isPart(r, part) && r.endsWith(" -> 200")).count(),
                        "part " + n + " stored once: " + requests);
            }
            assertEquals(sha256Of(generated(size, 17)), info.sha256().orElseThrow());
            assertEquals(info.sha256().orElseThrow(), sha256Of(server.raw().getObject(r -> r.bucket(BUCKET).key("retry-part/big"))),
                    "the object holds the blob's bytes");
        }
    }

    /** A valid key of exactly {@code bytes} bytes: segments of up to 200 bytes. */
    private static BlobKey keyOfBytes(int bytes) {
        StringBuilder b = new StringBuilder();
        while (b.length() < bytes) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append("x".repeat(Math.min(200, Math.max(1, bytes - b.length()))));
        }
        BlobKey key = BlobKey.of(b.toString());
        assertEquals(bytes, key.value().length());
        return key;
    }

    @Test
    void keysStayWithinS3sKeyLimitUnderAPrefix() throws IOException {
        String prefix = "tenant-a/"; // 9 bytes: keys of up to 1015 bytes fit
        try (S3BlobStore s = server.store(BUCKET).keyPrefix(prefix).partSize(5 << 20).build()) {
            BlobKey longest = keyOfBytes(1015);
            byte[] data = random((5 << 20) + 1, 19); // multipart: it gets a digest record too
            String sha = sha256Of(new java.io.ByteArrayInputStream(data));
            assertEquals(sha, s.put(longest, unknownLength(data)).sha256().orElseThrow());
            assertEquals(Optional.of(sha), s.stat(longest).orElseThrow().sha256(), "its digest record was found");
            for (var o : server.raw().listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents()) {
                assertTrue(o.key().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024, o.key().length() + " bytes");
            }
            BlobKey tooLong = keyOfBytes(1016); // a valid key, but not under this prefix
            InvalidBlobKeyException e = assertThrows(InvalidBlobKeyException.class, () -> s.put(tooLong, unknownLength(new byte[1])));
            assertEquals(InvalidBlobKeyException.Reason.TOO_LONG, e.reason());
            assertTrue(e.getMessage().contains("at most 1015 bytes"), e.getMessage());
            assertThrows(InvalidBlobKeyException.class, () -> s.stat(tooLong));
            s.delete(longest);
            assertEquals(0, server.raw().listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).keyCount(), "the record went too");
        }
        assertThrows(IllegalArgumentException.class, () -> server.store(BUCKET).keyPrefix("p".repeat(600) + "/").build());
    }

    @Test
    void aDigestRecordThatCannotBeWrittenIsReportedAsSuch() throws IOException {
        byte[] data = random((12 << 20) + 5, 18);
        try (FaultInjectingProxy front = FaultInjectingProxy.start(server.endpoint(),
                r -> r.startsWith("PUT ") && r.contains("mediastore-sha256"), Integer.MAX_VALUE);
             S3BlobStore s = throughFront(front, "record-fails/", 2)) {
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.put(BlobKey.of("big"), unknownLength(data)));
            assertEquals(BlobStoreException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("big was stored, but recording its SHA-256 failed"), e.getMessage());
            assertEquals(2, front.affectedRequests(), "the record's put was retried: " + front.requests());
            assertEquals(Optional.empty(), s.stat(BlobKey.of("big")).orElseThrow().sha256(), "no digest is claimed");
            assertArrayEquals(data, readAll(s.get(BlobKey.of("big"))), "the blob itself is there, as the message says");
        }
    }

    @Test
    void corruptObjectIsDetectedOnRead() {
        BlobKey key = BlobKey.of("corrupt");
        store.put(key, unknownLength(random(1024, 5)));
        String objectKey = listObjectKey("corrupt");
        String recorded = server.raw().headObject(r -> r.bucket(BUCKET).key(objectKey)).metadata().get("mediastore-sha256");
        // overwrite behind the store's back: other bytes, the old digest
        byte[] other = random(1024, 6);
        server.raw().putObject(r -> r.bucket(BUCKET).key(objectKey).metadata(Map.of("mediastore-sha256", recorded)),
                RequestBody.fromBytes(other));
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> readAll(store.get(key))).reason());
    }

    private String listObjectKey(String suffix) {
        return server.raw().listObjectsV2(r -> r.bucket(BUCKET)).contents().stream().map(o -> o.key())
                .filter(k -> k.endsWith("/" + suffix)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void objectsArePrivateAndPresignedUrlsWorkUntilTheyExpire() throws Exception {
        byte[] data = random(1024, 7);
        BlobKey key = BlobKey.of("shared/file.bin");
        store.put(key, unknownLength(data));
        HttpClient http = HttpClient.newHttpClient();
        URI plain = URI.create(server.endpoint() + "/" + BUCKET + "/" + listObjectKey("shared/file.bin"));
        assertEquals(403, http.send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                "anonymous reads are refused");
        URI url = store.presignGet(key, Duration.ofMinutes(5));
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(data, ok.body());
        URI tampered = URI.create(url.toString().replaceAll("X-Amz-Signature=[0-9a-f]", "X-Amz-Signature=x"));
        assertEquals(403, http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        URI shortLived = store.presignGet(key, Duration.ofSeconds(1));
        Thread.sleep(2500);
        assertEquals(403, http.send(HttpRequest.newBuilder(shortLived).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertThrows(IllegalArgumentException.class, () -> store.presignGet(key, Duration.ofHours(2)));
        assertThrows(IllegalArgumentException.class, () -> store.presignGet(key, Duration.ZERO));
    }

    @Test
    void multipartAndCopiedObjectsArePrivateToo() throws Exception {
        try (S3BlobStore s = server.store(BUCKET).keyPrefix("private/").partSize(5 << 20).maxSingleCopySize(5 << 20).build()) {
            s.put(BlobKey.of("small"), unknownLength(random(1024, 50)));
            s.put(BlobKey.of("big"), generated(12L << 20, 51));
            s.copy(BlobKey.of("small"), BlobKey.of("small-copy"));
            s.copy(BlobKey.of("big"), BlobKey.of("big-copy"));
            HttpClient http = HttpClient.newHttpClient();
            // the multipart blob, its digest record, a CopyObject copy and a multipart (UploadPartCopy) copy
            for (String objectKey : List.of("private/big", "private/" + S3BlobStore.digestRecordName(BlobKey.of("big")), "private/small-copy",
                    "private/big-copy")) {
                assertEquals(200, server.raw().headObject(r -> r.bucket(BUCKET).key(objectKey)).sdkHttpResponse().statusCode(),
                        objectKey + " exists");
                URI plain = URI.create(server.endpoint() + "/" + BUCKET + "/" + objectKey.replace("\\", "%5C"));
                assertEquals(403, http.send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                        "anonymous reads of " + objectKey + " are refused");
            }
            // the control: the server does serve an object that its ACL makes public, so the refusals above are the ACL's
            server.raw().putObject(r -> r.bucket(BUCKET).key("private/public").acl(ObjectCannedACL.PUBLIC_READ),
                    RequestBody.fromBytes(new byte[] {1}));
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + BUCKET + "/private/public")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "a public-read object is readable anonymously");
        }
    }

    @Test
    void multipartCopyAboveTheSingleCopyLimit() throws IOException {
        try (S3BlobStore small = server.store(BUCKET).keyPrefix("copy/").partSize(5 << 20).maxSingleCopySize(5 << 20).build()) {
            BlobKey src = BlobKey.of("src");
            BlobInfo put = small.put(src, generated(12L << 20, 9), PutOptions.builder().metadata("a", "b").build());
            BlobInfo copied = small.copy(src, BlobKey.of("dst"));
            assertEquals(12L << 20, copied.size());
            assertEquals(put.sha256(), small.stat(BlobKey.of("dst")).orElseThrow().sha256());
            assertEquals(Map.of("a", "b"), small.stat(BlobKey.of("dst")).orElseThrow().metadata());
            assertEquals(put.sha256().orElseThrow(), sha256Of(small.get(BlobKey.of("dst"))));
        }
    }

    @Test
    void wrongCredentialsAreAccessDenied() {
        try (S3BlobStore wrong = S3BlobStore.builder().bucket(BUCKET).endpoint(server.endpoint()).pathStyle(true)
                .credentials(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, "wrong-secret-000000")))
                .maxAttempts(1).build()) {
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> wrong.put(BlobKey.of("x"), unknownLength(new byte[1])));
            assertEquals(BlobStoreException.Reason.ACCESS_DENIED, e.reason());
            assertTrue(!e.getMessage().contains("wrong-secret"));
        }
    }

    @Test
    void aDownServerIsUnavailable() throws Exception {
        try (S3ProxyServer other = S3ProxyServer.start(dir.resolve("down"))) {
            other.createBucket("down-bucket");
            S3BlobStore s = other.store("down-bucket").maxAttempts(2).build();
            other.stop();
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.stat(BlobKey.of("x")));
            assertEquals(BlobStoreException.Reason.UNAVAILABLE, e.reason());
            s.close();
            other.restart();
        }
    }

    @Test
    void awsCliReadsWhatTheStoreWrote() throws Exception {
        Path aws = Path.of("/usr/bin/aws");
        if (!Files.isExecutable(aws)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but /usr/bin/aws (Debian awscli) is missing");
            }
            Assumptions.abort("/usr/bin/aws not installed");
        }
        // a single PutObject and a multipart upload (12 MiB in 8 MiB parts), each read back by the CLI
        for (int size : new int[] {1024, 12 << 20}) {
            byte[] data = random(size, 11);
            String name = "cli/" + size + ".bin";
            BlobInfo info = store.put(BlobKey.of(name), unknownLength(data));
            Path out = dir.resolve("cli-download-" + size + ".bin");
            runAws(aws, "s3", "cp", "s3://" + BUCKET + "/" + listObjectKey(name), out.toString());
            assertArrayEquals(data, Files.readAllBytes(out), name);
            assertEquals(info.sha256().orElseThrow(), Sha256.hex(Sha256.newDigest().digest(Files.readAllBytes(out))));
        }
        // and the other way: a multipart object the CLI uploads is read whole and listed by the store
        byte[] theirs = random(10 << 20, 12);
        Path upload = dir.resolve("cli-upload.bin");
        Files.write(upload, theirs);
        String storePrefix = listObjectKey("cli/1024.bin").replace("cli/1024.bin", "");
        runAws(aws, "s3", "cp", upload.toString(), "s3://" + BUCKET + "/" + storePrefix + "cli/from-aws.bin");
        assertArrayEquals(theirs, readAll(store.get(BlobKey.of("cli/from-aws.bin"))));
        assertTrue(store.list("cli/", null, 10).items().stream().anyMatch(e -> e.key().value().equals("cli/from-aws.bin")
                && e.size() == theirs.length), "listed with its size");
    }

    private void runAws(Path aws, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(aws.toString(), "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
        Path log = dir.resolve("aws.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "aws timed out");
        assertEquals(0, p.exitValue(), () -> {
            try {
                return String.join(" ", args) + ": " + Files.readString(log);
            } catch (IOException e) {
                return String.join(" ", args);
            }
        });
    }

    @Override
    @Test
    @org.junit.jupiter.api.Disabled("S3Proxy's filesystem backend cannot hold both 'a' and 'a/b' (a file and a directory); AWS S3 can")
    void aKeyAndItsChildrenCoexist() {
    }

    @Test
    void sseS3IsRequestedOnEveryWrite() throws IOException {
        assertSseOnEveryWrite(S3BlobStore.Builder::sseS3, "AES256", null);
    }

    @Test
    void sseKmsIsRequestedOnEveryWrite() throws IOException {
        assertSseOnEveryWrite(b -> b.sseKms("alias/media"), "aws:kms", "alias/media");
    }

    /**
     * Every write the store makes (a single put, a multipart put and its digest record, a copy below and above the
     * single-copy limit, a metadata rewrite) and the SSE headers it carried, as {@code "Operation sse kmsKeyId"}
     * ("-" for a header not sent). S3Proxy implements no SSE (KMS requests fail there), so a spy notes what the
     * store asked for and then takes the headers off, before signing, so that every flow completes and each of
     * its requests is seen.
     */
    private void assertSseOnEveryWrite(java.util.function.Consumer<S3BlobStore.Builder> sse, String algorithm, String kmsKeyId)
            throws IOException {
        List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor spy = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                SdkHttpRequest r = context.httpRequest();
                if (r.method() == SdkHttpMethod.PUT || r.method() == SdkHttpMethod.POST) {
                    writes.add(context.request().getClass().getSimpleName().replaceFirst("Request$", "") + " "
                            + r.firstMatchingHeader("x-amz-server-side-encryption").orElse("-") + " "
                            + r.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id").orElse("-"));
                }
                return r.toBuilder().removeHeader("x-amz-server-side-encryption")
                        .removeHeader("x-amz-server-side-encryption-aws-kms-key-id").build();
            }
        };
        String withSse = algorithm + " " + (kmsKeyId == null ? "-" : kmsKeyId);
        String without = "- -";
        String prefix = "sse-" + PREFIXES.incrementAndGet() + "/";
        S3BlobStore.Builder builder = S3BlobStore.builder().bucket(BUCKET).keyPrefix(prefix).partSize(5 << 20)
                .maxSingleCopySize(5 << 20);
        sse.accept(builder);
        try (S3Client client = clientWith(spy);
             S3BlobStore s = builder.client(client).build()) {
            s.put(BlobKey.of("small"), unknownLength(random(1024, 40)));
            assertEquals(List.of("PutObject " + withSse), writes, "a single put");

            writes.clear();
            s.put(BlobKey.of("big"), generated(12L << 20, 41));
            assertEquals(List.of("CreateMultipartUpload " + withSse, "UploadPart " + without, "UploadPart " + without,
                    "UploadPart " + without, "CompleteMultipartUpload " + without, "PutObject " + withSse), writes,
                    "a multipart put: SSE is set when the upload is created (S3 refuses it on parts), and on the digest record");

            writes.clear();
            s.copy(BlobKey.of("small"), BlobKey.of("small-copy"));
            assertEquals(List.of("CopyObject " + withSse), writes, "a copy below the single-copy limit");

            writes.clear();
            s.copy(BlobKey.of("big"), BlobKey.of("big-copy"));
            assertEquals(List.of("CreateMultipartUpload " + withSse, "UploadPartCopy " + without, "UploadPartCopy " + without,
                    "UploadPartCopy " + without, "CompleteMultipartUpload " + without), writes,
                    "a copy above the single-copy limit is a multipart copy, its upload created with SSE");

            writes.clear();
            s.replaceMetadata(BlobKey.of("small"), PutOptions.builder().metadata("k", "v").build());
            assertEquals(List.of("CopyObject " + withSse), writes, "rewriting the metadata rewrites the object, with SSE");

            // the flows did complete: the copies hold the blobs
            assertEquals(sha256Of(generated(12L << 20, 41)), sha256Of(s.get(BlobKey.of("big-copy"))));
            assertArrayEquals(random(1024, 40), readAll(s.get(BlobKey.of("small-copy"))));
        }
    }
}
