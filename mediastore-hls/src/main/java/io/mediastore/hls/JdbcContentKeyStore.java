package io.mediastore.hls;

import io.mediastore.hls.spi.ContentKeyStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link ContentKeyStore} in a relational database through plain JDBC: one row per key, the key wrapped
 * with AES-256-GCM under a {@link MasterKey} exactly as {@link FileContentKeyStore} does (the key id bound
 * as associated data, so a row copied to another id does not unwrap). The database never sees a clear key.
 * Table (created by {@link #createTableIfMissing()}, or by your migrations):
 * <pre>{@code
 * CREATE TABLE mediastore_hls_content_key (
 *   key_id  VARCHAR(64) PRIMARY KEY,
 *   wrapped BYTEA NOT NULL            -- VARBINARY(48) outside PostgreSQL
 * )}</pre>
 * Tested against H2 and PostgreSQL. Thread-safe: one connection from the {@link DataSource} per call.
 */
@Singleton
public final class JdbcContentKeyStore implements ContentKeyStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "mediastore_hls_content_key";
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
  private final DataSource dataSource;
  private final MasterKey masterKey;
  private final SecureRandom random;
  private final String table;

  /** A store in the table {@value #DEFAULT_TABLE}. */
  @Inject
  public JdbcContentKeyStore(DataSource dataSource, MasterKey masterKey) {
    this(dataSource, masterKey, DEFAULT_TABLE, new SecureRandom());
  }

  /** A store in {@code table} (letters, digits and underscores, optionally {@code schema.table}). */
  public JdbcContentKeyStore(DataSource dataSource, MasterKey masterKey, String table, SecureRandom random) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
    this.random = Objects.requireNonNull(random, "random");
    Objects.requireNonNull(table, "table");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be [schema.]name of letters, digits and underscores");
    }
    this.table = table;
  }

  /** Creates the table when it does not exist yet (BYTEA on PostgreSQL, VARBINARY elsewhere); returns this store. */
  public JdbcContentKeyStore createTableIfMissing() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      String bytes = product.contains("postgres") ? "BYTEA" : "VARBINARY(" + KeyWrap.LENGTH + ")";
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (key_id VARCHAR(64) PRIMARY KEY, wrapped " + bytes + " NOT NULL)");
      return this;
    } catch (SQLException e) {
      throw failure("cannot create table " + table, e);
    }
  }

  @Override
  public void put(ContentKey key) {
    Objects.requireNonNull(key, "key");
    byte[] wrapped = KeyWrap.wrap(masterKey, key, random);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (key_id, wrapped) VALUES (?, ?)")) {
      ps.setString(1, key.keyId());
      ps.setBytes(2, wrapped);
      ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        throw new IllegalStateException("a key with id " + key.keyId() + " already exists");
      }
      throw failure("cannot store key " + key.keyId(), e);
    }
  }

  @Override
  public Optional<ContentKey> get(String keyId) {
    ContentKey.checkId(keyId);
    byte[] wrapped;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT wrapped FROM " + table + " WHERE key_id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        wrapped = rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw failure("cannot read key " + keyId, e);
    }
    return Optional.of(KeyWrap.unwrap(masterKey, keyId, wrapped));
  }

  @Override
  public boolean delete(String keyId) {
    ContentKey.checkId(keyId);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE key_id = ?")) {
      ps.setString(1, keyId);
      int n = ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return n > 0;
    } catch (SQLException e) {
      throw failure("cannot delete key " + keyId, e);
    }
  }

  private static boolean isDuplicate(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLIntegrityConstraintViolationException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  private static HlsException failure(String what, SQLException e) {
    // the SQL state and vendor message name the cause; neither can contain key material
    return new HlsException(HlsException.Reason.KEY_STORE_FAILURE, what + " (SQLState " + e.getSQLState() + ")", e);
  }

  @Override
  public String toString() {
    return "JdbcContentKeyStore[" + table + "]";
  }
}
