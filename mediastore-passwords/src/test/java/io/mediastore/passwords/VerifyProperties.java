package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** Whatever arrives as a stored digest, verify answers with a verdict or a documented refusal. */
class VerifyProperties {
    private static final PasswordHasher HASHER = PasswordHasher.builder().parameters(TestHashers.small())
            .ceiling(256, 2, 2).build();
    private static final String STORED = HASHER.hash("pw".toCharArray());

    @Property(tries = 400)
    void mutatedDigestsNeverMatchAnotherPasswordAndNeverThrowUndocumented(
            @ForAll @IntRange(min = 0, max = 1000) int position, @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @CharRange(from = ' ', to = '~') char c) {
        StringBuilder sb = new StringBuilder(STORED);
        int pos = position % sb.length();
        switch (kind) {
            case 0 -> sb.setCharAt(pos, c);
            case 1 -> sb.deleteCharAt(pos);
            default -> sb.insert(pos, c);
        }
        String mutated = sb.toString();
        try {
            Verification v = HASHER.verify("other".toCharArray(), mutated);
            assertFalse(v.matched(), mutated);
        } catch (PasswordException expected) {
            // documented refusal
        }
    }

    @Property(tries = 300)
    void arbitraryStoredStringsAreRefusedOrMismatched(@ForAll @StringLength(max = 120) String stored) {
        try {
            assertFalse(HASHER.verify("pw".toCharArray(), stored).matched());
        } catch (PasswordException expected) {
            assertTrue(expected.reason() != PasswordException.Reason.BUSY);
        }
    }
}
