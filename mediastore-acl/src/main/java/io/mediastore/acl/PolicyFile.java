package io.mediastore.acl;

import io.mediastore.acl.internal.CompiledSchema;
import io.mediastore.acl.internal.SnapshotBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The human-readable policy file: one statement per line, {@code #} starts a comment line, blank
 * lines are ignored, tokens are separated by spaces.
 *
 * <pre>
 * model Collection actions=view,edit,share implies=edit&gt;view parent=Collection owner=view,edit,share
 * model Asset actions=view,download,edit implies=edit&gt;view+download parent=Collection owner=view,edit
 * role viewer Asset=view,download Collection=view
 * role editor inherits=viewer Asset=edit Collection=edit
 * member user:alice group:staff
 * member group:staff role:editor
 * object Asset:42 parent=Collection:7 owner=user:bob
 * object Asset:43 parent=Collection:7 noinherit
 * allow g1 group:staff tree Collection:7 role=viewer
 * allow g2 user:carol object Asset:42 actions=view notAfter=2027-01-01T00:00:00Z
 * deny g3 user:mallory model Asset actions=view
 * </pre>
 *
 * <p>Statements: {@code model NAME actions=A,B [implies=A>B+C;D>E] [parent=MODEL] [owner=A,B]};
 * {@code role NAME [inherits=R1,R2] [MODEL=A,B ...]}; {@code member PRINCIPAL PRINCIPAL};
 * {@code object MODEL:ID [parent=MODEL:ID] [owner=PRINCIPAL] [noinherit]};
 * {@code allow|deny GRANT_ID PRINCIPAL (object MODEL:ID | tree MODEL:ID | model MODEL)
 * (actions=A,B | role=ROLE) [notBefore=INSTANT] [notAfter=INSTANT]}. Principals are
 * {@code user:ID}, {@code group:ID} or {@code role:NAME}; instants are ISO-8601 UTC. In ids every
 * character outside {@code A-Z a-z 0-9 . _ ~ @ + / : -} is written as {@code %XX} (UTF-8 bytes).
 *
 * <p>Reading validates everything (syntax, known models, actions and roles, parent models, no
 * cycles, at most {@link Role#MAX_ANCESTORS} inherited roles per role, unique names and grant ids)
 * and refuses the file with a {@link PolicyFileException} naming the line.
 */
public final class PolicyFile {
    /** Refuse absurd inputs before doing any work on them. */
    public static final int MAX_LINES = 10_000_000;

    private PolicyFile() {
    }

    public static Policy read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static void write(Policy policy, Path file) throws IOException {
        Files.writeString(file, format(policy), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ format

    public static String format(Policy p) {
        StringBuilder b = new StringBuilder("# MediaStore ACL policy\n");
        for (Model m : p.models()) {
            b.append("model ").append(m.name()).append(" actions=").append(String.join(",", m.actions()));
            if (!m.implications().isEmpty()) {
                List<String> parts = new ArrayList<>();
                m.implications().forEach((a, implied) -> parts.add(a + ">" + String.join("+", implied)));
                b.append(" implies=").append(String.join(";", parts));
            }
            m.parent().ifPresent(pm -> b.append(" parent=").append(pm));
            if (!m.ownerActions().isEmpty()) {
                b.append(" owner=").append(String.join(",", m.ownerActions()));
            }
            b.append('\n');
        }
        for (Role r : p.roles()) {
            b.append("role ").append(r.name());
            if (!r.inherits().isEmpty()) {
                b.append(" inherits=").append(String.join(",", r.inherits()));
            }
            r.permissions().forEach((m, acts) -> b.append(' ').append(m).append('=').append(String.join(",", acts)));
            b.append('\n');
        }
        for (Membership m : p.memberships()) {
            b.append("member ").append(principal(m.member())).append(' ').append(principal(m.parent())).append('\n');
        }
        for (ObjectNode n : p.objects()) {
            b.append("object ").append(ref(n.ref()));
            n.parent().ifPresent(pr -> b.append(" parent=").append(ref(pr)));
            n.owner().ifPresent(o -> b.append(" owner=").append(principal(o)));
            if (n.inheritanceBlocked()) {
                b.append(" noinherit");
            }
            b.append('\n');
        }
        for (Grant g : p.grants()) {
            b.append(g.effect() == Grant.Effect.ALLOW ? "allow " : "deny ").append(encode(g.id())).append(' ')
                    .append(principal(g.subject())).append(' ');
            switch (g.scope()) {
                case OBJECT -> b.append("object ").append(ref(g.target().orElseThrow()));
                case TREE -> b.append("tree ").append(ref(g.target().orElseThrow()));
                case MODEL -> b.append("model ").append(g.model());
            }
            if (g.role().isPresent()) {
                b.append(" role=").append(g.role().get());
            } else {
                b.append(" actions=").append(String.join(",", g.actions()));
            }
            g.notBefore().ifPresent(i -> b.append(" notBefore=").append(i));
            g.notAfter().ifPresent(i -> b.append(" notAfter=").append(i));
            b.append('\n');
        }
        return b.toString();
    }

    private static String principal(Principal p) {
        return p.kind().prefix() + ":" + (p.kind() == Principal.Kind.ROLE ? p.id() : encode(p.id()));
    }

    private static String ref(ObjectRef r) {
        return r.model() + ":" + encode(r.id());
    }

    private static boolean safe(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '~' || c == '@' || c == '+' || c == '/' || c == ':' || c == '-';
    }

    static String encode(String id) {
        StringBuilder b = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (safe(c)) {
                b.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < id.length() ? i + 2 : i + 1;
                for (byte x : id.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
                }
                i = end - 1;
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ parse

    /** Parses and validates a policy; see the class comment for the format. */
    public static Policy parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        List<Stmt> stmts = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        if (lines.length > MAX_LINES) {
            throw new PolicyFileException(MAX_LINES + 1, "too many lines");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                stmts.add(statement(i + 1, line));
            } catch (IllegalArgumentException e) {
                throw new PolicyFileException(i + 1, e.getMessage());
            }
        }
        return validate(stmts);
    }

    private record Stmt(int line, Object value) {
    }

    private static Stmt statement(int line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw new IllegalArgumentException("control character in line");
            }
        }
        String[] t = text.split("[ \t]+");
        return switch (t[0]) {
            case "model" -> new Stmt(line, model(t));
            case "role" -> new Stmt(line, role(t));
            case "member" -> {
                expect(t.length == 3, "member needs two principals: member user:ID group:ID");
                yield new Stmt(line, Membership.of(parsePrincipal(t[1]), parsePrincipal(t[2])));
            }
            case "object" -> new Stmt(line, object(t));
            case "allow", "deny" -> new Stmt(line, grant(t));
            default -> throw new IllegalArgumentException("unknown statement '" + Names.printable(t[0])
                    + "' (expected model, role, member, object, allow or deny)");
        };
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static Map<String, String> options(String[] t, int from, Set<String> keys, Set<String> flags,
                                               Map<String, String> free) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < t.length; i++) {
            String tok = t[i];
            int eq = tok.indexOf('=');
            if (eq < 0) {
                expect(flags.contains(tok), "unexpected token '" + Names.printable(tok) + "'");
                expect(o.put(tok, "") == null, "duplicate '" + tok + "'");
                continue;
            }
            String k = tok.substring(0, eq);
            String v = tok.substring(eq + 1);
            expect(!v.isEmpty(), "empty value for '" + Names.printable(k) + "'");
            if (keys.contains(k)) {
                expect(o.put(k, v) == null, "duplicate '" + k + "'");
            } else if (free != null) {
                Names.name("key", k);
                expect(free.put(k, v) == null, "duplicate '" + k + "'");
            } else {
                throw new IllegalArgumentException("unknown option '" + Names.printable(k) + "'");
            }
        }
        return o;
    }

    private static String[] list(String v) {
        String[] parts = v.split(",", -1);
        for (String p : parts) {
            expect(!p.isEmpty(), "empty element in list '" + Names.printable(v) + "'");
        }
        return parts;
    }

    private static Model model(String[] t) {
        expect(t.length >= 3, "model needs a name and actions=...");
        Model.Builder b = Model.builder(t[1]);
        Map<String, String> o = options(t, 2, Set.of("actions", "implies", "parent", "owner"), Set.of(), null);
        expect(o.containsKey("actions"), "model " + t[1] + " needs actions=...");
        b.actions(list(o.get("actions")));
        if (o.containsKey("implies")) {
            for (String rule : o.get("implies").split(";", -1)) {
                int gt = rule.indexOf('>');
                expect(gt > 0 && gt < rule.length() - 1, "implication must be ACTION>ACTION+ACTION: '"
                        + Names.printable(rule) + "'");
                String[] implied = rule.substring(gt + 1).split("\\+", -1);
                for (String s : implied) {
                    expect(!s.isEmpty(), "empty action in implication '" + Names.printable(rule) + "'");
                }
                b.implies(rule.substring(0, gt), implied);
            }
        }
        if (o.containsKey("parent")) {
            b.parent(o.get("parent"));
        }
        if (o.containsKey("owner")) {
            b.ownerMay(list(o.get("owner")));
        }
        return b.build();
    }

    private static Role role(String[] t) {
        expect(t.length >= 2, "role needs a name");
        Role.Builder b = Role.builder(t[1]);
        Map<String, String> perms = new LinkedHashMap<>();
        Map<String, String> o = options(t, 2, Set.of("inherits"), Set.of(), perms);
        if (o.containsKey("inherits")) {
            b.inherits(list(o.get("inherits")));
        }
        perms.forEach((m, acts) -> b.permit(m, list(acts)));
        return b.build();
    }

    private static ObjectNode object(String[] t) {
        expect(t.length >= 2, "object needs MODEL:ID");
        ObjectNode n = ObjectNode.of(parseRef(t[1]));
        Map<String, String> o = options(t, 2, Set.of("parent", "owner"), Set.of("noinherit"), null);
        if (o.containsKey("parent")) {
            n = n.withParent(parseRef(o.get("parent")));
        }
        if (o.containsKey("owner")) {
            n = n.withOwner(parsePrincipal(o.get("owner")));
        }
        return n.withInheritanceBlocked(o.containsKey("noinherit"));
    }

    private static Grant grant(String[] t) {
        expect(t.length >= 6, t[0] + " needs: " + t[0] + " ID PRINCIPAL (object|tree MODEL:ID | model MODEL) (actions=...|role=...)");
        Grant.Builder b = t[0].equals("allow") ? Grant.allow() : Grant.deny();
        b.id(decode(t[1])).to(parsePrincipal(t[2]));
        switch (t[3]) {
            case "object" -> b.on(parseRef(t[4]));
            case "tree" -> b.onTree(parseRef(t[4]));
            case "model" -> b.onModel(t[4]);
            default -> throw new IllegalArgumentException("scope must be object, tree or model: '" + Names.printable(t[3]) + "'");
        }
        Map<String, String> o = options(t, 5, Set.of("actions", "role", "notBefore", "notAfter"), Set.of(), null);
        expect(o.containsKey("actions") != o.containsKey("role"), "a grant needs exactly one of actions=... or role=...");
        if (o.containsKey("actions")) {
            b.actions(list(o.get("actions")));
        } else {
            b.role(o.get("role"));
        }
        if (o.containsKey("notBefore")) {
            b.notBefore(instant(o.get("notBefore")));
        }
        if (o.containsKey("notAfter")) {
            b.notAfter(instant(o.get("notAfter")));
        }
        return b.build();
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + Names.printable(s) + "'");
        }
    }

    private static Principal parsePrincipal(String s) {
        int colon = s.indexOf(':');
        expect(colon > 0, "principal must be user:ID, group:ID or role:NAME: '" + Names.printable(s) + "'");
        String kind = s.substring(0, colon);
        String id = s.substring(colon + 1);
        return switch (kind) {
            case "user" -> Principal.user(decode(id));
            case "group" -> Principal.group(decode(id));
            case "role" -> Principal.role(id);
            default -> throw new IllegalArgumentException("principal must be user:ID, group:ID or role:NAME: '"
                    + Names.printable(s) + "'");
        };
    }

    private static ObjectRef parseRef(String s) {
        int colon = s.indexOf(':');
        expect(colon > 0, "object must be MODEL:ID: '" + Names.printable(s) + "'");
        return ObjectRef.of(s.substring(0, colon), decode(s.substring(colon + 1)));
    }

    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                expect(i + 2 < s.length(), "truncated %XX escape in '" + Names.printable(s) + "'");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                expect(hi >= 0 && lo >= 0, "bad %XX escape in '" + Names.printable(s) + "'");
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                expect(safe(c), "character '" + Names.printable(String.valueOf(c)) + "' must be written as %XX");
                out.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("escapes are not UTF-8 in '" + Names.printable(s) + "'");
        }
    }

    // ------------------------------------------------------------------ validation

    private static Policy validate(List<Stmt> stmts) {
        Policy.Builder pb = Policy.builder();
        List<Model> models = new ArrayList<>();
        Map<String, Integer> modelLine = new HashMap<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, Integer> roleLine = new HashMap<>();
        for (Stmt s : stmts) {
            if (s.value instanceof Model m) {
                if (modelLine.putIfAbsent(m.name(), s.line) != null) {
                    throw new PolicyFileException(s.line, "model " + m.name() + " is already defined on line " + modelLine.get(m.name()));
                }
                models.add(m);
            } else if (s.value instanceof Role r) {
                if (roleLine.putIfAbsent(r.name(), s.line) != null) {
                    throw new PolicyFileException(s.line, "role " + r.name() + " is already defined on line " + roleLine.get(r.name()));
                }
                roles.put(r.name(), r);
            }
        }
        Map<String, Model> byName = new HashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        for (Model m : models) {
            if (m.parent().isPresent() && !byName.containsKey(m.parent().get())) {
                throw new PolicyFileException(modelLine.get(m.name()), "unknown parent model " + m.parent().get());
            }
        }
        for (Role r : roles.values()) {
            int line = roleLine.get(r.name());
            for (String i : r.inherits()) {
                if (!roles.containsKey(i)) {
                    throw new PolicyFileException(line, "role " + r.name() + " inherits unknown role " + i);
                }
            }
            r.permissions().forEach((mn, acts) -> {
                Model m = byName.get(mn);
                if (m == null) {
                    throw new PolicyFileException(line, "role " + r.name() + " names unknown model " + mn);
                }
                for (String a : acts) {
                    if (!m.actions().contains(a)) {
                        throw new PolicyFileException(line, "model " + mn + " has no action " + a);
                    }
                }
            });
        }
        CompiledSchema schema;
        try {
            // cycles and over-long inheritance are found here, in one pass over the role graph
            schema = CompiledSchema.compile(models, new ArrayList<>(roles.values()));
        } catch (CompiledSchema.RoleGraphException e) {
            throw new PolicyFileException(roleLine.get(e.role), e.getMessage());
        }
        models.forEach(pb::model);
        roles.values().forEach(pb::role);
        // data statements are checked exactly as a load into an AccessControl would check them
        SnapshotBuilder sb = new SnapshotBuilder(schema);
        Map<String, Integer> grantLine = new HashMap<>();
        for (Stmt s : stmts) {
            try {
                if (s.value instanceof Membership m) {
                    sb.addMembership(m);
                    pb.membership(m);
                } else if (s.value instanceof ObjectNode n) {
                    sb.putObject(n);
                    pb.object(n);
                } else if (s.value instanceof Grant g) {
                    if (grantLine.putIfAbsent(g.id(), s.line) != null) {
                        throw new PolicyFileException(s.line, "grant id " + encode(g.id()) + " is already used on line "
                                + grantLine.get(g.id()));
                    }
                    sb.addGrant(g);
                    pb.grant(g);
                }
            } catch (PolicyFileException e) {
                throw e;
            } catch (AclException | IllegalArgumentException e) {
                throw new PolicyFileException(s.line, e.getMessage());
            }
        }
        return pb.build();
    }
}
