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
import software.amazon.awssdk.services.s3.S3Client;

/** An S3Proxy server on 127.0.0.1 (filesystem-nio2 in a temp dir) that ours and the peer both talk to. */
final class S3Fixture implements AutoCloseable {
    static final String ACCESS_KEY = "benchAccessKey";
    static final String SECRET_KEY = "benchSecretKey1234567890";
    static final String BUCKET = "bench";

    final Path dir;
    final S3Proxy proxy;
    final URI endpoint;

    S3Fixture() throws Exception {
        dir = Files.createTempDirectory("storage-bench");
        Path data = Files.createDirectories(dir.resolve("s3"));
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(data.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        try (S3Client c = syncClient()) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
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
