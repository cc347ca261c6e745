package io.mediastore.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy, filesystem-nio2 backend) in this JVM on 127.0.0.1. It can be stopped and
 * started again on the same port with the same data, to play a replica that goes down and comes back.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "testAccessKey";
    public static final String SECRET_KEY = "testSecretKey1234567890";

    private final Path dataDir;
    private final Path keyStore;
    private final String keyStorePassword;
    private S3Proxy proxy;
    private int port;
    private int securePort;
    private S3Client raw;

    private S3ProxyServer(Path dataDir, Path keyStore, String keyStorePassword) {
        this.dataDir = dataDir;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
    }

    /** Starts a server on an ephemeral port, storing under {@code dataDir}. */
    public static S3ProxyServer start(Path dataDir) throws Exception {
        return start(dataDir, null, null);
    }

    /** Also serves HTTPS on an ephemeral port ({@link #secureEndpoint()}) with the key in a PKCS#12 key store. */
    public static S3ProxyServer startWithTls(Path dataDir, Path keyStore, String password) throws Exception {
        return start(dataDir, keyStore, password);
    }

    private static S3ProxyServer start(Path dataDir, Path keyStore, String password) throws Exception {
        S3ProxyServer s = new S3ProxyServer(dataDir, keyStore, password);
        Files.createDirectories(dataDir);
        s.startOn(0);
        return s;
    }

    private void startOn(int wanted) throws Exception {
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + wanted))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // the SDK's multipart client sends x-amz-mp-object-size, unknown to S3Proxy 4.1.0
                .ignoreUnknownHeaders(true);
        if (keyStore != null) {
            builder.secureEndpoint(URI.create("https://127.0.0.1:" + securePort)).keyStore(keyStore.toString(), keyStorePassword);
        }
        proxy = builder.build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start");
            }
            Thread.sleep(10);
        }
        port = proxy.getPort();
        if (keyStore != null) {
            securePort = proxy.getSecurePort();
        }
    }

    /** Stops serving (the data stays). */
    public void stop() throws Exception {
        proxy.stop();
    }

    /** Serves again on the same port with the same data. */
    public void restart() throws Exception {
        startOn(port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The HTTPS endpoint of a server started with {@link #startWithTls}. */
    public URI secureEndpoint() {
        if (keyStore == null) {
            throw new IllegalStateException("started without TLS");
        }
        return URI.create("https://127.0.0.1:" + securePort);
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A plain SDK client for checks behind the store's back. */
    public synchronized S3Client raw() {
        if (raw == null) {
            raw = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials()).forcePathStyle(true).build();
        }
        return raw;
    }

    public void createBucket(String bucket) {
        raw().createBucket(b -> b.bucket(bucket));
    }

    /** A store on this server; the bucket must exist. */
    public S3BlobStore.Builder store(String bucket) {
        return S3BlobStore.builder().bucket(bucket).endpoint(endpoint()).pathStyle(true).credentials(credentials());
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.close();
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }
}
