package io.mediastore.storage;

import io.mediastore.storage.internal.BuiltInProviders;
import io.mediastore.storage.spi.BlobStoreProvider;
import io.mediastore.storage.spi.BlobStoreProviderContract;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileProviderTest extends BlobStoreProviderContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStoreProvider provider() {
        return new BuiltInProviders.FileProvider();
    }

    @Override
    protected URI workingUri() {
        return URI.create(dir.toUri() + "store?fsync=false");
    }

    @Override
    protected URI uriWithUnknownParameter() {
        return URI.create(dir.toUri() + "store?fsnyc=false");
    }
}
