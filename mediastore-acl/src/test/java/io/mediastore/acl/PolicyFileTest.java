package io.mediastore.acl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFileTest {

    static final String EXAMPLE = """
            # the example from the PolicyFile documentation
            model Collection actions=view,edit,share implies=edit>view parent=Collection owner=view,edit,share
            model Asset actions=view,download,edit implies=edit>view+download parent=Collection owner=view,edit
            role viewer Asset=view,download Collection=view
            role editor inherits=viewer Asset=edit Collection=edit
            member user:alice group:staff
            member group:staff role:editor

            object Asset:42 parent=Collection:7 owner=user:bob
            object Asset:43 parent=Collection:7 noinherit
            allow g1 group:staff tree Collection:7 role=viewer
            allow g2 user:carol object Asset:42 actions=view notAfter=2027-01-01T00:00:00Z
            deny g3 user:mallory model Asset actions=view
            allow g4 user:j%C3%B6rg%20m object Asset:a%2Cb actions=edit
            """;

    @Test
    void exampleParsesAndBehaves() {
        Policy p = PolicyFile.parse(EXAMPLE);
        assertEquals(2, p.models().size());
        assertEquals(2, p.roles().size());
        assertEquals(2, p.memberships().size());
        assertEquals(2, p.objects().size());
        assertEquals(4, p.grants().size());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), p.grants().get(1).notAfter().orElseThrow());
        assertEquals(Principal.user("jörg m"), p.grants().get(3).subject());
        assertEquals(ObjectRef.of("Asset", "a,b"), p.grants().get(3).target().orElseThrow());

        AccessControl acl = AccessControl.builder().policy(p).build();
        assertTrue(acl.isAllowed(Principal.user("alice"), "download", ObjectRef.of("Asset", "42")));
        assertFalse(acl.isAllowed(Principal.user("alice"), "view", ObjectRef.of("Asset", "43")), "noinherit");
        assertTrue(acl.isAllowed(Principal.user("bob"), "edit", ObjectRef.of("Asset", "42")), "owner");
        assertFalse(acl.isAllowed(Principal.user("mallory"), "view", ObjectRef.of("Asset", "1")));
        assertTrue(acl.isAllowed(Principal.user("jörg m"), "download", ObjectRef.of("Asset", "a,b")));
        assertEquals(p, acl.policy());
    }

    @Test
    void formatRoundTripsAndFilesWork() throws Exception {
        Policy p = PolicyFile.parse(EXAMPLE);
        String text = PolicyFile.format(p);
        assertEquals(p, PolicyFile.parse(text));
        assertEquals(text, PolicyFile.format(PolicyFile.parse(text)));
        Path f = Files.createTempFile("policy", ".acl");
        try {
            PolicyFile.write(p, f);
            assertEquals(p, PolicyFile.read(f));
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void emptyImplicationsAndPermissionsAreDroppedSoTheFileStaysParsable() {
        Policy p = Policy.builder()
                .model(Model.builder("Asset").actions("view").implies("view").build())
                .role(Role.builder("r").permit("Asset").build()).build();
        assertTrue(p.models().get(0).implications().isEmpty());
        assertTrue(p.roles().get(0).permissions().isEmpty());
        assertEquals(p, PolicyFile.parse(PolicyFile.format(p)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frobnicate x|1|unknown statement",
        "model Asset|1|needs a name and actions",
        "model Asset actions=view,,edit|1|empty element",
        "model Asset actions=view implies=edit>view|1|does not declare action edit",
        "model Asset actions=view parent=Folder|1|unknown parent model Folder",
        "model Asset actions=view\\nmodel Asset actions=edit|2|already defined on line 1",
        "model Asset actions=view\\nrole r Asset=edit|2|has no action edit",
        "model Asset actions=view\\nrole r inherits=s|2|inherits unknown role s",
        "model Asset actions=view\\nmodel inherits actions=view|2|model name 'inherits' is reserved",
        "role a inherits=b\\nrole b inherits=a|1|cycle",
        "model Asset actions=view\\n\\n# c\\nallow g1 user:a object Asset:1 actions=edit|4|action 'edit' is not declared",
        "model Asset actions=view\\nallow g1 user:a object Asset:1 role=boss|2|unknown role",
        "model Asset actions=view\\nallow g1 user:a object Asset:1|2|needs",
        "model Asset actions=view\\nallow g1 user:a object Asset:1 actions=view role=x|2|exactly one",
        "model Asset actions=view\\nallow g1 user:a sideways Asset:1 actions=view|2|scope must be",
        "model Asset actions=view\\nallow g1 admin:a object Asset:1 actions=view|2|principal must be",
        "model Asset actions=view\\nallow g1 user:a object Asset:1 actions=view notAfter=tomorrow|2|ISO-8601",
        "model Asset actions=view\\nallow g1 user:a object Asset:1 actions=view notAfter=+1000000000-12-31T23:59:59Z|2|notAfter +1000000000-12-31T23:59:59Z is outside the epoch-millisecond range",
        "model Asset actions=view\\n\\ndeny g1 user:a model Asset actions=view notBefore=-1000000000-01-01T00:00:00Z|3|notBefore -1000000000-01-01T00:00:00Z is outside",
        "model Asset actions=view\\nallow g1 user:a object Asset:1 actions=view\\nallow g1 user:b object Asset:1 actions=view|3|already used on line 2",
        "model Asset actions=view\\nallow g1 user:a%ZZ object Asset:1 actions=view|2|bad %XX",
        "model Asset actions=view\\nallow g1 user:a%C object Asset:1 actions=view|2|truncated",
        "model Asset actions=view\\nallow g1 user:a%C3%28 object Asset:1 actions=view|2|not UTF-8",
        "model Asset actions=view\\nobject Asset:1 parent=Asset:2|2|cannot have a parent",
        "model C actions=view parent=C\\nobject C:1 parent=C:2\\nobject C:2 parent=C:1|3|cycle",
        "model Asset actions=view\\nobject Asset:1 colour=red|2|unknown option",
        "model Asset actions=view\\nmember user:a|2|two principals",
        "model Asset actions=view\\nmember role:a group:b|2|a role is not a member",
    })
    void malformedFilesAreRefusedWithTheLine(String text, int line, String message) {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.parse(text.replace("\\n", "\n")));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(AclException.Reason.MALFORMED_POLICY_FILE, e.reason());
        assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Two roles per level, each inheriting both of the level below: 2^levels paths to the bottom. */
    static String diamondRoles(int levels) {
        StringBuilder p = new StringBuilder("model Asset actions=view,edit\nrole r0 Asset=view\nrole s0 Asset=edit\n");
        for (int i = 1; i <= levels; i++) {
            p.append("role r").append(i).append(" inherits=r").append(i - 1).append(",s").append(i - 1).append('\n');
            p.append("role s").append(i).append(" inherits=r").append(i - 1).append(",s").append(i - 1).append('\n');
        }
        return p.toString();
    }

    @Test
    void diamondShapedRoleInheritanceParsesInLinearTime() {
        String text = diamondRoles(40) + "allow g user:ann model Asset role=r40\n";
        Policy p = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PolicyFile.parse(text));
        AccessControl acl = AccessControl.builder().policy(p).build();
        assertTrue(acl.isAllowed(Principal.user("ann"), "edit", ObjectRef.of("Asset", "1")), "r40 inherits s0's edit");
        List<String> path = acl.check(Principal.user("ann"), "edit", ObjectRef.of("Asset", "1")).rolePath();
        assertEquals(41, path.size(), path.toString());
        assertEquals(List.of("r40", "s0"), List.of(path.get(0), path.get(40)));
    }

    @Test
    void aRoleChainLongerThanTheBoundIsRefusedWithItsLineNotAStackOverflow() {
        StringBuilder p = new StringBuilder("model Asset actions=view\nrole r0 Asset=view\n");
        for (int i = 1; i <= 20_000; i++) {
            p.append("role r").append(i).append(" inherits=r").append(i - 1).append('\n');
        }
        String text = p.toString();
        PolicyFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PolicyFileException.class, () -> PolicyFile.parse(text)));
        int first = Role.MAX_ANCESTORS + 1;                          // r1001 inherits r1000 ... r0
        assertEquals(first + 2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("role r" + first + " inherits more than " + Role.MAX_ANCESTORS + " roles"),
                e.getMessage());
    }

    @Test
    void aCycleBehindALongChainIsFoundWithoutRecursion() {
        StringBuilder p = new StringBuilder("model Asset actions=view\n");
        for (int i = 0; i < 50_000; i++) {
            p.append("role c").append(i).append(" inherits=").append(i == 0 ? "a" : "c" + (i - 1)).append('\n');
        }
        p.append("role a inherits=b\nrole b inherits=a\n");
        String text = p.toString();
        PolicyFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PolicyFileException.class, () -> PolicyFile.parse(text)));
        assertTrue(e.getMessage().contains("cycle through a") || e.getMessage().contains("cycle through b"), e.getMessage());
        assertTrue(e.line() == 50_002 || e.line() == 50_003, e.getMessage());
    }

    /** In a role line, inherits= is the inheritance: no permission may be written that way. */
    @Test
    void noModelCanBeCalledInheritsSoRolePermissionsCannotReadBackAsInheritance() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.builder("inherits"));
        assertTrue(e.getMessage().contains("model name 'inherits' is reserved"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Role.builder("auditor").permit("inherits", "view"));
        // the same words as roles or other models stay usable, and read back as written
        Policy p = Policy.builder()
                .model(Model.builder("Inherits").actions("view").build())
                .model(Model.builder("Asset").actions("view", "delete").build())
                .role(Role.builder("view").permit("Asset", "delete").build())
                .role(Role.builder("inherits").inherits("view").permit("Inherits", "view").build())
                .build();
        assertEquals(p, PolicyFile.parse(PolicyFile.format(p)));
    }
}
