package io.mediastore.tokens.spi;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link RevocationList} in a shared database (tables {@code ms_token_revoked} and
 * {@code ms_subject_revoked} from {@link JdbcSchema}); java.sql only, prepared statements.
 * {@link #isRevoked} is one indexed query per verify; errors propagate, so a verify fails closed.
 */
@Singleton
public final class JdbcRevocationList implements RevocationList {
    private static final String IS_REVOKED =
            "SELECT 1 FROM ms_token_revoked WHERE token_id = ? "
                    + "UNION ALL SELECT 1 FROM ms_subject_revoked WHERE subject = ? AND issued_up_to >= ?";

    private final DataSource dataSource;

    @Inject
    public JdbcRevocationList(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void revokeToken(String tokenId, Instant expiresAt) {
        upsert("UPDATE ms_token_revoked SET expires_at_ms = ? WHERE token_id = ?",
                "INSERT INTO ms_token_revoked (expires_at_ms, token_id) VALUES (?, ?)",
                expiresAt.toEpochMilli(), tokenId);
    }

    @Override
    public void revokeSubject(String subject, Instant issuedUpTo) {
        // the cut-off only ever moves forward
        upsert("UPDATE ms_subject_revoked SET issued_up_to = ? WHERE subject = ? AND issued_up_to < ?",
                "INSERT INTO ms_subject_revoked (issued_up_to, subject) VALUES (?, ?)",
                issuedUpTo.getEpochSecond(), subject);
    }

    private void upsert(String update, String insert, long value, String key) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (update.contains("issued_up_to < ?")) {
                    try (PreparedStatement ps = c.prepareStatement(update)) {
                        ps.setLong(1, value);
                        ps.setString(2, key);
                        ps.setLong(3, value);
                        if (ps.executeUpdate() == 1) {
                            return;
                        }
                    }
                    if (exists(c, "SELECT 1 FROM ms_subject_revoked WHERE subject = ?", key)) {
                        return; // already revoked up to a later point
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement(update)) {
                        ps.setLong(1, value);
                        ps.setString(2, key);
                        if (ps.executeUpdate() == 1) {
                            return;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setLong(1, value);
                    ps.setString(2, key);
                    ps.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (!JdbcSchema.isUniqueViolation(e)) {
                        throw e;
                    }
                    // a concurrent writer inserted first: go round and update its row
                }
            }
            throw new IllegalStateException("revocation write kept conflicting");
        } catch (SQLException e) {
            throw new IllegalStateException("revocation list database error (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static boolean exists(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public boolean isRevoked(String tokenId, String subject, Instant issuedAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(IS_REVOKED)) {
            ps.setString(1, tokenId);
            ps.setString(2, subject);
            ps.setLong(3, issuedAt.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("revocation list database error (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Deletes revoked-token records whose tokens expired more than {@link JdbcReplayGuard#PURGE_MARGIN} before
     * {@code now} (a node whose clock runs behind still accepts a token that long, and must still find it revoked),
     * and subject cut-offs older than {@code now - retention} (choose at least the maximum token lifetime plus
     * leeway).
     *
     * @return the number of rows deleted
     */
    public int purgeExpired(Instant now, java.time.Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement tokens = c.prepareStatement("DELETE FROM ms_token_revoked WHERE expires_at_ms < ?");
             PreparedStatement subjects = c.prepareStatement("DELETE FROM ms_subject_revoked WHERE issued_up_to < ?")) {
            tokens.setLong(1, now.minus(JdbcReplayGuard.PURGE_MARGIN).toEpochMilli());
            subjects.setLong(1, now.minus(retention).getEpochSecond());
            return tokens.executeUpdate() + subjects.executeUpdate();
        }
    }
}
