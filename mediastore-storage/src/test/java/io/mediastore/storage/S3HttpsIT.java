package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3BlobStore against S3Proxy over TLS (a self-signed certificate made by keytool, trusted through the client's
 * trust managers, not the JVM's), and what goes on the wire: over HTTPS uploads are not payload-signed (TLS carries
 * their integrity, plus the checksum headers the store sends), over plain HTTP the SDK signs every payload chunk.
 */
class S3HttpsIT {
    private static final String BUCKET = "tls-bucket";
    private static final String PASSWORD = "itKeyStore";

    @TempDir
    static Path dir;

    static S3ProxyServer server;
    static TrustManagerFactory trust;

    /** The x-amz-content-sha256 of every PUT request the client sent, with its path and query. */
    final List<String> puts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Path keyStore = dir.resolve("tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, keytool.waitFor(), "keytool made the test certificate");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ks);
        server = S3ProxyServer.startWithTls(dir.resolve("s3"), keyStore, PASSWORD);
        try (S3Client c = client(server.secureEndpoint(), null)) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Configured as {@link S3BlobStore.Builder#client} asks, trusting only the test certificate. */
    private static S3Client client(URI endpoint, List<String> puts) {
        var b = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(S3ProxyServer.credentials()).forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder().tlsTrustManagersProvider(trust::getTrustManagers))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (puts != null) {
            b.overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
                    var r = c.httpRequest();
                    if (r.method().name().equals("PUT")) {
                        puts.add(r.encodedPath() + "?" + r.encodedQueryParameters().orElse("") + " "
                                + r.firstMatchingHeader("x-amz-content-sha256").orElse("none") + " "
                                + r.headers().keySet().stream().filter(h -> h.toLowerCase().startsWith("x-amz-checksum-")).sorted().toList());
                    }
                }
            }));
        }
        return b.build();
    }

    /** Hides the length, as an upload from a network stream would. */
    private static InputStream unknownLength(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int available() {
                return 0;
            }
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void blobsOfEverySizeRoundTripOverTlsWithoutPayloadSigning() throws Exception {
        try (S3Client c = client(server.secureEndpoint(), puts);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(c).partSize(5 << 20).build()) {
            for (int size : new int[] {0, 1024, (12 << 20) + 3}) {
                byte[] data = random(size, size);
                BlobKey key = BlobKey.of("tls/" + size);
                BlobInfo info = store.put(key, unknownLength(data));
                assertEquals(size, info.size());
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), info.sha256().orElseThrow());
                try (InputStream in = store.get(key)) {
                    assertArrayEquals(data, in.readAllBytes());
                }
                if (size > 10) {
                    try (InputStream in = store.get(key, ByteRange.of(3, 7))) {
                        assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, 10), in.readAllBytes());
                    }
                }
            }
        }
        assertFalse(puts.isEmpty());
        for (String put : puts) {
            assertTrue(put.contains(" UNSIGNED-PAYLOAD "), "over TLS the payload is not signed: " + put);
            assertTrue(put.contains("x-amz-checksum-"), "every upload carries a checksum the server verifies: " + put);
        }
        assertTrue(puts.stream().anyMatch(p -> p.contains("partNumber=3") && p.contains("x-amz-checksum-crc32c")),
                "the 12 MiB blob went up in three parts, each with its CRC32C: " + puts);
    }

    @Test
    void overPlainHttpTheSdkSignsEveryPartsPayload() {
        try (S3Client c = client(server.endpoint(), puts);
             S3BlobStore store = S3BlobStore.builder().bucket(BUCKET).client(c).partSize(5 << 20).build()) {
            store.put(BlobKey.of("plain/multipart"), unknownLength(random((6 << 20) + 1, 6)));
        }
        List<String> parts = puts.stream().filter(p -> p.contains("partNumber=")).toList();
        assertEquals(2, parts.size(), puts.toString());
        for (String part : parts) {
            assertTrue(part.contains(" STREAMING-AWS4-HMAC-SHA256-PAYLOAD "), "chunk-signed over HTTP: " + part);
        }
    }
}
