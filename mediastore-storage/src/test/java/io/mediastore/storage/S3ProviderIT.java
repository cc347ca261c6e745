package io.mediastore.storage;

import io.mediastore.storage.internal.BuiltInProviders;
import io.mediastore.storage.spi.BlobStoreProvider;
import io.mediastore.storage.spi.BlobStoreProviderContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** {@code s3://} URIs against S3Proxy, with credentials installed as a component (never in the URI). */
class S3ProviderIT extends BlobStoreProviderContract {
    static S3ProxyServer server;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("s3provider-it");
        server = S3ProxyServer.start(dir);
        server.createBucket("provider-it");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected BlobStoreProvider provider() {
        return new BuiltInProviders.S3Provider();
    }

    @Override
    protected io.mediastore.storage.BlobStores.Builder configure(io.mediastore.storage.BlobStores.Builder builder) {
        return builder.component(AwsCredentialsProvider.class, S3ProxyServer.credentials());
    }

    @Override
    protected URI workingUri() {
        return URI.create("s3://provider-it/tenant-a/?pathStyle=true&sse=none&region=us-east-1&endpoint="
                + java.net.URLEncoder.encode(server.endpoint().toString(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    protected URI uriWithUnknownParameter() {
        return URI.create("s3://provider-it/?pathStyle=true&acl=public-read");
    }
}
