package io.mediastore.storage.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.BlobKey;
import io.mediastore.storage.BlobStore;
import io.mediastore.storage.BlobStores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStoreProvider} must do; extend it with the provider and a URI it should open. */
public abstract class BlobStoreProviderContract {

    protected abstract BlobStoreProvider provider();

    /** A URI of one of the provider's schemes that opens a working, empty store. */
    protected abstract URI workingUri() throws Exception;

    /** The same URI with a parameter the provider does not know. */
    protected abstract URI uriWithUnknownParameter() throws Exception;

    /** Adds what the provider needs (credentials, key providers) to the {@link BlobStores} under test. */
    protected BlobStores.Builder configure(BlobStores.Builder builder) {
        return builder;
    }

    @Test
    void schemesAreLowerCase() {
        assertFalse(provider().schemes().isEmpty());
        for (String s : provider().schemes()) {
            assertTrue(s.equals(s.toLowerCase(Locale.ROOT)) && s.matches("[a-z][a-z0-9+.-]*"), s);
        }
    }

    @Test
    void opensAWorkingStoreThroughBlobStores() throws Exception {
        BlobStores stores = configure(BlobStores.builder()).provider(provider()).build();
        assertTrue(stores.schemes().containsAll(provider().schemes()));
        try (BlobStore store = stores.openStore(workingUri())) {
            byte[] data = {1, 2, 3};
            store.put(BlobKey.of("provider/contract"), new ByteArrayInputStream(data));
            try (InputStream in = store.get(BlobKey.of("provider/contract"))) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
    }

    @Test
    void unknownParametersAreRefused() throws Exception {
        URI bad = uriWithUnknownParameter();
        assertThrows(IllegalArgumentException.class, () -> configure(BlobStores.builder()).provider(provider()).build().openStore(bad));
    }
}
