package io.mediastore.storage;

import io.mediastore.storage.internal.PageTokens;
import io.mediastore.storage.internal.Sha256;
import io.mediastore.storage.internal.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: blobs as files under a root directory.
 *
 * <p>A put streams into a temporary file in the same filesystem, fsyncs it, renames it over the target in one
 * atomic step and fsyncs the directory (and the parent of any directory it had to create, so a returned put survives
 * a power loss): readers see the old blob or the new one, concurrent writers of one key
 * leave exactly one writer's bytes, and a process killed mid-put leaves only an invisible temporary file (removed
 * on the next open once it is an hour old). Directories are created {@code rwx------} and files {@code rw-------}.
 *
 * <p>Layout: key {@code a/b/c} is the file {@code objects/a.d/b.d/c.o}; the suffixes keep the key {@code a} and the
 * key {@code a/b} from colliding as a file and a directory. Each file starts with a small header carrying the
 * size, SHA-256, content type and metadata, so all of a blob's state changes with one rename.
 *
 * <p>Conditional writes ({@link #putIfAbsent}, {@link #putIf}, {@link #replaceMetadataIf}) check the key and rename
 * under a per-key lock of this store object, so they are exact among the writes of one store object. Another
 * process writing the same root is not held by that lock: share one store object per root.
 */
public final class FileSystemBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemBlobStore.class);
    private static final int MAGIC = 0x4D534231; // "MSB1"
    private static final int FIXED_HEADER = 4 + 4 + 8 + 32;
    private static final int MAX_HEADER = 16 * 1024;
    private static final int BUFFER = 1 << 20;
    private static final int PIPELINE = 4;
    private static final long WRITEBACK_BYTES = 16L << 20;
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "filesystem-blobstore-background");
        t.setDaemon(true);
        return t;
    });
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    /** Second links to replaced blobs, removed in the background (and on open, if a process died first). */
    private static final String REPLACED_SUFFIX = ".replaced";
    /** Replaced blobs smaller than this are freed by the rename itself: for them a link costs more than it saves. */
    private static final long BACKGROUND_FREE_BYTES = 1L << 20;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final boolean fsync;
    /**
     * Serialises, per key (striped), what replaces or removes a blob file: a metadata replacement (which reads the
     * blob and writes it back) against the renames of puts and copies and against deletes, so neither undoes the
     * other. Within this process only.
     */
    private final ReentrantLock[] keyLocks = new ReentrantLock[256];
    /**
     * Directories whose entries this process has made durable in their parents (bounded; one forgotten costs one
     * more fsync). Only with fsync.
     */
    private final Map<Path, Boolean> durableDirs = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    private FileSystemBlobStore(Path root, boolean fsync) {
        this.root = root;
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
        this.fsync = fsync;
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    private ReentrantLock lockOf(Path blobFile) {
        return keyLocks[Math.floorMod(blobFile.hashCode(), keyLocks.length)];
    }

    /**
     * Opens (creating if needed) a store rooted at {@code root}, with fsync on every put.
     *
     * @throws BlobStoreException IO if the directories cannot be created
     */
    public static FileSystemBlobStore open(Path root) {
        return open(root, true);
    }

    /**
     * Like {@link #open(Path)}; {@code fsync=false} trades durability across power loss for speed (atomic
     * visibility is kept either way). Only for caches and tests.
     */
    public static FileSystemBlobStore open(Path root, boolean fsync) {
        Path abs = root.toAbsolutePath().normalize();
        FileSystemBlobStore store = new FileSystemBlobStore(abs, fsync);
        try {
            store.createDirs(store.objects);
            store.createDirs(store.tmp);
            store.removeStaleTemporaries();
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "cannot open store directory", e);
        }
        return store;
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    private static FileAttribute<?>[] dirAttrs() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttrs() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates a directory and its missing parents. With fsync, each new directory's entry is then made durable in
     * its parent: a blob whose directory vanished in a power loss would be lost although its put had returned.
     */
    private void createDirs(Path dir) throws IOException {
        if (fsync && durableDirs.containsKey(dir) && Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir, dirAttrs());
        if (!fsync) {
            return;
        }
        // a directory this process has not seen made durable may be one a concurrent put has just created and not
        // yet synced into its parent: sync every such level up to the store's root before relying on it
        for (Path p = dir; p != null && p.startsWith(root) && !durableDirs.containsKey(p); p = p.getParent()) {
            if (p.getParent() != null) {
                fsyncDirectory(p.getParent());
            }
            durableDirs.put(p, Boolean.TRUE);
        }
    }

    private void removeStaleTemporaries() throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (p.getFileName().toString().endsWith(REPLACED_SUFFIX)
                            || Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    LOG.debug("could not remove stale temporary file {}", p.getFileName(), e);
                }
            }
        }
    }

    /** The file for a key; segments are validated by {@link BlobKey}, the containment check is defence in depth. */
    Path pathOf(BlobKey key) {
        List<String> segments = key.segments();
        Path p = objects;
        for (int i = 0; i < segments.size(); i++) {
            p = p.resolve(fileName(segments.get(i), i == segments.size() - 1 ? ".o" : ".d"));
        }
        Path normalized = p.normalize();
        if (!normalized.startsWith(objects) || normalized.equals(objects)) {
            throw new IllegalStateException("key resolved outside the store root");
        }
        return normalized;
    }

    /**
     * Whether this JVM names files in UTF-8 ({@code sun.jnu.encoding}, set from the locale at start-up). In a C or
     * POSIX locale it is ASCII, and a non-ASCII key has no file name.
     */
    private static final boolean UTF8_FILE_NAMES = fileNameCharset().equals(StandardCharsets.UTF_8);

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    /** A key segment's file name; refuses a non-ASCII segment where file names cannot hold it. */
    private static String fileName(String segment, String suffix) {
        if (!UTF8_FILE_NAMES && !segment.chars().allMatch(c -> c < 0x80)) {
            throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "this JVM names files in "
                    + System.getProperty("sun.jnu.encoding") + ", which cannot hold a key with non-ASCII characters;"
                    + " start it in a UTF-8 locale (LANG=C.UTF-8, say)");
        }
        return segment + suffix;
    }

    // ---------------------------------------------------------------- header

    private static byte[] header(String contentType, Map<String, String> metadata, long size, byte[] sha256) {
        ByteBuffer b = ByteBuffer.allocate(MAX_HEADER).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(0).putLong(size).put(sha256);
        putString(b, contentType);
        b.putShort((short) metadata.size());
        for (var e : metadata.entrySet()) {
            putString(b, e.getKey());
            putString(b, e.getValue());
        }
        int len = b.position();
        b.putInt(4, len);
        byte[] out = new byte[len];
        b.get(0, out);
        return out;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int len = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A parsed header. */
    private record Header(int length, long size, String sha256, String contentType, Map<String, String> metadata) {
    }

    private static Header readHeader(FileChannel ch) throws IOException {
        ByteBuffer fixed = ByteBuffer.allocate(8);
        readFully(ch, fixed, 0);
        fixed.flip();
        int magic = fixed.getInt();
        int len = fixed.getInt();
        if (magic != MAGIC || len < FIXED_HEADER + 4 || len > MAX_HEADER) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob file header is damaged");
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        readFully(ch, b, 0);
        b.flip().position(8);
        try {
            long size = b.getLong();
            byte[] sha = new byte[32];
            b.get(sha);
            String ct = getString(b);
            int n = Short.toUnsignedInt(b.getShort());
            Map<String, String> md = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                md.put(getString(b), getString(b));
            }
            if (size != ch.size() - len) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob file is truncated or extended");
            }
            return new Header(len, size, Sha256.hex(sha), ct, md);
        } catch (java.nio.BufferUnderflowException e) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob file header is damaged");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "blob file is shorter than its header");
            }
        }
    }

    // ---------------------------------------------------------------- operations

    @Override
    public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
        return write(key, content, options, null);
    }

    /** Checked again, under the key's lock, right before the new blob becomes visible. */
    @Override
    public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        return write(key, content, options, Expected.ABSENT);
    }

    /** Checked again, under the key's lock, right before the new blob becomes visible. */
    @Override
    public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        return write(key, content, options, new Expected(Objects.requireNonNull(expectedSha256, "expectedSha256")));
    }

    /** What a conditional put expects at its key: no blob (a null digest), or the blob with this digest. */
    private record Expected(String sha256) {
        static final Expected ABSENT = new Expected(null);
    }

    /**
     * Fails unless the key holds what {@code expected} names. A blob file too damaged to read its header is there,
     * but is no version anybody can name.
     */
    private static void check(BlobKey key, Path target, Expected expected) throws IOException {
        String now;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
            now = readHeader(ch).sha256();
        } catch (NoSuchFileException e) {
            now = null;
        } catch (BlobStoreException damaged) {
            now = "";
        }
        if (expected.sha256() == null) {
            if (now != null) {
                throw BlobStoreException.present(key);
            }
        } else if (now == null) {
            throw BlobStoreException.notFound(key);
        } else if (!expected.sha256().equals(now)) {
            throw BlobStoreException.changed(key);
        }
    }

    private BlobInfo write(BlobKey key, InputStream content, PutOptions options, Expected expected) {
        Path target = pathOf(key);
        if (expected != null) {
            try {
                check(key, target, expected); // before any content is read, so a put bound to fail reads nothing
            } catch (IOException e) {
                throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
            }
        }
        Path temp = newTempPath();
        try {
            MessageDigest digest = Sha256.newDigest();
            long size;
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttrs())) {
                byte[] head = header(options.contentType(), options.metadata(), 0, new byte[32]);
                writeFully(ch, ByteBuffer.wrap(head));
                size = copy(content, ch, digest);
                byte[] sha = digest.digest();
                ByteBuffer fix = ByteBuffer.allocate(40).putLong(size).put(sha).flip();
                while (fix.hasRemaining()) {
                    ch.write(fix, 8 + fix.position());
                }
                if (fsync) {
                    ch.force(true);
                }
                commit(temp, target, key, expected);
                return new BlobInfo(key, size, Optional.of(Sha256.hex(sha)), options.contentType(), options.metadata(),
                        Files.getLastModifiedTime(target).toInstant());
            }
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "writing " + key + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.debug("could not remove temporary file {}", temp.getFileName(), e);
            }
        }
    }

    /**
     * Streams the content into the channel. Past the first buffer, one background task hashes the buffers in order
     * while this thread reads and writes the next ones, and the written data is flushed to disk in the background
     * every {@value #WRITEBACK_BYTES} bytes, so hashing, copying and disk writeback overlap and the final fsync is
     * short. The hasher takes buffers from a queue rather than one task per buffer: SHA-256 is the longest of the
     * three, and a hand-off to a fresh task per MiB showed up in its time.
     */
    private long copy(InputStream content, FileChannel ch, MessageDigest digest) throws IOException {
        byte[] first = new byte[BUFFER];
        int n = read(content, first);
        if (n < first.length) {
            digest.update(first, 0, n); // a small blob: no threads
            writeFully(ch, ByteBuffer.wrap(first, 0, n));
            return n;
        }
        BlockingQueue<Chunk> toHash = new ArrayBlockingQueue<>(PIPELINE + 1);
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(PIPELINE);
        for (int i = 1; i < PIPELINE; i++) {
            free.add(new byte[BUFFER]);
        }
        CompletableFuture<Void> hasher = CompletableFuture.runAsync(() -> hashAll(toHash, free, digest), BACKGROUND);
        CompletableFuture<Void> writeback = CompletableFuture.completedFuture(null);
        long size = 0;
        long sinceWriteback = 0;
        try {
            byte[] buf = first;
            while (true) {
                putUninterruptibly(toHash, new Chunk(buf, n));
                writeFully(ch, ByteBuffer.wrap(buf, 0, n));
                size += n;
                sinceWriteback += n;
                if (fsync && sinceWriteback >= WRITEBACK_BYTES && writeback.isDone()) {
                    sinceWriteback = 0;
                    writeback = CompletableFuture.runAsync(() -> {
                        try {
                            ch.force(false);
                        } catch (IOException e) {
                            // only an early flush; the final force reports real failures
                        }
                    }, BACKGROUND);
                }
                if (n < buf.length) {
                    break;
                }
                buf = takeFree(free, hasher);
                n = read(content, buf);
                if (n == 0) {
                    break;
                }
            }
            putUninterruptibly(toHash, Chunk.END);
            hasher.join();
            return size;
        } finally {
            // never leave a background task touching our buffers or channel after we return
            if (!hasher.isDone()) {
                toHash.clear();
                putUninterruptibly(toHash, Chunk.END);
                try {
                    hasher.join();
                } catch (java.util.concurrent.CompletionException ignored) {
                    // the digest is discarded on failure
                }
            }
            writeback.join();
        }
    }

    /** A buffer to hash, or END. */
    private record Chunk(byte[] buf, int n) {
        static final Chunk END = new Chunk(new byte[0], -1);
    }

    private static void hashAll(BlockingQueue<Chunk> toHash, BlockingQueue<byte[]> free, MessageDigest digest) {
        while (true) {
            Chunk c;
            try {
                c = toHash.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            }
            if (c == Chunk.END) {
                return;
            }
            digest.update(c.buf, 0, c.n);
            free.offer(c.buf);
        }
    }

    /** The next buffer the hasher is done with; fails if the hasher failed instead of waiting forever. */
    private static byte[] takeFree(BlockingQueue<byte[]> free, CompletableFuture<Void> hasher) throws IOException {
        try {
            while (true) {
                byte[] buf = free.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (buf != null) {
                    return buf;
                }
                if (hasher.isDone()) {
                    hasher.join(); // throws its failure
                    throw new IllegalStateException("the hasher stopped early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing a blob");
        }
    }

    /** The queue has room for every buffer plus END, so this never waits long; it only has to survive interrupts. */
    private static void putUninterruptibly(BlockingQueue<Chunk> queue, Chunk c) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(c);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int read(InputStream content, byte[] buf) {
        try {
            return content.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "reading the content failed", e);
        }
    }

    private Path newTempPath() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return tmp.resolve(HexFormat.of().formatHex(id) + ".part");
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Renames the finished temp file over the target; a concurrent delete may remove the parent, so retry. A large
     * blob being replaced first gets a second link under {@code tmp}, removed in the background: the rename then
     * only drops a link, and freeing the old file's blocks (tens of milliseconds for a few hundred MiB on ext4,
     * where the rename that drops the last link does it) stays off the caller's path.
     */
    private void commit(Path temp, Path target) throws IOException {
        commit(temp, target, null, null);
    }

    /** Commits only if the target still holds what {@code expected} names, when that is not null. */
    private void commit(Path temp, Path target, BlobKey key, Expected expected) throws IOException {
        var lock = lockOf(target);
        lock.lock();
        try {
            if (expected != null) {
                check(key, target, expected);
            }
            commitLocked(temp, target);
        } finally {
            lock.unlock();
        }
    }

    private void commitLocked(Path temp, Path target) throws IOException {
        Path replaced = linkReplaced(target);
        try {
            rename(temp, target);
        } finally {
            if (replaced != null) {
                BACKGROUND.execute(() -> {
                    try {
                        Files.deleteIfExists(replaced);
                    } catch (IOException e) {
                        LOG.debug("could not remove {}; the next open removes it", replaced.getFileName(), e);
                    }
                });
            }
        }
        if (fsync) {
            fsyncDirectory(target.getParent());
        }
    }

    /** A second link to the blob at target if it is large, or null (none there, small, or links unsupported). */
    private Path linkReplaced(Path target) {
        try {
            if (Files.size(target) < BACKGROUND_FREE_BYTES) {
                return null;
            }
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            Path link = tmp.resolve(HexFormat.of().formatHex(id) + REPLACED_SUFFIX);
            Files.createLink(link, target);
            return link;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // nothing to replace, or no hard links here: the rename frees the old blob itself
        }
    }

    private void rename(Path temp, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                createDirs(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                break;
            } catch (NoSuchFileException e) {
                if (attempt >= 10 || !Files.exists(temp)) {
                    throw e;
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new BlobStoreException(BlobStoreException.Reason.IO, "the store's filesystem cannot rename atomically", e);
            }
        }
    }

    private static void fsyncDirectory(Path dir) {
        // makes the rename itself durable; some platforms cannot open a directory, which is then best effort
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("directory fsync not available", e);
        }
    }

    @Override
    public InputStream get(BlobKey key) {
        return open(key, null);
    }

    @Override
    public InputStream get(BlobKey key, ByteRange range) {
        return open(key, java.util.Objects.requireNonNull(range, "range"));
    }

    private InputStream open(BlobKey key, ByteRange range) {
        Path p = pathOf(key);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
            Header h = readHeader(ch);
            long offset = range == null ? 0 : range.offset();
            long length = range == null ? h.size() : range.lengthWithin(h.size());
            ch.position(h.length() + offset);
            InputStream in = new BoundedInputStream(Channels.newInputStream(ch), length);
            return range == null ? new VerifyingInputStream(in, h.size(), h.sha256(), "blob " + key) : in;
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw BlobStoreException.notFound(key);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        Path p = pathOf(key);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            Header h = readHeader(ch);
            return Optional.of(new BlobInfo(key, h.size(), Optional.of(h.sha256()), h.contentType(), h.metadata(), Files.getLastModifiedTime(p).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
        }
    }

    @Override
    public void delete(BlobKey key) {
        Path p = pathOf(key);
        var lock = lockOf(p);
        lock.lock();
        try {
            Files.deleteIfExists(p);
            // prune now-empty directories so deleted trees leave nothing behind; a racing put recreates them
            for (Path dir = p.getParent(); dir != null && !dir.equals(objects); dir = dir.getParent()) {
                try {
                    // forgotten first: a put that recreates it after the delete must sync its new entry again
                    durableDirs.remove(dir);
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException e) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "deleting " + key + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BlobPage list(String prefix, String pageToken, int pageSize) {
        BlobKey.checkPrefix(prefix);
        PageTokens.checkPageSize(pageSize);
        BlobKey after = PageTokens.decode(pageToken);
        int slash = prefix.lastIndexOf('/');
        Path dir = objects;
        String dirKeyPrefix = "";
        if (slash >= 0) {
            String dirPart = prefix.substring(0, slash);
            BlobKey dirKey;
            try {
                dirKey = BlobKey.of(dirPart);
            } catch (InvalidBlobKeyException e) {
                return new BlobPage(List.of(), Optional.empty());
            }
            for (String s : dirKey.segments()) {
                dir = dir.resolve(fileName(s, ".d"));
            }
            dirKeyPrefix = dirPart + "/";
        }
        // bounded: keep only the pageSize+1 smallest keys after the token, however many blobs there are
        TreeSet<BlobKey> best = new TreeSet<>();
        try {
            collect(dir, dirKeyPrefix, prefix, after, best, pageSize + 1);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "listing failed", e);
        }
        List<BlobSummary> items = new ArrayList<>();
        BlobKey lastConsidered = null;
        int considered = 0;
        for (BlobKey k : best) {
            if (items.size() == pageSize) {
                break;
            }
            lastConsidered = k;
            considered++;
            Path p = pathOf(k);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                Header h = readHeader(ch);
                items.add(new BlobSummary(k, h.size(), Files.getLastModifiedTime(p).toInstant()));
            } catch (NoSuchFileException e) {
                // deleted since the scan: not listed
            } catch (BlobStoreException e) {
                if (e.reason() != BlobStoreException.Reason.INTEGRITY) {
                    throw e;
                }
                // one damaged file (a crash with fsync off, a disk error) must not stop every listing that reaches it
                LOG.warn("the file of blob {} is damaged: left out of the listing (get reports INTEGRITY, delete removes it)", k);
            } catch (IOException e) {
                throw new BlobStoreException(BlobStoreException.Reason.IO, "listing failed", e);
            }
        }
        // the next page starts after the last key looked at, listed or not (deleted since the scan, or damaged), so
        // that a page of nothing but damaged files does not end the listing
        boolean more = considered < best.size() || best.size() > pageSize; // a full scan may have left keys out
        Optional<String> next = more ? Optional.of(PageTokens.encode(lastConsidered)) : Optional.empty();
        return new BlobPage(items, next);
    }

    private void collect(Path dir, String keyPrefix, String prefix, BlobKey after, TreeSet<BlobKey> best, int limit)
            throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.toList();
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.length() < 3) {
                continue;
            }
            if (!UTF8_FILE_NAMES && name.indexOf('\uFFFD') >= 0) {
                // a name this JVM's file name encoding cannot decode (a UTF-8 name in a C locale): no key of ours here
                LOG.warn("{} has a file name this JVM cannot decode (file names in {}): not listed", p.getParent(),
                        System.getProperty("sun.jnu.encoding"));
                continue;
            }
            String segment = name.substring(0, name.length() - 2);
            String key = keyPrefix + segment;
            if (name.endsWith(".d")) {
                String sub = key + "/";
                // descend only where keys can still start with the prefix
                if (sub.startsWith(prefix) || prefix.startsWith(sub)) {
                    collect(p, sub, prefix, after, best, limit);
                }
            } else if (name.endsWith(".o") && key.startsWith(prefix)) {
                BlobKey k;
                try {
                    k = BlobKey.of(key);
                } catch (InvalidBlobKeyException e) {
                    continue; // a foreign file in the tree
                }
                if (after != null && k.compareTo(after) <= 0) {
                    continue;
                }
                best.add(k);
                if (best.size() > limit) {
                    best.pollLast();
                }
            }
        }
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return rewrite(source, target, null, null);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
        return rewrite(source, target, Objects.requireNonNull(options, "options"), null);
    }

    @Override
    public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
        return replaceMetadata(key, null, options);
    }

    @Override
    public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        return replaceMetadata(key, Objects.requireNonNull(expectedSha256, "expectedSha256"), options);
    }

    private BlobInfo replaceMetadata(BlobKey key, String expectedSha256, PutOptions options) {
        Objects.requireNonNull(options, "options");
        // read, rewrite and rename as one step for this key: a put or delete in between would otherwise be undone
        var lock = lockOf(pathOf(key));
        lock.lock();
        try {
            return rewrite(key, key, options, expectedSha256);
        } finally {
            lock.unlock();
        }
    }

    /** Copies a blob file into a temp file (kernel copy of the data), optionally with a new header, then commits it. */
    private BlobInfo rewrite(BlobKey source, BlobKey target, PutOptions replacement, String expectedSha256) {
        Path src = pathOf(source);
        Path dst = pathOf(target);
        Path temp = newTempPath();
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            Header h = readHeader(in);
            if (expectedSha256 != null && !expectedSha256.equals(h.sha256())) {
                throw BlobStoreException.changed(source);
            }
            Map<String, String> md = replacement == null ? h.metadata() : replacement.metadata();
            String ct = replacement == null ? h.contentType() : replacement.contentType();
            try (FileChannel out = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttrs())) {
                byte[] sha = Sha256.parseOrNull(h.sha256());
                writeFully(out, ByteBuffer.wrap(header(ct, md, h.size(), sha)));
                long pos = h.length();
                long end = h.length() + h.size();
                while (pos < end) {
                    pos += in.transferTo(pos, end - pos, out);
                }
                if (fsync) {
                    out.force(true);
                }
            }
            commit(temp, dst);
            return new BlobInfo(target, h.size(), Optional.of(h.sha256()), ct, md,
                    Files.getLastModifiedTime(dst).toInstant());
        } catch (NoSuchFileException e) {
            throw BlobStoreException.notFound(source);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "copying " + source + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.debug("could not remove temporary file", e);
            }
        }
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }

    /** Stops after {@code remaining} bytes. */
    static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
