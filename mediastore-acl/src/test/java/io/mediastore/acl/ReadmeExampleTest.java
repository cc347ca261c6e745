package io.mediastore.acl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example, compiled and run so that it cannot rot. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        // --- README example start
        AccessControl acl = AccessControl.builder()
            .model(Model.builder("Collection").actions("view", "edit").implies("edit", "view")
                .parent("Collection").build())
            .model(Model.builder("Asset").actions("view", "download", "edit", "delete")
                .implies("edit", "view").parent("Collection").ownerMay("view", "edit", "delete").build())
            .role(Role.builder("viewer").permit("Collection", "view").permit("Asset", "view", "download").build())
            .role(Role.builder("editor").inherits("viewer").permit("Asset", "edit").build())
            .build();
        acl.putObject(ObjectNode.of(ObjectRef.of("Asset", "42")).withParent(ObjectRef.of("Collection", "7")));
        acl.addMember(Membership.of(Principal.user("alice"), Principal.group("staff")));
        acl.grant(Grant.allow().id("staff-edit-7").to(Principal.group("staff")).role("editor")
            .onTree(ObjectRef.of("Collection", "7")).build());
        acl.grant(Grant.deny().to(Principal.user("alice")).actions("delete").onModel("Asset").build());

        Decision d = acl.check(Principal.user("alice"), "download", ObjectRef.of("Asset", "42"));
        d.allowed();   // true
        d.explain();   // user:alice may download Asset:42: allowed by allow staff-edit-7 group:staff role editor
                       // on Collection:7 and descendants; role editor -> viewer; membership user:alice -> group:staff;
                       // inherited Asset:42 -> Collection:7
        SqlFilter f = acl.permitted(Principal.user("alice"), "Asset", "view").toSqlFilter("a.id");
        // "SELECT ... FROM assets a WHERE " + f.sql() + " ORDER BY a.id LIMIT ?", then f.bind(statement, 1)
        // --- README example end

        assertTrue(d.allowed());
        assertEquals("user:alice may download Asset:42: allowed by allow staff-edit-7 group:staff role editor on "
                + "Collection:7 and descendants; role editor -> viewer; membership user:alice -> group:staff; "
                + "inherited Asset:42 -> Collection:7",
                d.explain());
        assertFalse(acl.isAllowed(Principal.user("alice"), "delete", ObjectRef.of("Asset", "42")));
        assertEquals("(a.id IN (?))", f.sql());
        assertEquals(java.util.List.of("42"), f.parameters());
    }
}
