package io.mediastore.storage.internal;

import io.mediastore.storage.BlobStore;
import io.mediastore.storage.EncryptingBlobStore;
import io.mediastore.storage.FileSystemBlobStore;
import io.mediastore.storage.KeyRing;
import io.mediastore.storage.ReplicatedBlobStore;
import io.mediastore.storage.S3BlobStore;
import io.mediastore.storage.spi.BlobStoreProvider;
import io.mediastore.storage.spi.KeyProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The providers for the built-in schemes, registered through META-INF/services. */
public final class BuiltInProviders {
    private BuiltInProviders() {
    }

    static URI parse(String uri, String what) {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the " + what + " parameter is not a URI");
        }
    }

    /** {@code file:///path?fsync=false}. */
    public static final class FileProvider implements BlobStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("file");
        }

        @Override
        public BlobStore open(URI uri, OpenContext context) {
            Query q = Query.of(uri, Set.of("fsync"));
            if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()
                    || (uri.getAuthority() != null && !uri.getAuthority().isEmpty())) {
                throw new IllegalArgumentException("file store URIs are file:///absolute/path");
            }
            return FileSystemBlobStore.open(Path.of(uri.getPath()), q.bool("fsync", true));
        }
    }

    /**
     * {@code s3://bucket/prefix/?region=&endpoint=&allowPlainHttp=&pathStyle=&sse=&kmsKeyId=&partSize=&buffers=&uploadConcurrency=&maxAttempts=}.
     */
    public static final class S3Provider implements BlobStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("s3");
        }

        @Override
        public BlobStore open(URI uri, OpenContext context) {
            Query q = Query.of(uri, Set.of("region", "endpoint", "allowPlainHttp", "pathStyle", "sse", "kmsKeyId", "partSize",
                    "buffers", "uploadConcurrency", "maxAttempts"));
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("credentials do not belong in a store URI");
            }
            if (uri.getHost() == null || uri.getPort() != -1) {
                throw new IllegalArgumentException("s3 URIs are s3://bucket/optional/prefix/ (an endpoint goes in ?endpoint=)");
            }
            S3BlobStore.Builder b = S3BlobStore.builder().bucket(uri.getHost());
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (path.length() > 1) {
                b.keyPrefix(path.substring(1));
            }
            q.one("region").ifPresent(b::region);
            q.one("endpoint").ifPresent(e -> b.endpoint(parse(e, "endpoint")));
            if (q.bool("allowPlainHttp", false)) {
                b.allowPlainHttp();
            }
            b.pathStyle(q.bool("pathStyle", false));
            String sse = q.one("sse").orElse("none");
            if (q.one("kmsKeyId").isPresent() && !sse.equals("kms")) {
                throw new IllegalArgumentException("kmsKeyId needs sse=kms");
            }
            switch (sse) {
                case "none" -> {
                }
                case "s3" -> b.sseS3();
                case "kms" -> b.sseKms(q.one("kmsKeyId").orElse(null));
                default -> throw new IllegalArgumentException("sse must be none, s3 or kms");
            }
            b.partSize(q.integer("partSize", 8 << 20)).buffers(q.integer("buffers", 4))
                    .uploadConcurrency(q.integer("uploadConcurrency", 4)).maxAttempts(q.integer("maxAttempts", 4));
            context.component(AwsCredentialsProvider.class).ifPresent(b::credentials);
            return b.build();
        }
    }

    /** {@code replicated:?quorum=2&replica=<encoded URI>&replica=...}. */
    public static final class ReplicatedProvider implements BlobStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("replicated");
        }

        @Override
        public BlobStore open(URI uri, OpenContext context) {
            Query q = Query.of(uri, Set.of("quorum", "replica", "verifyReads", "spool"));
            List<String> uris = q.all("replica");
            if (uris.size() < 2) {
                throw new IllegalArgumentException("replicated stores need at least two replica parameters");
            }
            ReplicatedBlobStore.Builder b = ReplicatedBlobStore.builder().writeQuorum(q.integer("quorum", 0))
                    .verifyReads(q.bool("verifyReads", true));
            q.one("spool").ifPresent(s -> b.spoolDirectory(Path.of(s)));
            List<BlobStore> opened = new ArrayList<>();
            try {
                for (String r : uris) {
                    BlobStore s = context.open(parse(r, "replica"));
                    opened.add(s);
                    b.replica(s);
                }
                return b.build();
            } catch (RuntimeException e) {
                opened.forEach(BlobStore::close);
                throw e;
            }
        }
    }

    /** {@code encrypted:?keyring=/path/to/keyfile&store=<encoded URI>} or {@code keys=<KeyProvider name>}. */
    public static final class EncryptedProvider implements BlobStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("encrypted");
        }

        @Override
        public BlobStore open(URI uri, OpenContext context) {
            Query q = Query.of(uri, Set.of("keyring", "keys", "store"));
            KeyProvider keys;
            if (q.one("keyring").isPresent() == q.one("keys").isPresent()) {
                throw new IllegalArgumentException("encrypted stores need exactly one of keyring= and keys=");
            }
            if (q.one("keyring").isPresent()) {
                keys = KeyRing.load(Path.of(q.one("keyring").get()));
            } else {
                String name = q.one("keys").get();
                keys = context.keyProvider(name)
                        .orElseThrow(() -> new IllegalArgumentException("no key provider named " + name));
            }
            String inner = q.one("store").orElseThrow(() -> new IllegalArgumentException("encrypted stores need a store parameter"));
            return EncryptingBlobStore.wrap(context.open(parse(inner, "store")), keys);
        }
    }
}
