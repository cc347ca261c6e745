package io.mediastore.passwords.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class Utf8Properties {

    @Property(tries = 1000)
    void wellFormedStringsEncodeExactlyAsTheJdkDoes(@ForAll String s) {
        boolean wellFormed = s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        byte[] ours = Utf8.encode(s.toCharArray());
        if (wellFormed) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), ours);
        } else {
            assertNull(ours, "unpaired surrogates have no UTF-8 form");
        }
    }
}
