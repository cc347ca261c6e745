package io.mediastore.acl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFileProperties {

    /** Ids with characters that need escaping: spaces, commas, '=', '%', '#', non-ASCII, surrogate pairs. */
    static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("ab %=,#:/@é漢😀\t").ofMinLength(1).ofMaxLength(8)
                        .filter(s -> s.chars().noneMatch(Character::isISOControl))
                        .filter(s -> !hasLoneSurrogate(s)));
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Combinators.combine(Arbitraries.longs(), ids().list().ofMinSize(1).ofMaxSize(12),
                Arbitraries.integers().between(0, 30)).as(PolicyFileProperties::randomPolicy);
    }

    /** Words the file format gives a meaning to, as names of models. */
    static final List<String> KEYWORDS = List.of("inherits", "actions", "implies", "parent", "owner", "role", "model",
            "allow", "deny", "object", "tree", "member", "noinherit", "notBefore", "notAfter");

    /** A random valid policy: a nested Collection/Asset schema, role chains, objects, grants of every shape. */
    static Policy randomPolicy(long seed, List<String> ids, int grants) {
        Random r = new Random(seed);
        Policy.Builder b = Policy.builder();
        b.model(Model.builder("Collection").actions("view", "edit").implies("edit", "view").parent("Collection")
                .ownerMay("edit").build());
        Model.Builder ab = Model.builder("Asset").actions("view", "download", "edit").parent("Collection");
        if (r.nextBoolean()) {
            ab.implies("edit", "view", "download");
        }
        if (r.nextBoolean()) {
            ab.ownerMay("view");
        }
        b.model(ab.build());
        // a model named like a keyword of the file format, if the builders accept the name at all
        String extra = KEYWORDS.get(r.nextInt(KEYWORDS.size()));
        try {
            b.model(Model.builder(extra).actions("view", "edit").build());
        } catch (IllegalArgumentException reserved) {
            extra = null;
        }
        int roles = r.nextInt(4);
        for (int i = 0; i < roles; i++) {
            Role.Builder rb = Role.builder("r" + i).permit("Asset", r.nextBoolean() ? "view" : "edit");
            if (extra != null && r.nextBoolean()) {
                rb.permit(extra, r.nextBoolean() ? "view" : "edit");
            }
            if (i > 0 && r.nextBoolean()) {
                rb.inherits("r" + (i - 1));
            }
            b.role(rb.build());
        }
        List<ObjectRef> colls = new ArrayList<>();
        LinkedHashSet<ObjectRef> seen = new LinkedHashSet<>();
        for (String id : ids) {
            ObjectRef c = ObjectRef.of("Collection", id);
            if (!seen.add(c)) {
                continue;
            }
            ObjectNode n = ObjectNode.of(c);
            if (!colls.isEmpty() && r.nextBoolean()) {
                n = n.withParent(colls.get(r.nextInt(colls.size())));
            }
            if (r.nextBoolean()) {
                n = n.withOwner(r.nextBoolean() ? Principal.user(id) : Principal.group(id));
            }
            b.object(n.withInheritanceBlocked(r.nextInt(5) == 0));
            colls.add(c);
            ObjectRef a = ObjectRef.of("Asset", id);
            if (seen.add(a)) {
                b.object(ObjectNode.of(a).withParent(c));
            }
        }
        LinkedHashSet<Membership> ms = new LinkedHashSet<>();
        for (String id : ids) {
            ms.add(Membership.of(Principal.user(id), Principal.group(ids.get(r.nextInt(ids.size())))));
            if (roles > 0) {
                ms.add(Membership.of(Principal.group(id), Principal.role("r" + r.nextInt(roles))));
            }
        }
        ms.forEach(b::membership);
        for (int i = 0; i < grants; i++) {
            Grant.Builder g = r.nextInt(4) == 0 ? Grant.deny() : Grant.allow();
            // a fixed-width index first: "1" + "00" and "10" + "0" must not both become grant "100"
            g.id(String.format("%02d", i) + ids.get(r.nextInt(ids.size())));
            int k = r.nextInt(3);
            g.to(k == 0 ? Principal.user(ids.get(r.nextInt(ids.size())))
                    : k == 1 ? Principal.group(ids.get(r.nextInt(ids.size()))) : roles > 0 ? Principal.role("r0") : Principal.user("x"));
            String id = ids.get(r.nextInt(ids.size()));
            switch (r.nextInt(3)) {
                case 0 -> g.on(ObjectRef.of("Asset", id)).actions("download");
                case 1 -> g.onTree(ObjectRef.of("Collection", id)).actions(r.nextBoolean() ? "view" : "download");
                default -> g.onModel("Collection").actions("edit");
            }
            if (roles > 0 && r.nextInt(3) == 0) {
                g = g.build().toBuilder();
                Grant built = g.build();
                g = (built.effect() == Grant.Effect.ALLOW ? Grant.allow() : Grant.deny()).id(built.id()).to(built.subject())
                        .role("r" + r.nextInt(roles));
                if (built.scope() == Grant.Scope.MODEL) {
                    g.onModel(built.model());
                } else {
                    g.onTree(ObjectRef.of("Collection", built.target().orElseThrow().id()));
                }
            }
            if (r.nextBoolean()) {
                g.notBefore(Instant.ofEpochMilli(r.nextInt(1_000_000)));
            }
            if (r.nextBoolean()) {
                g.notAfter(Instant.ofEpochMilli(2_000_000L + r.nextInt(1_000_000)));
            }
            b.grant(g.build());
        }
        return b.build();
    }

    @Property(tries = 300)
    void formatThenParseIsIdentity(@ForAll("policies") Policy p) {
        String text = PolicyFile.format(p);
        assertEquals(p, PolicyFile.parse(text));
        assertTrue(text.lines().allMatch(l -> l.chars().allMatch(c -> c >= 0x20 && c < 0x7f)),
                "the file is plain printable ASCII");
    }

    @Property(tries = 300)
    void randomTextIsRefusedWithALineNumberNeverAnotherException(@ForAll("junk") String text) {
        try {
            PolicyFile.parse(text);
        } catch (PolicyFileException e) {
            assertTrue(e.line() >= 1, e.getMessage());
            assertTrue(e.getMessage().startsWith("line " + e.line() + ": "));
        }
    }

    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("modelrlwyjct =:,%>+;#\n").ofMaxLength(60),
                Arbitraries.of("model A actions=v", "role r A=v", "allow g user:a object A:1 actions=v",
                        "object A:1 parent=A:2", "member user:a group:b", "deny g2 group:x model A role=r"));
        return line.list().ofMaxSize(8).map(l -> String.join("\n", l));
    }

    @Property(tries = 300)
    void mutatedValidFilesParseOrAreRefusedWithALine(@ForAll("policies") Policy p, @ForAll long seed,
                                                      @ForAll @IntRange(min = 1, max = 4) int mutations) {
        char[] text = PolicyFile.format(p).toCharArray();
        Random r = new Random(seed);
        String alphabet = " =:,%>+;#\nxaZ09é";
        for (int i = 0; i < mutations; i++) {
            text[r.nextInt(text.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
        }
        String mutated = new String(text);
        try {
            Policy q = PolicyFile.parse(mutated);
            assertEquals(q, PolicyFile.parse(PolicyFile.format(q)), "whatever parses, round trips");
        } catch (PolicyFileException e) {
            int lines = mutated.split("\r?\n|\r", -1).length;
            assertTrue(e.line() >= 1 && e.line() <= lines, e.getMessage());
        }
    }
}
