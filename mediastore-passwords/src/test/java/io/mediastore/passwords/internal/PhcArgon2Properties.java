package io.mediastore.passwords.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.passwords.Argon2Type;
import io.mediastore.passwords.PasswordException;
import java.util.EnumSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class PhcArgon2Properties {
    private static final PhcArgon2.Ceiling WIDE = new PhcArgon2.Ceiling(Integer.MAX_VALUE, Integer.MAX_VALUE, (1 << 24) - 1);
    private static final EnumSet<PasswordException.Reason> DIGEST_REASONS = EnumSet.of(
            PasswordException.Reason.MALFORMED_DIGEST, PasswordException.Reason.UNSUPPORTED_ALGORITHM,
            PasswordException.Reason.PARAMETERS_OUT_OF_RANGE);

    @Provide
    Arbitrary<PhcArgon2> digests() {
        Arbitrary<Argon2Type> type = Arbitraries.of(Argon2Type.class);
        Arbitrary<Integer> version = Arbitraries.of(0x10, 0x13);
        Arbitrary<Integer> p = Arbitraries.integers().between(1, 64);
        Arbitrary<Integer> mExtra = Arbitraries.integers().between(0, 1 << 22);
        Arbitrary<Integer> t = Arbitraries.integers().between(1, Integer.MAX_VALUE);
        Arbitrary<byte[]> keyId = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8).injectNull(0.5);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32).injectNull(0.5);
        Arbitrary<byte[]> salt = Arbitraries.bytes().array(byte[].class).ofMinSize(8).ofMaxSize(64);
        Arbitrary<byte[]> tag = Arbitraries.bytes().array(byte[].class).ofMinSize(4).ofMaxSize(128);
        return Combinators.combine(type, version, p, mExtra, t, keyId, data, Combinators.combine(salt, tag).as((s, g) -> new byte[][] {s, g}))
                .as((ty, v, pp, m, tt, k, d, st) -> new PhcArgon2(ty, v, 8 * pp + m, tt, pp, k, d, st[0], st[1]));
    }

    /** The PHC string of {@code d}, written here apart from format(); version 1.0 in either spelling. */
    private static String spell(PhcArgon2 d, boolean omitVersion10) {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        StringBuilder sb = new StringBuilder("$").append(d.type().phcName());
        if (d.version() != 0x10 || !omitVersion10) {
            sb.append("$v=").append(d.version());
        }
        sb.append("$m=").append(d.memoryKiB()).append(",t=").append(d.iterations()).append(",p=").append(d.parallelism());
        if (d.keyId() != null) {
            sb.append(",keyid=").append(b64.encodeToString(d.keyId()));
        }
        if (d.data() != null) {
            sb.append(",data=").append(b64.encodeToString(d.data()));
        }
        return sb.append('$').append(b64.encodeToString(d.salt())).append('$').append(b64.encodeToString(d.tag())).toString();
    }

    @Property(tries = 300)
    void parseAndFormatAreInversesForEverySpelling(@ForAll("digests") PhcArgon2 d, @ForAll boolean omitVersion10) {
        String s = spell(d, omitVersion10);
        PhcArgon2 back = PhcArgon2.parse(s, WIDE);
        assertEquals(s, back.format());
        assertEquals(d.type(), back.type());
        assertEquals(d.version(), back.version());
        assertEquals(d.memoryKiB(), back.memoryKiB());
        assertEquals(d.iterations(), back.iterations());
        assertEquals(d.parallelism(), back.parallelism());
        assertArrayEquals(d.salt(), back.salt());
        assertArrayEquals(d.tag(), back.tag());
        assertArrayEquals(d.keyId(), back.keyId());
        assertArrayEquals(d.data(), back.data());
        // and the other way round, from a value to its one string
        assertEquals(d.format(), PhcArgon2.parse(d.format(), WIDE).format());
    }

    @Example
    void bothSpellingsOfAVersion10DigestKeepTheirSpelling() {
        // from `argon2 somesalt -i -t 1 -k 64 -v 10 -e` (reference CLI 20171227, Debian 12), and the same digest
        // as libargon2 before version 1.3 wrote it
        String cli = "$argon2i$v=16$m=64,t=1,p=1$c29tZXNhbHQ$0BvzJZOLKMPjKgrXDwreLQSFy/0c414cb7jG9NI4e6k";
        String old = "$argon2i$m=64,t=1,p=1$c29tZXNhbHQ$0BvzJZOLKMPjKgrXDwreLQSFy/0c414cb7jG9NI4e6k";
        for (String s : new String[] {cli, old}) {
            PhcArgon2 d = PhcArgon2.parse(s, WIDE);
            assertEquals(0x10, d.version());
            assertEquals(s, d.format());
        }
    }

    @Property(tries = 1000)
    void mutatedDigestsAreEitherCanonicalOrRefusedWithADigestReason(@ForAll("digests") PhcArgon2 d,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 0, max = 3) int kind,
            @ForAll char replacement) {
        StringBuilder sb = new StringBuilder(d.format());
        int pos = position % sb.length();
        switch (kind) {
            case 0 -> sb.setCharAt(pos, replacement);
            case 1 -> sb.deleteCharAt(pos);
            case 2 -> sb.insert(pos, replacement);
            default -> sb.insert(pos, sb.charAt(pos));
        }
        String mutated = sb.toString();
        try {
            PhcArgon2 parsed = PhcArgon2.parse(mutated, WIDE);
            // whatever still parses has exactly one spelling: the one given
            assertEquals(mutated, parsed.format());
        } catch (PasswordException e) {
            assertTrue(DIGEST_REASONS.contains(e.reason()), e.reason() + " for " + mutated);
        }
    }

    @Property(tries = 1000)
    void randomStringsNeverCrashTheParser(@ForAll @StringLength(max = 200) String s) {
        for (String candidate : new String[] {s, "$argon2id$" + s, "$argon2id$v=19$" + s, "$argon2i$v=19$m=64,t=1,p=1$" + s}) {
            try {
                PhcArgon2 parsed = PhcArgon2.parse(candidate, WIDE);
                assertEquals(candidate, parsed.format());
            } catch (PasswordException e) {
                assertTrue(DIGEST_REASONS.contains(e.reason()), e.reason() + " for " + candidate);
            }
        }
    }

    @Property(tries = 300)
    void theCeilingRefusesCostlyDigestsBeforeReadingSaltOrTag(@ForAll("digests") PhcArgon2 d) {
        PhcArgon2.Ceiling tight = new PhcArgon2.Ceiling(1024, 4, 4);
        try {
            PhcArgon2 parsed = PhcArgon2.parse(d.format(), tight);
            assertTrue(parsed.memoryKiB() <= 1024 && parsed.iterations() <= 4 && parsed.parallelism() <= 4);
        } catch (PasswordException e) {
            assertEquals(PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, e.reason());
            assertTrue(d.memoryKiB() > 1024 || d.iterations() > 4 || d.parallelism() > 4);
        }
    }

    @Property(tries = 500)
    void base64RoundTripsAndIsCanonical(@ForAll byte[] data) {
        String s = B64.encode(data);
        assertArrayEquals(data, B64.decode(s));
        assertEquals(java.util.Base64.getEncoder().withoutPadding().encodeToString(data), s);
    }
}
