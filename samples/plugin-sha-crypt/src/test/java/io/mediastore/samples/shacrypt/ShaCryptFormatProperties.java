package io.mediastore.samples.shacrypt;

import io.mediastore.passwords.PasswordException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any string in the $5$/$6$ family is either verified or refused with a PasswordException, nothing else. */
class ShaCryptFormatProperties {
    private final ShaCryptVerifier verifier = new ShaCryptVerifier(20_000);

    @Property(tries = 300)
    void arbitraryDigestsNeverCrash(@ForAll("digests") String digest) {
        try {
            verifier.verify("password".toCharArray(), digest);
        } catch (PasswordException expected) {
            // MALFORMED_DIGEST or PARAMETERS_OUT_OF_RANGE: the documented refusals
            if (expected.reason() != PasswordException.Reason.MALFORMED_DIGEST
                    && expected.reason() != PasswordException.Reason.PARAMETERS_OUT_OF_RANGE) {
                throw expected;
            }
        }
    }

    @Provide
    Arbitrary<String> digests() {
        Arbitrary<String> prefix = Arbitraries.of("$5$", "$6$", "$5$rounds=", "$6$rounds=");
        Arbitrary<String> rest = Arbitraries.strings().withChars("$./0123456789abcXYZ=:\n\u00e9").ofMaxLength(120);
        Arbitrary<String> wellShaped = Arbitraries.strings().withChars("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                .ofLength(86).map(h -> "$6$salt$" + h);
        return Arbitraries.oneOf(prefix.flatMap(p -> rest.map(r -> p + r)), wellShaped);
    }
}
