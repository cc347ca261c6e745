package io.mediastore.acl;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * A SQL boolean expression over one id column with {@code ?} placeholders, and the values to bind:
 * ids never appear in the SQL text. Append it to a {@code WHERE} clause and bind with
 * {@link #bind(PreparedStatement, int)}.
 *
 * <pre>{@code
 * SqlFilter f = acl.permitted(user, "Asset", "view").toSqlFilter("a.id", Long::valueOf);
 * try (PreparedStatement ps = conn.prepareStatement(
 *         "SELECT a.id, a.title FROM assets a WHERE " + f.sql() + " ORDER BY a.id LIMIT ? OFFSET ?")) {
 *     int next = f.bind(ps, 1);
 *     ps.setInt(next, 50);
 *     ps.setInt(next + 1, 0);
 *     ...
 * }
 * }</pre>
 *
 * <p>A parameter may be an {@link ArrayParameter} (from {@link PermittedObjects#toSqlArrayFilter}): one
 * placeholder for the whole id list, bound as a SQL array created on the statement's connection.
 *
 * @param sql        the expression, e.g. {@code (a.id IN (?,?,?))}; only the column name and placeholders
 * @param parameters the values, in placeholder order
 */
public record SqlFilter(String sql, List<Object> parameters) {

    /**
     * A whole list bound to one placeholder as a SQL array of {@code sqlType} (for example
     * {@code "bigint"} or {@code "varchar"}), for {@code column = ANY(?)}.
     *
     * @param sqlType the SQL name of the element type, as {@link java.sql.Connection#createArrayOf} takes it
     * @param values  the elements
     */
    public record ArrayParameter(String sqlType, List<Object> values) {
        public ArrayParameter {
            Objects.requireNonNull(sqlType, "sqlType");
            values = List.copyOf(values);
        }

        @Override
        public String toString() {
            return "ArrayParameter[" + sqlType + ", " + values.size() + " values]";
        }
    }

    public SqlFilter {
        Objects.requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
    }

    /** Binds the parameters from index {@code first}; returns the next free index. */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        int i = first;
        for (Object p : parameters) {
            if (p instanceof ArrayParameter a) {
                statement.setArray(i++, statement.getConnection().createArrayOf(a.sqlType(), a.values().toArray()));
            } else {
                statement.setObject(i++, p);
            }
        }
        return i;
    }
}
