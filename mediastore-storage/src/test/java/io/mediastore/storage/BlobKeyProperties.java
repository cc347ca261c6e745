package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.internal.PageTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class BlobKeyProperties {
    private static Path root;
    private static FileSystemBlobStore store;

    @BeforeContainer
    static void open() throws Exception {
        root = Files.createTempDirectory("blobkey-props");
        store = FileSystemBlobStore.open(root.resolve("store"), false);
    }

    @AfterContainer
    static void close() throws Exception {
        store.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Keys built from the characters path handling gets wrong: separators, dots, NUL, controls, surrogates. */
    @Provide
    Arbitrary<String> hostileKeys() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("/", ".", "..", "\\", "\u0000", "\n", "\u007f", "\u0085", "%2e%2e", "~", ":", "C:",
                        "\uD800", "\uDC00", "\uD83D\uDE00", "\u202E", "\uFEFF", " ", "a", "b", "..a", "x.d", "y.o", "tmp", "objects"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().withChars('a', '/', '.').ofMinLength(200).ofMaxLength(300));
        return pieces.list().ofMinSize(0).ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 2000)
    void hostileKeysAreRefusedWithAReasonOrStayInsideTheRoot(@ForAll("hostileKeys") String raw) throws Exception {
        BlobKey key;
        try {
            key = BlobKey.of(raw);
        } catch (InvalidBlobKeyException e) {
            assertTrue(e.getMessage().length() < 60, "the message never echoes the key");
            return;
        }
        assertEquals(raw, key.value());
        for (String s : key.segments()) {
            assertTrue(!s.isEmpty() && !s.equals(".") && !s.equals(".."));
        }
        Path file = store.pathOf(key);
        assertTrue(file.normalize().startsWith(root.resolve("store/objects")));
        assertTrue(file.getFileName().toString().endsWith(".o"));
        // and a real write lands inside the root
        store.put(key, new java.io.ByteArrayInputStream(new byte[] {1}));
        assertTrue(file.toRealPath().startsWith(root.toRealPath().resolve("store/objects")));
        assertEquals(1, store.stat(key).orElseThrow().size());
        store.delete(key);
    }

    @Provide
    Arbitrary<String> safeKeys() {
        Arbitrary<String> segment = Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', ' ', '\u00e9', '\u4e2d')
                .ofMinLength(1).ofMaxLength(20).filter(s -> !s.equals(".") && !s.equals(".."));
        return segment.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
    }

    @Property(tries = 500)
    void validKeysRoundTrip(@ForAll("safeKeys") String raw) {
        BlobKey key = BlobKey.of(raw);
        assertEquals(raw, key.value());
        assertEquals(BlobKey.of(raw), key);
        assertEquals(raw, String.join("/", key.segments()));
        assertEquals(key, PageTokens.decode(PageTokens.encode(key)));
    }

    @Property(tries = 500)
    void keysOrderByUtf8Bytes(@ForAll("safeKeys") String a, @ForAll("safeKeys") String b) {
        int expected = java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Integer.signum(expected), Integer.signum(BlobKey.of(a).compareTo(BlobKey.of(b))));
    }

    @Property(tries = 1000)
    void randomPageTokensAreRefusedCleanly(@ForAll String token) {
        try {
            PageTokens.decode(token);
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }

    @Property(tries = 500)
    void mutatedPageTokensAreRefusedOrDecodeToAValidKey(@ForAll("safeKeys") String raw, @ForAll int position, @ForAll char c) {
        String token = PageTokens.encode(BlobKey.of(raw));
        int i = Math.floorMod(position, token.length());
        String mutated = token.substring(0, i) + c + token.substring(i + 1);
        try {
            BlobKey decoded = PageTokens.decode(mutated);
            assertEquals(decoded.value(), BlobKey.of(decoded.value()).value());
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }

    @Property(tries = 500)
    void randomMetadataIsRefusedWithIllegalArgument(@ForAll String name, @ForAll String value) {
        try {
            PutOptions o = PutOptions.builder().metadata(name, value).build();
            assertEquals(value, o.metadata().get(name));
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }

    @Example
    void eachRuleHasItsReason() {
        List<Object[]> cases = List.of(
                new Object[] {"", InvalidBlobKeyException.Reason.EMPTY},
                new Object[] {"/etc/passwd", InvalidBlobKeyException.Reason.ABSOLUTE},
                new Object[] {"../x", InvalidBlobKeyException.Reason.DOT_SEGMENT},
                new Object[] {"a/../../b", InvalidBlobKeyException.Reason.DOT_SEGMENT},
                new Object[] {"a/./b", InvalidBlobKeyException.Reason.DOT_SEGMENT},
                new Object[] {"..", InvalidBlobKeyException.Reason.DOT_SEGMENT},
                new Object[] {"a//b", InvalidBlobKeyException.Reason.EMPTY_SEGMENT},
                new Object[] {"a/", InvalidBlobKeyException.Reason.EMPTY_SEGMENT},
                new Object[] {"a\u0000b", InvalidBlobKeyException.Reason.CONTROL_CHARACTER},
                new Object[] {"a\nb", InvalidBlobKeyException.Reason.CONTROL_CHARACTER},
                new Object[] {"a\u0085", InvalidBlobKeyException.Reason.CONTROL_CHARACTER},
                new Object[] {"a\\..\\b", InvalidBlobKeyException.Reason.BACKSLASH},
                new Object[] {"x\uD800", InvalidBlobKeyException.Reason.MALFORMED_UNICODE},
                new Object[] {"\uDC00x", InvalidBlobKeyException.Reason.MALFORMED_UNICODE},
                new Object[] {"a".repeat(241), InvalidBlobKeyException.Reason.TOO_LONG},
                new Object[] {("\u00e9".repeat(100) + "/").repeat(6) + "b", InvalidBlobKeyException.Reason.TOO_LONG},
                new Object[] {"\u4e2d".repeat(81), InvalidBlobKeyException.Reason.TOO_LONG});
        for (Object[] c : cases) {
            InvalidBlobKeyException e = assertThrows(InvalidBlobKeyException.class, () -> BlobKey.of((String) c[0]));
            assertEquals(c[1], e.reason(), () -> "for " + ((String) c[0]).length() + " chars");
        }
        assertThrows(InvalidBlobKeyException.class, () -> BlobKey.of(null));
        assertEquals("a".repeat(240), BlobKey.of("a".repeat(240)).value());
        assertEquals("videos/", BlobKey.checkPrefix("videos/"));
        assertEquals("videos/..", BlobKey.checkPrefix("videos/.."));
        assertThrows(InvalidBlobKeyException.class, () -> BlobKey.checkPrefix("videos/../"));
        assertThrows(InvalidBlobKeyException.class, () -> BlobKey.checkPrefix("/"));
    }
}
