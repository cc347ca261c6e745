package io.mediastore.samples.server.internal;

import io.mediastore.acl.Principal;
import io.mediastore.passwords.PasswordHasher;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** User accounts, global roles and groups (mirrored into the ACL as memberships). */
public final class Users {
    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    public static final Pattern GROUP = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    public static final int MIN_PASSWORD = 12;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Db db;
    private final Acl acl;
    private final Supplier<PasswordHasher> hasher;
    private final Clock clock;

    public Users(Db db, Acl acl, Supplier<PasswordHasher> hasher, Clock clock) {
        this.db = db;
        this.acl = acl;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The stored digest with the user, for login. */
    public record Account(User user, String passwordHash) {
        @Override
        public String toString() {
            return "Account[" + user.username() + "]";
        }
    }

    public Optional<Account> byUsername(String username) {
        return db.run(c -> {
            List<Account> l = Db.query(c, "SELECT id, username, display_name, must_change_password, disabled, password_hash "
                    + "FROM ms_user WHERE username = ?", rs -> new Account(row(c, rs), rs.getString(6)), username);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        });
    }

    public Optional<User> byId(String id) {
        return db.run(c -> {
            List<User> l = Db.query(c, "SELECT id, username, display_name, must_change_password, disabled FROM ms_user WHERE id = ?",
                    rs -> row(c, rs), id);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        });
    }

    public List<User> list() {
        return db.run(c -> {
            List<String[]> rows = Db.query(c, "SELECT id FROM ms_user ORDER BY username", rs -> new String[] {rs.getString(1)});
            List<User> out = new ArrayList<>();
            for (String[] r : rows) {
                out.addAll(Db.query(c, "SELECT id, username, display_name, must_change_password, disabled FROM ms_user WHERE id = ?",
                        rs -> row(c, rs), r[0]));
            }
            return out;
        });
    }

    private static User row(Connection c, ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        List<String> roles = Db.query(c, "SELECT role_name FROM ms_user_role WHERE user_id = ? ORDER BY role_name", r -> r.getString(1), id);
        List<String> groups = Db.query(c, "SELECT group_name FROM ms_group_member WHERE user_id = ? ORDER BY group_name", r -> r.getString(1), id);
        return new User(id, rs.getString(2), rs.getString(3), roles, groups, rs.getBoolean(4), rs.getBoolean(5));
    }

    public long count() {
        return db.one("SELECT COUNT(*) FROM ms_user", rs -> rs.getLong(1)).orElse(0L);
    }

    /** Creates a user; {@code password} is wiped. */
    public User create(String username, String displayName, char[] password, List<String> roles, List<String> groups,
                       boolean mustChangePassword) {
        checkUsername(username);
        for (String r : roles) {
            if (!Acl.ROLES.contains(r)) {
                throw ApiException.validation("roles", "unknown role " + r);
            }
        }
        for (String g : groups) {
            checkGroup(g);
            if (db.one("SELECT name FROM ms_group WHERE name = ?", rs -> rs.getString(1), g).isEmpty()) {
                throw ApiException.validation("groups", "no such group " + g);
            }
        }
        checkPassword(password);
        String digest = hasher.get().hash(password);
        String id = Db.newId("u_");
        try {
            db.tx(c -> {
                Db.update(c, "INSERT INTO ms_user (id, username, display_name, password_hash, must_change_password, disabled, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", id, username, displayName, digest, mustChangePassword, false,
                        clock.millis());
                for (String r : roles) {
                    Db.update(c, "INSERT INTO ms_user_role (user_id, role_name) VALUES (?, ?)", id, r);
                }
                for (String g : groups) {
                    Db.update(c, "INSERT INTO ms_group_member (group_name, user_id) VALUES (?, ?)", g, id);
                }
                return null;
            });
        } catch (Db.DbException e) {
            if (e.uniqueViolation()) {
                throw new ApiException(409, "conflict", "the user name is taken");
            }
            throw e;
        }
        roles.forEach(r -> acl.setMembership(id, Principal.role(r), true));
        groups.forEach(g -> acl.setMembership(id, Principal.group(g), true));
        return byId(id).orElseThrow();
    }

    public User update(String id, String displayName, List<String> roles, List<String> groups, Boolean disabled) {
        User before = byId(id).orElseThrow(ApiException::notFound);
        if (roles != null) {
            for (String r : roles) {
                if (!Acl.ROLES.contains(r)) {
                    throw ApiException.validation("roles", "unknown role " + r);
                }
            }
        }
        if (groups != null) {
            for (String g : groups) {
                checkGroup(g);
                if (db.one("SELECT name FROM ms_group WHERE name = ?", rs -> rs.getString(1), g).isEmpty()) {
                    throw ApiException.validation("groups", "no such group " + g);
                }
            }
        }
        db.tx(c -> {
            if (displayName != null) {
                Db.update(c, "UPDATE ms_user SET display_name = ? WHERE id = ?", displayName, id);
            }
            if (disabled != null) {
                Db.update(c, "UPDATE ms_user SET disabled = ? WHERE id = ?", disabled, id);
                if (disabled) {
                    Db.update(c, "DELETE FROM ms_session WHERE user_id = ?", id);
                }
            }
            if (roles != null) {
                Db.update(c, "DELETE FROM ms_user_role WHERE user_id = ?", id);
                for (String r : roles) {
                    Db.update(c, "INSERT INTO ms_user_role (user_id, role_name) VALUES (?, ?)", id, r);
                }
            }
            if (groups != null) {
                Db.update(c, "DELETE FROM ms_group_member WHERE user_id = ?", id);
                for (String g : groups) {
                    Db.update(c, "INSERT INTO ms_group_member (group_name, user_id) VALUES (?, ?)", g, id);
                }
            }
            return null;
        });
        if (roles != null) {
            before.roles().stream().filter(r -> !roles.contains(r)).forEach(r -> acl.setMembership(id, Principal.role(r), false));
            roles.stream().filter(r -> !before.roles().contains(r)).forEach(r -> acl.setMembership(id, Principal.role(r), true));
        }
        if (groups != null) {
            before.groups().stream().filter(g -> !groups.contains(g)).forEach(g -> acl.setMembership(id, Principal.group(g), false));
            groups.stream().filter(g -> !before.groups().contains(g)).forEach(g -> acl.setMembership(id, Principal.group(g), true));
        }
        return byId(id).orElseThrow();
    }

    public void setPassword(String id, String digest, boolean mustChange) {
        db.update("UPDATE ms_user SET password_hash = ?, must_change_password = ? WHERE id = ?", digest, mustChange, id);
    }

    /** Replaces the digest only if it is still {@code expected} (re-hash on login, racing logins on other nodes). */
    public void replaceDigest(String id, String expected, String replacement) {
        db.update("UPDATE ms_user SET password_hash = ? WHERE id = ? AND password_hash = ?", replacement, id, expected);
    }

    public void createGroup(String name) {
        checkGroup(name);
        try {
            db.update("INSERT INTO ms_group (name, created_at) VALUES (?, ?)", name, clock.millis());
        } catch (Db.DbException e) {
            if (e.uniqueViolation()) {
                throw new ApiException(409, "conflict", "the group exists");
            }
            throw e;
        }
    }

    public boolean groupExists(String name) {
        return db.one("SELECT name FROM ms_group WHERE name = ?", rs -> rs.getString(1), name).isPresent();
    }

    public void addMember(String group, String username) {
        if (!groupExists(group)) {
            throw ApiException.notFound();
        }
        User u = byUsername(username).map(Account::user).orElseThrow(() -> ApiException.validation("username", "no such user"));
        if (!u.groups().contains(group)) {
            db.update("INSERT INTO ms_group_member (group_name, user_id) VALUES (?, ?)", group, u.id());
            acl.setMembership(u.id(), Principal.group(group), true);
        }
    }

    public record Group(String name, List<String> members) {
    }

    public List<Group> groups() {
        return db.run(c -> {
            List<String> names = Db.query(c, "SELECT name FROM ms_group ORDER BY name", rs -> rs.getString(1));
            List<Group> out = new ArrayList<>();
            for (String n : names) {
                out.add(new Group(n, Db.query(c, "SELECT u.username FROM ms_group_member m JOIN ms_user u ON u.id = m.user_id "
                        + "WHERE m.group_name = ? ORDER BY u.username", rs -> rs.getString(1), n)));
            }
            return out;
        });
    }

    public static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiException.validation("username", "a user name is 2-64 characters of letters, digits, . _ -");
        }
    }

    public static void checkGroup(String name) {
        if (name == null || !GROUP.matcher(name).matches()) {
            throw ApiException.validation("name", "a group name is a letter, then up to 63 letters, digits, _ or -");
        }
    }

    public static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD) {
            throw ApiException.validation("password", "a password has at least " + MIN_PASSWORD + " characters");
        }
        if (password.length > 1024) {
            throw ApiException.validation("password", "a password has at most 1024 characters");
        }
    }

    /** A random one-time password: 20 characters from an unambiguous alphabet (about 116 bits). */
    public static char[] oneTimePassword(SecureRandom random) {
        char[] p = new char[20];
        for (int i = 0; i < p.length; i++) {
            p[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return p;
    }
}
