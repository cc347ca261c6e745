package io.mediastore.hls;

import io.mediastore.hls.spi.ContentKeyStore;

/** A scoped store over the JDBC store, whose ids are VARCHAR(64): the derived ids fill them exactly. */
class ScopedJdbcContentKeyStoreTest extends ContentKeyStoreContract {
  @Override
  protected ContentKeyStore newStore() {
    return new JdbcContentKeyStore(JdbcContentKeyStoreTest.h2(), MasterKey.generate(random)).createTableIfMissing()
        .scopedTo("video/123");
  }
}
