package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's usage example, compiled and run so it cannot rot. */
class ReadmeExampleTest {
    record User(String name, String digest) {}

    private final Map<String, User> users = new HashMap<>();

    @Test
    void readmeExample() {
        byte[] pepperSecret = "a 32-byte secret from your vault".getBytes();
        users.put("ann", new User("ann", "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm"));
        char[] attempt = "password".toCharArray();
        User user = users.get("ann");
        // --- README begins
        PasswordHasher hasher = PasswordHasher.builder()      // Argon2id m=19456,t=2,p=1; native, else pure Java
                .pepper(PepperKey.of("k2", pepperSecret))     // optional; rotate with .acceptPepperKey(oldKey)
                .build();
        Verification v = user == null
                ? hasher.verifyUnknownUser(attempt)           // same cost as a real verify: no user enumeration
                : hasher.verify(attempt, user.digest());      // Argon2 PHC, or legacy bcrypt/PBKDF2/scrypt
        if (v.matched()) {                                    // attempt is wiped either way
            v.replacement().ifPresent(d -> users.put(user.name(), new User(user.name(), d))); // rehash on login
        }
        String stored = hasher.hash("new password".toCharArray()); // $argon2id$v=19$m=19456,t=2,p=1,keyid=azI$...
        // --- README ends
        assertTrue(v.matched());
        assertTrue(users.get("ann").digest().startsWith("$argon2id$v=19$m=19456,t=2,p=1,keyid=azI$"));
        assertEquals(Verification.class, hasher.verify("new password".toCharArray(), stored).getClass());
    }
}
