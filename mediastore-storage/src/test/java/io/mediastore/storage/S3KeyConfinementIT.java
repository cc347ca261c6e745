package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * No key leaves an S3 store's prefix: keys full of what URL paths and S3 servers treat specially (dot segments
 * spelled with escapes, query and fragment characters, plus signs, bidi and emoji) are put through a store whose
 * prefix is {@code tenant-a/}, against S3Proxy; a raw listing of the whole bucket then finds the object exactly at
 * prefix + key and nothing anywhere else.
 */
class S3KeyConfinementIT {
    private static final String BUCKET = "key-confinement-it";
    private static final String PREFIX = "tenant-a/";
    private static Path dir;
    private static S3ProxyServer server;
    private static S3BlobStore store;
    private static final AtomicInteger TRY = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("s3-key-confinement");
        server = S3ProxyServer.start(dir);
        server.createBucket(BUCKET);
        store = server.store(BUCKET).keyPrefix(PREFIX).build();
    }

    @AfterContainer
    static void stop() throws Exception {
        store.close();
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Valid key segments made of what URL paths and S3 servers handle specially. */
    @Provide
    Arbitrary<String> awkwardKeys() {
        Arbitrary<String> piece = Arbitraries.of("..", ".", "%2e", "%2E%2e", "%2f", "%5c", "%00", "?", "#", "+", " ", "&", "=",
                ";", "~", "*", "'", "\"", "<", ">", "|", ":", "@", "$", "!", "é", "\u202E", "\uD83D\uDE00", "\uFEFF", "a", "x");
        // at least one ordinary character per segment, so "." and ".." segments stay out (BlobKey refuses them)
        Arbitrary<String> segment = piece.list().ofMinSize(0).ofMaxSize(6).map(l -> "s" + String.join("", l));
        return segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    @Property(tries = 150)
    void objectsLandExactlyAtPrefixPlusKey(@ForAll("awkwardKeys") String raw) throws Exception {
        // a fresh first segment per try: S3Proxy's filesystem backend cannot hold both "a" and "a/b"
        BlobKey key = BlobKey.of("t" + TRY.incrementAndGet() + "/" + raw);
        byte[] body = key.value().getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(body));
        try {
            List<String> all = server.raw().listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key).toList();
            assertEquals(List.of(PREFIX + key.value()), all, "the only object in the bucket is at prefix + key");
            try (InputStream in = server.raw().getObject(r -> r.bucket(BUCKET).key(PREFIX + key.value()))) {
                assertArrayEquals(body, in.readAllBytes());
            }
            assertTrue(store.list(key.value().substring(0, key.value().indexOf('/') + 1), null, 10).items().stream()
                    .anyMatch(s -> s.key().equals(key)), "the store lists it under its own key");
        } finally {
            store.delete(key);
        }
    }
}
