package io.mediastore.acl;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Page through the assets I may see" against a real database: the SQL filter's rows must be exactly
 * the assets a check allows, and ids (even hostile-looking ones) only ever travel as bind parameters.
 */
public abstract class SqlFilterScenario {
    static final int ASSETS = 3000;

    protected abstract DataSource dataSource();

    private AccessControl aclWithAssets(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, title VARCHAR(100) NOT NULL, collection_id BIGINT NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, title, collection_id) VALUES (?, ?, ?)")) {
            for (int i = 0; i < ASSETS; i++) {
                ps.setLong(1, i);
                ps.setString(2, "asset " + i);
                ps.setLong(3, i % 10);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < ASSETS; i++) {
            nodes.add(ObjectNode.of(ObjectRef.of("Asset", String.valueOf(i))).withParent(ObjectRef.of("Collection", String.valueOf(i % 10))));
        }
        Policy.Builder p = Policy.builder();
        nodes.forEach(p::object);
        return Fixtures.acl().policy(p.build()).build();
    }

    private static List<Long> pageThrough(Connection c, String table, SqlFilter f) throws Exception {
        List<Long> seen = new ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id FROM " + table + " a WHERE " + f.sql()
                    + " ORDER BY a.id LIMIT ? OFFSET ?")) {
                int next = f.bind(ps, 1);
                ps.setInt(next, 100);
                ps.setInt(next + 1, offset);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen.add(rs.getLong(1));
                        rows++;
                    }
                }
                if (rows < 100) {
                    return seen;
                }
            }
        }
    }

    private static List<Long> expected(AccessControl acl, Principal p) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < ASSETS; i++) {
            if (acl.isAllowed(p, "view", ObjectRef.of("Asset", String.valueOf(i)))) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void pagesThroughExactlyTheAssetsAUserMaySee() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            AccessControl acl = aclWithAssets(c, "assets_a");
            Principal ann = Principal.user("ann");
            acl.addMember(Membership.of(ann, Principal.group("team")));
            acl.grant(Grant.allow().to(Principal.group("team")).role("viewer").onTree(ObjectRef.of("Collection", "3")).build());
            acl.grant(Grant.allow().to(ann).actions("download").on(ObjectRef.of("Asset", "7")).build());
            acl.grant(Grant.deny().to(ann).actions("view").on(ObjectRef.of("Asset", "13")).build());
            PermittedObjects p = acl.permitted(ann, "Asset", "view");
            assertFalse(p.allExceptExcluded());
            SqlFilter f = p.toSqlFilter("a.id", Long::valueOf);
            assertTrue(f.sql().matches("\\(a\\.id IN \\([?,]+\\)( OR a\\.id IN \\([?,]+\\))*\\)"), f.sql());
            List<Long> rows = pageThrough(c, "assets_a", f);
            assertEquals(expected(acl, ann), rows);
            assertEquals(ASSETS / 10 - 1 + 1, rows.size(), "collection 3 minus the denied one plus asset 7");

            // a whole-model allow turns the filter into "all except the denied"
            acl.grant(Grant.allow().to(ann).actions("view").onModel("Asset").build());
            PermittedObjects all = acl.permitted(ann, "Asset", "view");
            assertTrue(all.allExceptExcluded());
            List<Long> allRows = pageThrough(c, "assets_a", all.toSqlFilter("a.id", Long::valueOf));
            assertEquals(expected(acl, ann), allRows);
            assertEquals(ASSETS - 1, allRows.size());

            // nobody: an always-false filter with no parameters
            SqlFilter none = acl.permitted(Principal.user("nobody"), "Asset", "view").toSqlFilter("a.id", Long::valueOf);
            assertEquals("(1=0)", none.sql());
            assertTrue(pageThrough(c, "assets_a", none).isEmpty());
        }
    }

    @Test
    void anArrayFilterPagesThroughTheSameRowsWithOneParameter() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            AccessControl acl = aclWithAssets(c, "assets_b");
            Principal bea = Principal.user("bea");
            acl.grant(Grant.allow().to(bea).role("viewer").onTree(ObjectRef.of("Collection", "4")).build());
            acl.grant(Grant.allow().to(bea).actions("view").on(ObjectRef.of("Asset", "5")).build());
            acl.grant(Grant.deny().to(bea).actions("view").on(ObjectRef.of("Asset", "14")).build());
            SqlFilter f = acl.permitted(bea, "Asset", "view").toSqlArrayFilter("a.id", "bigint", Long::valueOf);
            assertEquals("(a.id = ANY(?))", f.sql());
            assertEquals(1, f.parameters().size());
            List<Long> rows = pageThrough(c, "assets_b", f);
            assertEquals(expected(acl, bea), rows);
            assertEquals(ASSETS / 10, rows.size(), "collection 4 minus the denied one plus asset 5");

            acl.grant(Grant.allow().to(bea).actions("view").onModel("Asset").build());
            SqlFilter all = acl.permitted(bea, "Asset", "view").toSqlArrayFilter("a.id", "bigint", Long::valueOf);
            assertEquals("(NOT (a.id = ANY(?)))", all.sql());
            assertEquals(expected(acl, bea), pageThrough(c, "assets_b", all));

            // far beyond what an IN list may bind: still one parameter
            java.util.Set<String> many = new java.util.HashSet<>();
            for (int i = 0; i < 70_000; i += 2) {
                many.add(String.valueOf(i));
            }
            many.add("100000");
            PermittedObjects big = new PermittedObjects("Asset", "view", false, many);
            assertThrows(IllegalArgumentException.class, () -> big.toSqlFilter("a.id", Long::valueOf));
            SqlFilter bf = big.toSqlArrayFilter("a.id", "bigint", Long::valueOf);
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM assets_b a WHERE " + bf.sql())) {
                assertEquals(2, bf.bind(ps, 1));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(ASSETS / 2, rs.getInt(1));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> big.toSqlArrayFilter("a.id", "bigint); DROP TABLE x; --", Long::valueOf));
        }
    }

    @Test
    void hostileIdsAreOnlyEverBound() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE docs (id VARCHAR(100) PRIMARY KEY)");
            }
            String[] ids = {"plain", "x' OR '1'='1", "'); DROP TABLE docs; --", "a\"b", "semi;colon", "100%"};
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO docs (id) VALUES (?)")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            AccessControl acl = Fixtures.acl().build();
            Principal eve = Principal.user("eve' OR 1=1 --");
            acl.grant(Grant.allow().to(eve).actions("view").on(ObjectRef.of("Asset", ids[1])).build());
            acl.grant(Grant.allow().to(eve).actions("view").on(ObjectRef.of("Asset", ids[2])).build());
            SqlFilter f = acl.permitted(eve, "Asset", "view").toSqlFilter("id");
            for (String id : ids) {
                assertFalse(f.sql().contains(id), "ids never reach the SQL text");
            }
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM docs WHERE " + f.sql() + " ORDER BY id")) {
                f.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
            assertEquals(List.of(ids[2], ids[1]), rows);
            SqlFilter af = acl.permitted(eve, "Asset", "view").toSqlArrayFilter("id", "varchar", id -> id);
            List<String> arrayRows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM docs WHERE " + af.sql() + " ORDER BY id")) {
                af.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        arrayRows.add(rs.getString(1));
                    }
                }
            }
            assertEquals(rows, arrayRows);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM docs")) {
                rs.next();
                assertEquals(ids.length, rs.getInt(1));
            }
        }
    }

    @Test
    void columnNamesAreValidatedAndHugeListsRefused() {
        PermittedObjects p = new PermittedObjects("Asset", "view", false, java.util.Set.of("1"));
        assertThrows(IllegalArgumentException.class, () -> p.toSqlFilter("id; DROP TABLE x"));
        assertThrows(IllegalArgumentException.class, () -> p.toSqlFilter("a.b.c"));
        assertEquals("(t.id IN (?))", p.toSqlFilter("t.id").sql());
        java.util.Set<String> many = new java.util.HashSet<>();
        for (int i = 0; i <= PermittedObjects.MAX_PARAMETERS; i++) {
            many.add(String.valueOf(i));
        }
        assertThrows(IllegalArgumentException.class, () -> new PermittedObjects("Asset", "view", false, many).toSqlFilter("id"));
    }
}
