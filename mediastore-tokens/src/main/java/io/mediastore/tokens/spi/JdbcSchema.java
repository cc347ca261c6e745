package io.mediastore.tokens.spi;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema of {@link JdbcReplayGuard} and {@link JdbcRevocationList}, shipped as the resource
 * {@value #RESOURCE}. Deployments with their own migration tool copy that file; the rest call
 * {@link #create(DataSource)}, which is idempotent.
 */
public final class JdbcSchema {
    /** Class-path location of the DDL. */
    public static final String RESOURCE = "/io/mediastore/tokens/spi/schema.sql";

    private JdbcSchema() {
    }

    /** The DDL text. */
    public static String ddl() {
        try (InputStream in = JdbcSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the tables if they do not exist. */
    public static void create(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : stripComments(ddl()).split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
    }

    private static String stripComments(String sql) {
        StringBuilder sb = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    static boolean isUniqueViolation(SQLException e) {
        // SQLSTATE class 23 is integrity constraint violation; 23505 unique violation (PostgreSQL, H2)
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && state.startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
