package io.mediastore.tokens.spi;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link ReplayGuard} in a shared database, for several nodes: java.sql only, prepared statements,
 * table {@code ms_token_use} from {@link JdbcSchema}. A use is one conditional
 * {@code UPDATE ... SET uses = uses + 1 WHERE uses < ?} (the row lock serialises concurrent callers),
 * or the {@code INSERT} of the first use, whose primary key lets only one concurrent first use win.
 * Database errors fail closed: they propagate as {@link IllegalStateException}, so the verify fails.
 */
@Singleton
public final class JdbcReplayGuard implements ReplayGuard {
    private static final String UPDATE =
            "UPDATE ms_token_use SET uses = uses + 1 WHERE token_id = ? AND uses < ?";
    private static final String INSERT =
            "INSERT INTO ms_token_use (token_id, uses, expires_at_ms) VALUES (?, 1, ?)";
    private static final String PURGE = "DELETE FROM ms_token_use WHERE expires_at_ms < ?";

    private final DataSource dataSource;
    private final java.time.Clock clock;

    @Inject
    public JdbcReplayGuard(DataSource dataSource) {
        this(dataSource, java.time.Clock.systemUTC());
    }

    /** @param clock the token service's clock, which decides when a token's window has passed */
    public JdbcReplayGuard(DataSource dataSource, java.time.Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean tryUse(String tokenId, int maxUses, Instant expiresAt) {
        if (maxUses < 1) {
            throw new IllegalArgumentException("maxUses must be at least 1");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (update(c, tokenId, maxUses)) {
                return true;
            }
            if (expiresAt.toEpochMilli() < clock.millis()) {
                return false; // past its window: its earlier uses may already have been purged
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, tokenId);
                ps.setLong(2, expiresAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!JdbcSchema.isUniqueViolation(e)) {
                    throw e;
                }
                // another node inserted the first use between our UPDATE and INSERT: count against its row
                return update(c, tokenId, maxUses);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("replay guard database error (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static boolean update(Connection c, String tokenId, int maxUses) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, tokenId);
            ps.setInt(2, maxUses);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * How long after its window a count is kept: other nodes' clocks may run behind this one's, and a node that
     * still accepts the token must find its uses (the largest leeway a token service allows).
     */
    public static final java.time.Duration PURGE_MARGIN = java.time.Duration.ofMinutes(5);

    /**
     * Deletes the counts of tokens whose window ended more than {@link #PURGE_MARGIN} before {@code now}; run it
     * periodically.
     */
    public int purgeExpired(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PURGE)) {
            ps.setLong(1, now.minus(PURGE_MARGIN).toEpochMilli());
            return ps.executeUpdate();
        }
    }
}
