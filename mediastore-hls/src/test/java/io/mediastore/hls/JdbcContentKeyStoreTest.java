package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.hls.spi.ContentKeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** {@link JdbcContentKeyStore} on a real H2 database (in memory), through the contract kit and beyond. */
class JdbcContentKeyStoreTest extends ContentKeyStoreContract {
  private static int dbs;
  final MasterKey master = MasterKey.generate(random);

  static synchronized DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:keys" + (dbs++) + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Override
  protected ContentKeyStore newStore() {
    return new JdbcContentKeyStore(h2(), master).createTableIfMissing();
  }

  /** Shared by the PostgreSQL IT: the row holds only the wrapped key, and the wrapping is bound to the id. */
  static void assertWrappedAndBound(DataSource ds, MasterKey master) throws Exception {
    JdbcContentKeyStore s = new JdbcContentKeyStore(ds, master, "wrapped_keys", new SecureRandom()).createTableIfMissing();
    s.createTableIfMissing();
    ContentKey k = ContentKey.generate(new SecureRandom());
    s.put(k);
    byte[] row;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT wrapped FROM wrapped_keys WHERE key_id = ?")) {
      ps.setString(1, k.keyId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        row = rs.getBytes(1);
      }
    }
    assertEquals(48, row.length);
    byte[] raw = k.copyKeyBytes();
    for (int i = 0; i + 16 <= row.length; i++) {
      assertFalse(Arrays.equals(row, i, i + 16, raw, 0, 16), "clear key bytes in the database");
    }
    // a row copied under another id does not unwrap
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO wrapped_keys (key_id, wrapped) VALUES ('copied', ?)")) {
      ps.setBytes(1, row);
      ps.executeUpdate();
    }
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, assertThrows(HlsException.class, () -> s.get("copied")).reason());
    // another master key does not unwrap
    JdbcContentKeyStore other = new JdbcContentKeyStore(ds, MasterKey.generate(new SecureRandom()), "wrapped_keys", new SecureRandom());
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, assertThrows(HlsException.class, () -> other.get(k.keyId())).reason());
    // a tampered row does not unwrap
    row[30] ^= 1;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE wrapped_keys SET wrapped = ? WHERE key_id = ?")) {
      ps.setBytes(1, row);
      ps.setString(2, k.keyId());
      ps.executeUpdate();
    }
    HlsException e = assertThrows(HlsException.class, () -> s.get(k.keyId()));
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, e.reason());
    assertFalse(e.getMessage().contains(java.util.HexFormat.of().formatHex(raw)));
  }

  @Test
  void keysAreWrappedAndBoundToTheirId() throws Exception {
    assertWrappedAndBound(h2(), master);
  }

  @Test
  void aMissingTableIsAKeyStoreFailureAndBadTableNamesAreRefused() throws Exception {
    JdbcContentKeyStore s = new JdbcContentKeyStore(h2(), master);
    HlsException e = assertThrows(HlsException.class, () -> s.put(ContentKey.generate(random)));
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, e.reason());
    assertThrows(IllegalArgumentException.class,
        () -> new JdbcContentKeyStore(h2(), master, "keys; DROP TABLE x", random));
  }

  @Test
  void worksInsideAnExistingSchemaAndWithAutoCommitOff() throws Exception {
    DataSource ds = h2();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA media");
    }
    JdbcContentKeyStore s = new JdbcContentKeyStore(ds, master, "media.keys", random).createTableIfMissing();
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    assertArrayEquals(k.copyKeyBytes(), new JdbcContentKeyStore(ds, master, "media.keys", random).get(k.keyId()).orElseThrow().copyKeyBytes());
  }
}
