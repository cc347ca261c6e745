package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer in another JVM is killed (SIGKILL) in the middle of a put: nothing partial may become visible. */
class FileSystemKillIT {
    @TempDir
    Path dir;

    /** The child process: opens the store and puts an endless stream under the key until it is killed. */
    public static final class EndlessWriter {
        public static void main(String[] args) {
            FileSystemBlobStore store = FileSystemBlobStore.open(Path.of(args[0]));
            store.put(BlobKey.of(args[1]), new InputStream() {
                @Override
                public int read() {
                    return 0x5A;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    java.util.Arrays.fill(b, off, off + len, (byte) 0x5A);
                    return len;
                }
            });
        }
    }

    @Test
    void killedWriterLeavesTheOldBlobAndNoPartialOne() throws Exception {
        Path root = dir.resolve("store");
        byte[] old = new byte[4096];
        new java.util.Random(1).nextBytes(old);
        try (FileSystemBlobStore store = FileSystemBlobStore.open(root)) {
            store.put(BlobKey.of("media/existing"), new java.io.ByteArrayInputStream(old));
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EndlessWriter.class.getName(), root.toString());
        Process first = new ProcessBuilder(appendKey(command, "media/existing")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child1.log").toFile()).start();
        Process second = new ProcessBuilder(appendKey(command, "media/new")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child2.log").toFile()).start();
        try {
            // wait until both writers are well into their temp files
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tempBytes(root) < 2 * (8L << 20)) {
                assertTrue(first.isAlive() && second.isAlive(), () -> "writer died early: " + log("child1.log") + log("child2.log"));
                assertTrue(System.nanoTime() < deadline, "writers made no progress");
                Thread.sleep(20);
            }
        } finally {
            first.destroyForcibly(); // SIGKILL on Unix: no finally blocks, no shutdown hooks run in the child
            second.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(tempBytes(root) > 0, "the killed writers' temp files are still there, invisible");
        try (FileSystemBlobStore store = FileSystemBlobStore.open(root)) {
            assertArrayEquals(old, store.get(BlobKey.of("media/existing")).readAllBytes());
            assertEquals(Optional.empty(), store.stat(BlobKey.of("media/new")));
            assertEquals(List.of("media/existing"), store.listAll("").map(s -> s.key().value()).toList());
        }
    }

    private static List<String> appendKey(List<String> command, String key) {
        var l = new java.util.ArrayList<>(command);
        l.add(key);
        return l;
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    private static long tempBytes(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    // vanished
                }
            }
            return total;
        }
    }
}
