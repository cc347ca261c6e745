package io.mediastore.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The objects of one model on which a principal may do one action, at one instant: either every
 * object except {@link #excluded()} (a whole-model allow, minus denies), or exactly
 * {@link #included()}. Objects the policy has never seen are covered only by whole-model grants.
 */
public final class PermittedObjects {
    /** Placeholders per IN list: far below every driver's limit on bind parameters. */
    static final int CHUNK = 1000;
    /** PostgreSQL's protocol allows at most 65,535 bind parameters in a statement. */
    public static final int MAX_PARAMETERS = 32_000;
    private static final Pattern SQL_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ]{0,40}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private final String model;
    private final String action;
    private final boolean all;
    private final Set<String> ids;

    PermittedObjects(String model, String action, boolean all, Set<String> ids) {
        this.model = model;
        this.action = action;
        this.all = all;
        this.ids = Collections.unmodifiableSet(ids);
    }

    public String model() {
        return model;
    }

    public String action() {
        return action;
    }

    /** Whether every object of the model is permitted except {@link #excluded()}. */
    public boolean allExceptExcluded() {
        return all;
    }

    /** The permitted ids, when not {@link #allExceptExcluded()}; otherwise empty. */
    public Set<String> included() {
        return all ? Set.of() : ids;
    }

    /** The ids denied despite a whole-model allow, when {@link #allExceptExcluded()}; otherwise empty. */
    public Set<String> excluded() {
        return all ? ids : Set.of();
    }

    public boolean permits(String id) {
        return all != ids.contains(id);
    }

    /** A filter over a string id column. */
    public SqlFilter toSqlFilter(String column) {
        return toSqlFilter(column, id -> id);
    }

    /**
     * A filter over {@code column} (a plain or table-qualified identifier, validated; never user text),
     * binding each id converted by {@code idType} (e.g. {@code Long::valueOf} for a bigint column).
     *
     * @throws IllegalArgumentException if the column is not an identifier or the list needs more than
     *                                  {@value #MAX_PARAMETERS} parameters
     */
    public SqlFilter toSqlFilter(String column, Function<String, ?> idType) {
        if (column == null || !COLUMN.matcher(column).matches()) {
            throw new IllegalArgumentException("column must be an identifier like a.id");
        }
        if (ids.size() > MAX_PARAMETERS) {
            throw new IllegalArgumentException("the filter would need " + ids.size() + " bind parameters (max "
                    + MAX_PARAMETERS + "); use toSqlArrayFilter (one array parameter) instead");
        }
        if (ids.isEmpty()) {
            return new SqlFilter(all ? "(1=1)" : "(1=0)", List.of());
        }
        List<Object> params = new ArrayList<>(ids.size());
        List<String> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        StringBuilder sql = new StringBuilder(all ? "(" : "(");
        for (int i = 0; i < sorted.size(); i += CHUNK) {
            if (i > 0) {
                sql.append(all ? " AND " : " OR ");
            }
            sql.append(column).append(all ? " NOT IN (" : " IN (");
            int end = Math.min(sorted.size(), i + CHUNK);
            for (int j = i; j < end; j++) {
                sql.append(j == i ? "?" : ",?");
                params.add(idType.apply(sorted.get(j)));
            }
            sql.append(')');
        }
        sql.append(')');
        return new SqlFilter(sql.toString(), params);
    }

    /**
     * A filter with one bind parameter however many ids there are: {@code (column = ANY(?))}, or
     * {@code (NOT (column = ANY(?)))} for "all except", binding the ids (converted by {@code idType})
     * as one SQL array of {@code sqlType}. Works on PostgreSQL and H2 (any database with
     * {@code = ANY(array)} and {@link java.sql.Connection#createArrayOf}); no limit on the list size.
     *
     * @param sqlType the SQL element type, for example {@code "bigint"} or {@code "varchar"}
     * @throws IllegalArgumentException if the column is not an identifier or the type is not a type name
     */
    public SqlFilter toSqlArrayFilter(String column, String sqlType, Function<String, ?> idType) {
        if (column == null || !COLUMN.matcher(column).matches()) {
            throw new IllegalArgumentException("column must be an identifier like a.id");
        }
        if (sqlType == null || !SQL_TYPE.matcher(sqlType).matches()) {
            throw new IllegalArgumentException("sqlType must be a type name like bigint or varchar");
        }
        if (ids.isEmpty()) {
            return new SqlFilter(all ? "(1=1)" : "(1=0)", List.of());
        }
        List<String> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        List<Object> values = new ArrayList<>(sorted.size());
        for (String id : sorted) {
            values.add(idType.apply(id));
        }
        String sql = all ? "(NOT (" + column + " = ANY(?)))" : "(" + column + " = ANY(?))";
        return new SqlFilter(sql, List.of(new SqlFilter.ArrayParameter(sqlType, values)));
    }

    @Override
    public String toString() {
        return "PermittedObjects[" + model + " " + action + (all ? " all except " : " only ") + ids.size() + " ids]";
    }
}
