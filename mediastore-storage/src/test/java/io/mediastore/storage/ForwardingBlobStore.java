package io.mediastore.storage;

import java.io.InputStream;
import java.util.Optional;

/** A store that passes every call to another: tests override the calls they make fail or race. */
abstract class ForwardingBlobStore implements BlobStore {
    protected final BlobStore inner;

    ForwardingBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
        return inner.put(key, content, options);
    }

    @Override
    public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        return inner.putIfAbsent(key, content, options);
    }

    @Override
    public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        return inner.putIf(key, expectedSha256, content, options);
    }

    @Override
    public InputStream get(BlobKey key) {
        return inner.get(key);
    }

    @Override
    public InputStream get(BlobKey key, ByteRange range) {
        return inner.get(key, range);
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        return inner.stat(key);
    }

    @Override
    public void delete(BlobKey key) {
        inner.delete(key);
    }

    @Override
    public BlobPage list(String prefix, String pageToken, int pageSize) {
        return inner.list(prefix, pageToken, pageSize);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return inner.copy(source, target);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
        return inner.copy(source, target, options);
    }

    @Override
    public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
        return inner.replaceMetadata(key, options);
    }

    @Override
    public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        return inner.replaceMetadataIf(key, expectedSha256, options);
    }

    @Override
    public void close() {
        // the wrapped store belongs to the test
    }
}
