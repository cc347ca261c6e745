package io.mediastore.acl.spi;

import io.mediastore.acl.AclException;
import io.mediastore.acl.AclException.Reason;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PolicyStore} in a relational database through JDBC (tested on PostgreSQL and H2), with
 * prepared statements only. The constructor applies the shipped migrations
 * ({@code io/mediastore/acl/jdbc/V*.sql} on the classpath, recorded in {@code acl_schema_version},
 * whose row 0 is the migration lock), once, even when several nodes start at the same time.
 *
 * <p>Every write runs in one transaction that first locks the single {@code acl_version} row, so
 * versions increase by exactly one per change, across nodes. {@link #pollForChanges()} lets a node
 * notice other nodes' changes; call it periodically (for example every second) or on a database
 * notification.
 */
@Singleton
public final class JdbcPolicyStore implements PolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPolicyStore.class);
    /** Migrations in order; each file is applied once. */
    private static final List<String> MIGRATIONS = List.of("V1__acl_tables.sql");

    private final DataSource dataSource;
    private final List<PolicyChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Object pollLock = new Object();
    private long lastSeen = Long.MIN_VALUE;

    /**
     * @throws AclException STORE_FAILURE if the database cannot be reached or migrated
     */
    @Inject
    public JdbcPolicyStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        migrate();
    }

    /**
     * Applies the missing migrations. Several nodes may start at once on one database: the first
     * creates the bookkeeping table (a concurrent creator retries and finds it), then every node locks
     * its sentinel row, so exactly one applies each migration while the others wait and then find
     * nothing to do. (This needs transactional DDL, as PostgreSQL has; on H2, start one node first.)
     */
    private void migrate() {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean ac = c.getAutoCommit();
                try {
                    c.setAutoCommit(true);
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE IF NOT EXISTS acl_schema_version (version INTEGER NOT NULL PRIMARY KEY)");
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO acl_schema_version (version) SELECT ? "
                            + "WHERE NOT EXISTS (SELECT 1 FROM acl_schema_version WHERE version = ?)")) {
                        ps.setInt(1, 0);
                        ps.setInt(2, 0);
                        ps.executeUpdate();
                    }
                    c.setAutoCommit(false);
                    migrateLocked(c);
                } finally {
                    c.setAutoCommit(ac);
                }
                return;
            } catch (SQLException e) {
                if (attempt >= 5) {
                    throw failure("migrating the ACL tables", e);
                }
                // most likely another node created the same table or row at the same moment: look again
                LOG.debug("ACL migration attempt {} failed (SQL state {}), retrying", attempt, e.getSQLState());
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw failure("migrating the ACL tables", e);
                }
            }
        }
    }

    private void migrateLocked(Connection c) throws SQLException {
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM acl_schema_version WHERE version = ? FOR UPDATE")) {
                ps.setInt(1, 0);
                ps.executeQuery().close();
            }
            int current = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM acl_schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            for (int i = current; i < MIGRATIONS.size(); i++) {
                for (String stmt : statements(MIGRATIONS.get(i))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(stmt);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO acl_schema_version (version) VALUES (?)")) {
                    ps.setInt(1, i + 1);
                    ps.executeUpdate();
                }
                LOG.info("ACL policy store migrated to schema version {}", i + 1);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static List<String> statements(String file) {
        try (InputStream in = JdbcPolicyStore.class.getResourceAsStream("/io/mediastore/acl/jdbc/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " missing from the classpath");
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : sql.split("\n")) {
                if (line.strip().startsWith("--")) {
                    continue;
                }
                cur.append(line).append('\n');
                if (line.strip().endsWith(";")) {
                    String s = cur.toString().strip();
                    out.add(s.substring(0, s.length() - 1));
                    cur.setLength(0);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public StoredPolicy load() {
        try (Connection c = dataSource.getConnection()) {
            int iso = c.getTransactionIsolation();
            boolean ac = c.getAutoCommit();
            // one consistent view of the version and all rows
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long version = readVersion(c, false);
                List<Membership> ms = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT member_kind, member_id, parent_kind, parent_id FROM acl_membership ORDER BY seq");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ms.add(Membership.of(principal(rs.getString(1), rs.getString(2)), principal(rs.getString(3), rs.getString(4))));
                    }
                }
                List<ObjectNode> os = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT model, object_id, parent_model, parent_id, owner_kind, "
                        + "owner_id, inheritance_blocked FROM acl_object ORDER BY seq");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        os.add(objectRow(rs));
                    }
                }
                List<Grant> gs = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, effect, subject_kind, subject_id, scope, model, "
                        + "object_id, actions, role_name, not_before, not_after FROM acl_grant ORDER BY seq");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gs.add(grantRow(rs));
                    }
                }
                c.commit();
                return new StoredPolicy(version, ms, os, gs);
            } finally {
                c.setAutoCommit(ac);
                c.setTransactionIsolation(iso);
            }
        } catch (SQLException e) {
            throw failure("loading the policy", e);
        }
    }

    @Override
    public long version() {
        try (Connection c = dataSource.getConnection()) {
            return readVersion(c, false);
        } catch (SQLException e) {
            throw failure("reading the policy version", e);
        }
    }

    /**
     * Reads the version and, if it moved since the last poll or change seen here, tells the listeners.
     *
     * @return whether listeners were notified
     */
    public boolean pollForChanges() {
        long v = version();
        synchronized (pollLock) {
            if (v <= lastSeen) {
                return false;
            }
            lastSeen = v;
        }
        listeners.forEach(l -> l.policyChanged(v));
        return true;
    }

    private static long readVersion(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM acl_version WHERE id = 1" + (lock ? " FOR UPDATE" : ""));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("acl_version has no row");
            }
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ writes

    private interface Body {
        /** Returns whether anything changed. */
        boolean run(Connection c) throws SQLException;
    }

    private VersionStep write(String what, Body body) {
        long from;
        long v;
        boolean changed;
        try (Connection c = dataSource.getConnection()) {
            boolean ac = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                from = readVersion(c, true);
                v = from;
                changed = body.run(c);
                if (changed) {
                    v++;
                    try (PreparedStatement ps = c.prepareStatement("UPDATE acl_version SET version = ? WHERE id = 1")) {
                        ps.setLong(1, v);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(ac);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
        if (changed) {
            synchronized (pollLock) {
                lastSeen = Math.max(lastSeen, v);
            }
            for (PolicyChangeListener l : listeners) {
                l.policyChanged(v);
            }
        }
        return new VersionStep(from, v);
    }

    private static long nextSeq(Connection c, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE acl_version SET next_seq = next_seq + ? WHERE id = 1")) {
            ps.setInt(1, n);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT next_seq FROM acl_version WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) - n;
        }
    }

    @Override
    public VersionStep putGrant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return write("writing a grant", c -> upsertGrant(c, grant));
    }

    private static boolean upsertGrant(Connection c, Grant g) throws SQLException {
        Grant old = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, effect, subject_kind, subject_id, scope, model, "
                + "object_id, actions, role_name, not_before, not_after FROM acl_grant WHERE id = ?")) {
            ps.setString(1, g.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    old = grantRow(rs);
                }
            }
        }
        if (g.equals(old)) {
            return false;
        }
        String sql = old == null
                ? "INSERT INTO acl_grant (effect, subject_kind, subject_id, scope, model, object_id, actions, role_name, "
                  + "not_before, not_after, seq, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE acl_grant SET effect = ?, subject_kind = ?, subject_id = ?, scope = ?, model = ?, object_id = ?, "
                  + "actions = ?, role_name = ?, not_before = ?, not_after = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, g.effect().name());
            ps.setString(i++, g.subject().kind().name());
            ps.setString(i++, g.subject().id());
            ps.setString(i++, g.scope().name());
            ps.setString(i++, g.model());
            ps.setString(i++, g.target().map(ObjectRef::id).orElse(null));
            ps.setString(i++, g.actions().isEmpty() ? null : String.join(",", g.actions()));
            ps.setString(i++, g.role().orElse(null));
            setInstant(ps, i++, g.notBefore().orElse(null));
            setInstant(ps, i++, g.notAfter().orElse(null));
            if (old == null) {
                ps.setLong(i++, nextSeq(c, 1));
            }
            ps.setString(i, g.id());
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public VersionStep removeGrant(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        return write("removing a grant", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM acl_grant WHERE id = ?")) {
                ps.setString(1, grantId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public VersionStep putMembership(Membership m) {
        Objects.requireNonNull(m, "membership");
        return write("writing a membership", c -> insertMembership(c, m));
    }

    private static boolean insertMembership(Connection c, Membership m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM acl_membership WHERE member_kind = ? AND member_id = ? "
                + "AND parent_kind = ? AND parent_id = ?")) {
            bindMembership(ps, m, 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acl_membership (member_kind, member_id, parent_kind, "
                + "parent_id, seq) VALUES (?, ?, ?, ?, ?)")) {
            bindMembership(ps, m, 1);
            ps.setLong(5, nextSeq(c, 1));
            ps.executeUpdate();
        }
        return true;
    }

    private static void bindMembership(PreparedStatement ps, Membership m, int i) throws SQLException {
        ps.setString(i, m.member().kind().name());
        ps.setString(i + 1, m.member().id());
        ps.setString(i + 2, m.parent().kind().name());
        ps.setString(i + 3, m.parent().id());
    }

    @Override
    public VersionStep removeMembership(Membership m) {
        Objects.requireNonNull(m, "membership");
        return write("removing a membership", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM acl_membership WHERE member_kind = ? AND member_id = ? "
                    + "AND parent_kind = ? AND parent_id = ?")) {
                bindMembership(ps, m, 1);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public VersionStep putObject(ObjectNode node) {
        Objects.requireNonNull(node, "node");
        return write("writing an object", c -> upsertObject(c, node));
    }

    private static boolean upsertObject(Connection c, ObjectNode n) throws SQLException {
        ObjectNode old = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT model, object_id, parent_model, parent_id, owner_kind, owner_id, "
                + "inheritance_blocked FROM acl_object WHERE model = ? AND object_id = ?")) {
            ps.setString(1, n.ref().model());
            ps.setString(2, n.ref().id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    old = objectRow(rs);
                }
            }
        }
        if (n.equals(old)) {
            return false;
        }
        String sql = old == null
                ? "INSERT INTO acl_object (parent_model, parent_id, owner_kind, owner_id, inheritance_blocked, seq, model, object_id) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE acl_object SET parent_model = ?, parent_id = ?, owner_kind = ?, owner_id = ?, inheritance_blocked = ? "
                  + "WHERE model = ? AND object_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, n.parent().map(ObjectRef::model).orElse(null));
            ps.setString(i++, n.parent().map(ObjectRef::id).orElse(null));
            ps.setString(i++, n.owner().map(p -> p.kind().name()).orElse(null));
            ps.setString(i++, n.owner().map(Principal::id).orElse(null));
            ps.setBoolean(i++, n.inheritanceBlocked());
            if (old == null) {
                ps.setLong(i++, nextSeq(c, 1));
            }
            ps.setString(i++, n.ref().model());
            ps.setString(i, n.ref().id());
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public VersionStep removeObject(ObjectRef ref) {
        Objects.requireNonNull(ref, "ref");
        return write("removing an object", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM acl_object WHERE model = ? AND object_id = ?")) {
                ps.setString(1, ref.model());
                ps.setString(2, ref.id());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public VersionStep putAll(List<Membership> memberships, List<ObjectNode> objects, List<Grant> grants) {
        return write("writing a batch", c -> {
            boolean changed = false;
            for (Membership m : memberships) {
                changed |= insertMembership(c, m);
            }
            for (ObjectNode n : objects) {
                changed |= upsertObject(c, n);
            }
            for (Grant g : grants) {
                changed |= upsertGrant(c, g);
            }
            return changed;
        });
    }

    @Override
    public void addChangeListener(PolicyChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeChangeListener(PolicyChangeListener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ rows

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }

    private static Principal principal(String kind, String id) {
        try {
            return new Principal(Principal.Kind.valueOf(kind), id);
        } catch (IllegalArgumentException e) {
            throw new AclException(Reason.STORE_FAILURE, "corrupt principal in the policy store: " + e.getMessage());
        }
    }

    private static ObjectNode objectRow(ResultSet rs) throws SQLException {
        try {
            ObjectNode n = ObjectNode.of(ObjectRef.of(rs.getString(1), rs.getString(2)));
            if (rs.getString(3) != null) {
                n = n.withParent(ObjectRef.of(rs.getString(3), rs.getString(4)));
            }
            if (rs.getString(5) != null) {
                n = n.withOwner(principal(rs.getString(5), rs.getString(6)));
            }
            return n.withInheritanceBlocked(rs.getBoolean(7));
        } catch (IllegalArgumentException e) {
            throw new AclException(Reason.STORE_FAILURE, "corrupt object row in the policy store: " + e.getMessage());
        }
    }

    private static Grant grantRow(ResultSet rs) throws SQLException {
        try {
            Grant.Builder b = Grant.Effect.valueOf(rs.getString(2)) == Grant.Effect.ALLOW ? Grant.allow() : Grant.deny();
            b.id(rs.getString(1)).to(principal(rs.getString(3), rs.getString(4)));
            Grant.Scope scope = Grant.Scope.valueOf(rs.getString(5));
            String model = rs.getString(6);
            switch (scope) {
                case OBJECT -> b.on(ObjectRef.of(model, rs.getString(7)));
                case TREE -> b.onTree(ObjectRef.of(model, rs.getString(7)));
                case MODEL -> b.onModel(model);
            }
            String actions = rs.getString(8);
            if (actions != null) {
                b.actions(actions.split(","));
            }
            String role = rs.getString(9);
            if (role != null) {
                b.role(role);
            }
            long nb = rs.getLong(10);
            if (!rs.wasNull()) {
                b.notBefore(Instant.ofEpochMilli(nb));
            }
            long na = rs.getLong(11);
            if (!rs.wasNull()) {
                b.notAfter(Instant.ofEpochMilli(na));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new AclException(Reason.STORE_FAILURE, "corrupt grant row in the policy store: " + e.getMessage());
        }
    }

    private static AclException failure(String what, SQLException e) {
        // the SQL state is enough to triage; the driver message may quote row values
        return new AclException(Reason.STORE_FAILURE, "policy store failed " + what + " (SQL state " + e.getSQLState() + ")", e);
    }
}
