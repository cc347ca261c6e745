package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a filesystem put asks of the kernel, seen by strace around a child JVM: the blob's bytes reach the disk
 * (fsync of the temporary file) before the rename publishes them, the rename is made durable (fsync of the blob's
 * directory), and so is every directory the put had to create (fsync of its parent). Without fsync, none of that.
 */
class FileSystemDurabilityIT {
    private static final Path STRACE = Path.of("/usr/bin/strace");
    private static final Pattern CALL = Pattern.compile("^\\d+\\s+(?:<\\.\\.\\. )?(\\w+)\\((.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern RESULT = Pattern.compile("=\\s+(-?\\d+)");

    @TempDir
    Path dir;

    /**
     * The child: a put of 3 MiB under a key whose directories do not exist yet; then it deletes the blob (which
     * removes the emptied directories) and puts it again, so the directories are created a second time.
     */
    public static final class OnePut {
        public static void main(String[] args) {
            byte[] data = new byte[3 << 20];
            new java.util.Random(7).nextBytes(data);
            try (FileSystemBlobStore store = FileSystemBlobStore.open(Path.of(args[0]), Boolean.parseBoolean(args[1]))) {
                store.put(BlobKey.of(args[2]), new ByteArrayInputStream(data));
                store.delete(BlobKey.of(args[2]));
                store.put(BlobKey.of(args[2]), new ByteArrayInputStream(data));
            }
        }
    }

    /** One traced system call: its name, its file descriptor or paths, and its result. */
    record Call(int line, String name, String args, List<String> paths, OptionalInt result) {
        int firstInt() {
            Matcher m = Pattern.compile("^(\\d+)").matcher(args);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private List<Call> tracePut(Path root, boolean fsync, String key) throws Exception {
        if (!Files.isExecutable(STRACE)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but /usr/bin/strace is missing");
            }
            Assumptions.abort("/usr/bin/strace not installed");
        }
        Path trace = dir.resolve("trace-" + fsync + ".txt");
        Process p = new ProcessBuilder(STRACE.toString(), "-f", "-o", trace.toString(),
                "-e", "trace=openat,close,fsync,fdatasync,rename,renameat,renameat2,mkdir,mkdirat",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OnePut.class.getName(), root.toString(),
                Boolean.toString(fsync), key)
                .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + fsync + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the traced put finished");
        assertEquals(0, p.exitValue(), () -> "the traced put succeeded: " + read(dir.resolve("child-" + fsync + ".log")));
        List<Call> calls = new ArrayList<>();
        java.util.Map<String, Integer> unfinished = new java.util.HashMap<>(); // thread id -> index in calls
        List<String> lines = Files.readAllLines(trace);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String pid = line.split("\\s+", 2)[0];
            if (line.contains(" resumed>")) {
                // the rest of a call another thread's line interrupted: it keeps its place, it gets its result
                Integer at = unfinished.remove(pid);
                if (at != null) {
                    Call c = calls.get(at);
                    calls.set(at, new Call(c.line(), c.name(), c.args(), c.paths(), result(line)));
                }
                continue;
            }
            Matcher m = CALL.matcher(line);
            if (!m.find()) {
                continue;
            }
            String args = m.group(2);
            List<String> paths = new ArrayList<>();
            Matcher q = QUOTED.matcher(args);
            while (q.find()) {
                paths.add(q.group(1));
            }
            if (line.endsWith("<unfinished ...>")) {
                unfinished.put(pid, calls.size());
                calls.add(new Call(i, m.group(1), args, paths, OptionalInt.empty()));
            } else {
                calls.add(new Call(i, m.group(1), args, paths, result(args)));
            }
        }
        return calls;
    }

    /** The return value after the call's closing parenthesis. */
    private static OptionalInt result(String text) {
        Matcher r = RESULT.matcher(text.substring(Math.max(0, text.lastIndexOf(')'))));
        return r.find() ? OptionalInt.of(Integer.parseInt(r.group(1))) : OptionalInt.empty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Whether the fd is fsynced after {@code from} and before {@code to}, and not closed before that. */
    private static boolean syncedBetween(List<Call> calls, int fd, int from, int to) {
        for (Call c : calls) {
            if (c.line() <= from || c.line() >= to) {
                continue;
            }
            if (c.name().equals("close") && c.firstInt() == fd) {
                return false;
            }
            if (c.name().equals("fsync") && c.firstInt() == fd) {
                return true;
            }
        }
        return false;
    }

    /** Whether the directory was opened after {@code from} and that descriptor fsynced before {@code to}. */
    private static boolean directorySynced(List<Call> calls, String directory, int from, int to) {
        for (Call c : calls) {
            if (c.line() > from && c.line() < to && c.name().equals("openat") && c.paths().equals(List.of(directory))
                    && c.result().isPresent() && c.result().getAsInt() >= 0
                    && syncedBetween(calls, c.result().getAsInt(), c.line(), to)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aPutSyncsItsBytesBeforeTheRenameAndTheRenameAndNewDirectoriesAfter() throws Exception {
        Path root = dir.resolve("store");
        try (FileSystemBlobStore store = FileSystemBlobStore.open(root)) {
            store.put(BlobKey.of("seed"), new ByteArrayInputStream(new byte[1])); // the store's own directories exist
        }
        List<Call> calls = tracePut(root, true, "media/2026/new.bin");
        Path target = root.resolve("objects/media.d/2026.d/new.bin.o");

        // the second put: its directories were created again after the delete removed them
        Call rename = calls.stream().filter(c -> c.name().startsWith("rename") && c.paths().size() == 2
                && c.paths().get(1).equals(target.toString())).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no rename to " + target));
        String temp = rename.paths().get(0);
        assertTrue(temp.startsWith(root.resolve("tmp").toString()), "the blob was written under tmp/ first: " + temp);
        Call create = calls.stream().filter(c -> c.name().equals("openat") && c.paths().equals(List.of(temp))
                && c.args().contains("O_CREAT")).findFirst().orElseThrow(() -> new AssertionError("no open of " + temp));
        int fd = create.result().orElseThrow();
        assertTrue(syncedBetween(calls, fd, create.line(), rename.line()), "fsync of the temporary file before the rename");

        assertTrue(directorySynced(calls, target.getParent().toString(), rename.line(), Integer.MAX_VALUE),
                "fsync of the blob's directory after the rename");
        // the put created objects/media.d and objects/media.d/2026.d: each entry made durable in its parent
        for (Path created : List.of(target.getParent(), target.getParent().getParent())) {
            Call mkdir = calls.stream().filter(c -> c.name().startsWith("mkdir") && c.paths().contains(created.toString())
                    && c.line() < rename.line()).reduce((first, second) -> second)
                    .orElseThrow(() -> new AssertionError("no mkdir of " + created));
            assertTrue(directorySynced(calls, created.getParent().toString(), mkdir.line(), rename.line()),
                    "fsync of " + created.getParent() + " after creating " + created.getFileName());
        }
        try (FileSystemBlobStore store = FileSystemBlobStore.open(root)) {
            byte[] expected = new byte[3 << 20];
            new java.util.Random(7).nextBytes(expected);
            assertArrayEquals(expected, store.get(BlobKey.of("media/2026/new.bin")).readAllBytes());
        }
    }

    @Test
    void withoutFsyncNothingIsSynced() throws Exception {
        Path root = dir.resolve("store");
        List<Call> calls = tracePut(root, false, "media/2026/new.bin");
        Path target = root.resolve("objects/media.d/2026.d/new.bin.o");
        assertTrue(calls.stream().anyMatch(c -> c.name().startsWith("rename") && c.paths().contains(target.toString())),
                "the put renamed its temporary file into place");
        List<Integer> storeFds = calls.stream().filter(c -> c.name().equals("openat") && !c.paths().isEmpty()
                        && c.paths().get(0).startsWith(root.toString()) && c.result().isPresent())
                .map(c -> c.result().getAsInt()).toList();
        List<Call> syncs = calls.stream().filter(c -> (c.name().equals("fsync") || c.name().equals("fdatasync"))
                && storeFds.contains(c.firstInt())).toList();
        assertEquals(List.of(), syncs, "no file or directory of the store is synced");
    }
}
