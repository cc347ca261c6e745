package io.mediastore.samples.shacrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.spi.LegacyVerifier;
import io.mediastore.passwords.spi.LegacyVerifierContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin passes the SPI contract from mediastore-passwords' test jar. Digests come from glibc's
 * crypt(3) (the specification's own test inputs among them) and from {@code openssl passwd}.
 */
class ShaCryptVerifierTest extends LegacyVerifierContract {

    @Override
    protected LegacyVerifier verifier() {
        return new ShaCryptVerifier();
    }

    @Override
    protected Map<String, String> knownDigests() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
                "Hello world!");
        d.put("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "Hello world!");
        d.put("$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA", "Hello world!");
        d.put("$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/"
                + "YTBmSK6H9qs/y3RnOaw5v.", "Hello world!");
        d.put("$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6"
                + "JMxxl8audkUEm0", "This is just a test");
        d.put("$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5Cxt"
                + "gfiAc0", "we have a short salt string but not a short password");
        d.put("$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7Um"
                + "JEiDwGqd8p4ur1", "a very much longer text to encrypt.  This one even stretches over morethan one line.");
        d.put("$6$emptypw$TWmzQ8/uLn1BFSZ5Lkfum8lAba5vixF9Nl3Aiof.Praatq9nh0kkPuTdoVrIL6du0L6LAoadbPq.q.D7keveg/", "");
        d.put("$5$unicode$P4LdhpqezJa2ls.CYoVFscqU.FU7EY/CtwqAO7KGdEA", "pässwörd ✓");
        d.put("$6$long$RTZRAtTLWgpadPx5OeOFsuzafa7m3kN6Wg1my.cQOn3qjpHNj9LywSoA.kJYKMP.BhjKdF5OZsCM58Vsx983f/", "x".repeat(200));
        d.put("$6$Ab./9z$Prvb00oCHxpHGZ5ZuORJrvDC3By.M8urb98FDipC8Be4NV1pK/EXz78PpJmQosI6Ny9uhoSW/oRyPe7qR8iFo0",
                "correct horse battery staple"); // openssl passwd -6
        d.put("$5$qwerty$/uNhZ94gDTZCY03yGujwlIhAaNVa.IRm/UQMPTUPXaC", "Tr0ub4dor&3"); // openssl passwd -5
        return d;
    }

    @Override
    protected List<String> malformedDigests() {
        return List.of(
                "$6$", "$5$salt", "$6$salt$", "$6$salt$tooShort",
                "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5x", // 44 characters
                "$6$rounds=999$salt$" + "a".repeat(86),                       // below glibc's minimum
                "$6$rounds=01000$salt$" + "a".repeat(86),                     // leading zero
                "$6$rounds=$salt$" + "a".repeat(86),
                "$6$seventeencharsalt$" + "a".repeat(86),                     // glibc writes at most 16
                "$6$salt$" + "a".repeat(85) + "!",
                "$6$sa:lt$" + "a".repeat(86));
    }

    @Test
    void roundsAboveTheCeilingAreRefusedBeforeAnyHashing() {
        PasswordException e = assertThrows(PasswordException.class,
                () -> new ShaCryptVerifier().verify("x".toCharArray(), "$6$rounds=999999999$salt$" + "a".repeat(86)));
        assertEquals(PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, e.reason());
        assertTrue(new ShaCryptVerifier(999_999_999).recognizes("$6$rounds=999999999$salt$" + "a".repeat(86)));
    }

    @Test
    void aLoneSurrogateIsAMalformedPassword() {
        PasswordException e = assertThrows(PasswordException.class,
                () -> new ShaCryptVerifier().verify(new char[] {'a', '\ud800'}, "$5$qwerty$/uNhZ94gDTZCY03yGujwlIhAaNVa.IRm/UQMPTUPXaC"));
        assertEquals(PasswordException.Reason.MALFORMED_PASSWORD, e.reason());
    }

    @Test
    void ceilingOutsideTheValidRangeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new ShaCryptVerifier(999));
    }
}
