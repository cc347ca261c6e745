package io.mediastore.benchmarks.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy server on 127.0.0.1 (filesystem-nio2 in a temp dir) that ours and the peer both talk to, over plain
 * HTTP or over HTTPS with a throwaway self-signed certificate that this JVM is made to trust.
 */
final class S3Fixture implements AutoCloseable {
    enum Transport { HTTP, HTTPS }

    static final String ACCESS_KEY = "benchAccessKey";
    static final String SECRET_KEY = "benchSecretKey1234567890";
    static final String BUCKET = "bench";
    private static final String KEYSTORE_PASSWORD = "benchKeyStore";

    final Path dir;
    final S3Proxy proxy;
    final URI endpoint;

    S3Fixture() throws Exception {
        this(Transport.HTTP);
    }

    S3Fixture(Transport transport) throws Exception {
        dir = Files.createTempDirectory("storage-bench");
        Path data = Files.createDirectories(dir.resolve("s3"));
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(data.toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true);
        if (transport == Transport.HTTPS) {
            Path keyStore = selfSignedKeyStore(dir);
            builder.secureEndpoint(URI.create("https://127.0.0.1:0")).keyStore(keyStore.toString(), KEYSTORE_PASSWORD);
            // every client in this (forked) JVM builds its TLS context from the default trust store
            System.setProperty("javax.net.ssl.trustStore", keyStore.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", KEYSTORE_PASSWORD);
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        } else {
            builder.endpoint(URI.create("http://127.0.0.1:0"));
        }
        proxy = builder.build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = transport == Transport.HTTPS
                ? URI.create("https://127.0.0.1:" + proxy.getSecurePort())
                : URI.create("http://127.0.0.1:" + proxy.getPort());
        try (S3Client c = syncClient()) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
    }

    /** A PKCS#12 key store with a fresh P-256 key and a self-signed certificate for 127.0.0.1, made by keytool. */
    private static Path selfSignedKeyStore(Path dir) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("tls.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "s3proxy", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed to make the benchmark's TLS key store");
        }
        return keyStore;
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    S3Client syncClient() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .forcePathStyle(true).build();
    }

    /** The SDK's Java multipart async client, as a TransferManager user would configure it. */
    S3AsyncClient multipartAsyncClient() {
        return S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .forcePathStyle(true).multipartEnabled(true).build();
    }

    /**
     * TransferManager's client made to sign every payload as our synchronous client must over plain HTTP (with
     * aws-chunked encoding off, the SDK's async signer no longer skips payload signing on {@code http://}); over
     * HTTPS neither signs the payload, so there it only differs from {@link #multipartAsyncClient} in sending
     * each part's checksum as a header instead of a trailer.
     */
    S3AsyncClient payloadSigningMultipartAsyncClient() {
        return S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .forcePathStyle(true).multipartEnabled(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build();
    }

    /** A plain async client: S3Proxy answers 501 to the part-numbered GETs the multipart client downloads with. */
    S3AsyncClient plainAsyncClient() {
        return S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .forcePathStyle(true).build();
    }

    /** A file of pseudo-random bytes (incompressible, like video). */
    static Path randomFile(Path dir, long size) throws IOException {
        Path f = dir.resolve("source-" + size + ".bin");
        byte[] buf = new byte[1 << 20];
        SplittableRandom r = new SplittableRandom(7);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; left -= buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = r.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buf[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return f;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        deleteTree(dir);
    }
}
