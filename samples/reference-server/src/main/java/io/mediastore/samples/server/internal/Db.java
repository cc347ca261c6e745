package io.mediastore.samples.server.internal;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** JDBC helpers: prepared statements only, one connection per call or per transaction. */
public final class Db {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A new id: the prefix, then 16 random bytes in base64url. */
    public static String newId(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return run(c -> query(c, sql, mapper, params));
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> l = query(sql, mapper, params);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public int update(String sql, Object... params) {
        return run(c -> update(c, sql, params));
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, java.sql.Types.NULL);
            } else if (p instanceof io.mediastore.acl.SqlFilter.ArrayParameter a) {
                // the ACL's "col = ANY(?)" filter: one bind parameter however many objects a user may see
                ps.setArray(i + 1, ps.getConnection().createArrayOf(a.sqlType(), a.values().toArray()));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    public <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    public <T> T tx(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    /** A database failure; the message carries only the SQL state (driver messages may quote values). */
    public static final class DbException extends RuntimeException {
        private final String sqlState;

        DbException(SQLException e) {
            super("database error (SQL state " + e.getSQLState() + ")", e);
            this.sqlState = e.getSQLState();
        }

        public boolean uniqueViolation() {
            return "23505".equals(sqlState) || (sqlState != null && sqlState.startsWith("23"));
        }
    }
}
