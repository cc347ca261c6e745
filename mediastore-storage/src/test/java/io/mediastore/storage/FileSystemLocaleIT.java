package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filesystem store in a JVM started in the C locale, whose file names are ASCII (containers and services often
 * run so): non-ASCII keys are refused with a reason that says what to change, and names it cannot decode are left
 * out of listings, instead of unchecked InvalidPathExceptions and wrong keys.
 */
class FileSystemLocaleIT {
    @TempDir
    Path dir;

    /** Runs in the child JVM: reports what the store does, one line per step. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
            FileSystemBlobStore store = FileSystemBlobStore.open(Path.of(args[0]), false);
            System.out.println("list=" + store.listAll("v/").map(s -> s.key().value()).toList());
            try {
                store.put(BlobKey.of("v/\u00fc"), new ByteArrayInputStream(new byte[1]));
                System.out.println("put-non-ascii=ok");
            } catch (BlobStoreException e) {
                System.out.println("put-non-ascii=" + e.reason() + " " + e.getMessage());
            }
            store.put(BlobKey.of("v/b"), new ByteArrayInputStream("b".getBytes(StandardCharsets.US_ASCII)));
            System.out.println("get-ascii=" + new String(readAll(store.get(BlobKey.of("v/a"))), StandardCharsets.US_ASCII));
        }

        private static byte[] readAll(java.io.InputStream in) {
            try (in) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void inTheCLocaleNonAsciiKeysAreRefusedAndUndecodableNamesAreNotListed() throws Exception {
        Path root = dir.resolve("store");
        FileSystemBlobStore store = FileSystemBlobStore.open(root, false);
        store.put(BlobKey.of("v/a"), new ByteArrayInputStream("a".getBytes(StandardCharsets.US_ASCII)));
        store.put(BlobKey.of("v/\u00e9t\u00e9"), new ByteArrayInputStream("summer".getBytes(StandardCharsets.US_ASCII)));

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), root.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Assumptions.assumeFalse(out.contains("jnu=UTF-8"), "this JDK names files in UTF-8 even in the C locale");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("list=[v/a]\n"), "the UTF-8 name is left out, not listed under a garbled key: " + out);
        assertTrue(out.contains("put-non-ascii=UNSUPPORTED") && out.contains("LANG=C.UTF-8"), out);
        assertTrue(out.contains("get-ascii=a"), out);
        assertEquals(List.of("v/a", "v/b", "v/\u00e9t\u00e9"), store.listAll("v/").map(s -> s.key().value()).toList(),
                "back in a UTF-8 JVM, all is there");
    }
}
