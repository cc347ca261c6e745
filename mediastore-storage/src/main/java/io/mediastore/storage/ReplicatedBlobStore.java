package io.mediastore.storage;

import io.mediastore.storage.internal.BulkInputStream;
import io.mediastore.storage.internal.PageTokens;
import io.mediastore.storage.internal.Sha256;
import io.mediastore.storage.internal.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same blobs on N stores (several servers, buckets in several regions).
 *
 * <ul>
 *   <li>A put reads the caller's stream once and streams it to every replica in parallel through small bounded
 *       queues; it succeeds when at least the write quorum of replicas stored it, else it throws
 *       {@link BlobStoreException.Reason#QUORUM_NOT_REACHED} (some replicas may then hold the new content: writes
 *       are not transactional across replicas). Deletes, copies and metadata changes need the same quorum.</li>
 *   <li>A whole-blob read takes the first replica that answers and checks the blob's SHA-256 before releasing any
 *       byte (spooling it in memory up to 1 MiB, else in an owner-only temporary file); a replica that is down,
 *       lacks the blob or returns corrupt bytes is skipped for the next. Replicas are asked in the order added, so
 *       a replica that missed writes during an outage serves its older copy until {@link #repair} brings it up to
 *       date (writes carry no version stamp that would let a read compare replicas). Range reads fail over on unreachable or
 *       missing replicas; they cannot be checked against a whole-blob digest, but an {@link EncryptingBlobStore}
 *       on top authenticates every chunk and, through {@link #readSources(BlobKey)}, moves a read that fails
 *       authentication or loses its replica to the next replica holding the same version.</li>
 *   <li>{@link #repair(String, boolean)} restores missing, stale or (with a deep scrub) corrupt copies from a good
 *       one. A delete puts a tombstone on each replica before it removes the blob there, naming the copy it
 *       removes, so a copy left on a replica that missed the delete is removed by repair rather than copied back
 *       to the others. A tombstone counts as deleted only the copy whose digest it names (a copy's time is
 *       never compared with it: an object's time is not when it became visible), and a put or copy counts on a
 *       replica only once it has cleared the tombstone there (metadata changes leave tombstones alone). Tombstones live under {@link #RESERVED_PREFIX}, which callers cannot use and listings
 *       leave out (so a replicated store cannot be a replica of another), and repair removes them once no replica
 *       holds the key.</li>
 * </ul>
 */
public final class ReplicatedBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedBlobStore.class);
    private static final int CHUNK = 256 * 1024;
    private static final int QUEUE = 4;
    private static final int SPOOL_IN_MEMORY = 1 << 20;
    private static final byte[] EOF = new byte[0];
    /** How often a copy overwritten while it is read is read again in all. */
    private static final int READ_ATTEMPTS = 3;

    private final List<BlobStore> replicas;
    private final int writeQuorum;
    private final boolean verifyReads;
    private final Path spoolDir;
    private final ExecutorService pool;

    private ReplicatedBlobStore(Builder b) {
        this.replicas = List.copyOf(b.replicas);
        this.writeQuorum = b.writeQuorum == 0 ? replicas.size() / 2 + 1 : b.writeQuorum;
        this.verifyReads = b.verifyReads;
        this.spoolDir = b.spoolDir;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "replicated-blobstore-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The write quorum in effect. */
    public int writeQuorum() {
        return writeQuorum;
    }

    // ---------------------------------------------------------------- put

    /** Feeds one replica's put from the shared reader. */
    private static final class Pipe extends BulkInputStream {
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE + 1);
        volatile BlobStoreException sourceFailure;
        private byte[] current;
        private int pos;
        private boolean eof;


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || pos == current.length) {
                if (eof) {
                    return -1;
                }
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("replica write cancelled");
                }
                pos = 0;
                if (current == EOF) {
                    if (sourceFailure != null) {
                        throw new IOException("the source failed", sourceFailure);
                    }
                    eof = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
        usable(key);
        return write(key, content, options, replicas, (r, in) -> r.put(key, in, options));
    }

    /**
     * Stores only if the key is free on at least the write quorum of replicas, and only on those, each checking again
     * in its own step (a tombstone counts as free). Refused up front, nothing is read or written: CHANGED if a blob
     * is there, QUORUM_NOT_REACHED if too few replicas could be asked. A put that loses a race on some replicas after
     * that check may still leave its bytes on the others (CHANGED all the same), as a failed {@link #put} may.
     * Needs a write quorum over half the replicas (else UNSUPPORTED): two puts could otherwise each find a different
     * quorum free and both succeed.
     */
    @Override
    public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
        usable(key);
        return write(key, content, options, holding(key, null), (r, in) -> r.putIfAbsent(key, in, options));
    }

    /**
     * Stores only if at least the write quorum of replicas hold the version named, and only on those, each checking
     * again in its own step. Refused up front, nothing is read or written: CHANGED if replicas hold another version,
     * NOT_FOUND if they hold none, UNSUPPORTED if their copies carry no digest (encrypting replicas), and
     * QUORUM_NOT_REACHED if too few could be asked. Since a read takes the first replica that answers, a replica that
     * missed writes can name a version most replicas no longer hold: then every such put is refused until
     * {@link #repair} brings the replicas in line. Races and the quorum rule as for {@link #putIfAbsent}.
     */
    @Override
    public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
        usable(key);
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        return write(key, content, options, holding(key, expectedSha256), (r, in) -> r.putIf(key, expectedSha256, in, options));
    }

    /**
     * The replicas where a conditional put may go: those that hold the named version (no blob, when
     * {@code expectedSha256} is null), if they are at least the write quorum; otherwise the refusal.
     */
    private List<BlobStore> holding(BlobKey key, String expectedSha256) {
        int n = replicas.size();
        if (2 * writeQuorum <= n) {
            throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "conditional puts need a write quorum over"
                    + " half the replicas (it is " + writeQuorum + " of " + n + "): two could otherwise both succeed");
        }
        List<Future<Optional<BlobInfo>>> stats = new ArrayList<>(n);
        for (BlobStore r : replicas) {
            stats.add(pool.submit(() -> r.stat(key)));
        }
        List<BlobStore> match = new ArrayList<>();
        int other = 0;
        int unnameable = 0;
        int unreachable = 0;
        for (int i = 0; i < n; i++) {
            Optional<BlobInfo> info;
            try {
                info = stats.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlobStoreException(BlobStoreException.Reason.IO, "interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BlobStoreException b) {
                    if (b.reason() == BlobStoreException.Reason.INTEGRITY) {
                        other++; // a damaged copy: there, of no version anybody can name
                    } else {
                        unreachable++;
                    }
                    continue;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re; // the key refused by a replica (one with a key prefix), not a replica out of reach
                }
                throw new BlobStoreException(BlobStoreException.Reason.IO, "stat of " + key + " failed", e.getCause());
            }
            if (expectedSha256 == null) {
                if (info.isEmpty()) {
                    match.add(replicas.get(i));
                } else {
                    other++;
                }
            } else if (info.isPresent() && info.get().sha256().isEmpty()) {
                unnameable++;
            } else if (info.isPresent() && info.get().sha256().get().equals(expectedSha256)) {
                match.add(replicas.get(i));
            } else if (info.isPresent()) {
                other++;
            }
        }
        if (match.size() >= writeQuorum) {
            return match;
        }
        if (match.size() + unreachable >= writeQuorum) {
            throw new BlobStoreException(BlobStoreException.Reason.QUORUM_NOT_REACHED, match.size() + " of " + n
                    + " replicas hold what the conditional put of " + key + " names and " + unreachable
                    + " could not be asked; quorum is " + writeQuorum);
        }
        if (other > 0) {
            throw expectedSha256 == null ? BlobStoreException.present(key) : BlobStoreException.changed(key);
        }
        if (unnameable > 0) {
            throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED,
                    "the replicas' copies of " + key + " carry no digest to name");
        }
        throw BlobStoreException.notFound(key);
    }

    /** One replica's part of a quorum write. */
    private interface ReplicaWrite {
        BlobInfo write(BlobStore replica, InputStream content);
    }

    private BlobInfo write(BlobKey key, InputStream content, PutOptions options, List<BlobStore> targets, ReplicaWrite write) {
        int n = targets.size();
        List<Pipe> pipes = new ArrayList<>(n);
        List<Future<BlobInfo>> results = new ArrayList<>(n);
        for (BlobStore r : targets) {
            Pipe p = new Pipe();
            pipes.add(p);
            results.add(pool.submit(() -> {
                BlobInfo stored = write.write(r, p);
                clearTombstone(r, key);
                return stored;
            }));
        }
        MessageDigest digest = Sha256.newDigest();
        long size = 0;
        BlobStoreException sourceFailure = null;
        boolean abandoned = false;
        // ends the puts still going once too many others failed for the quorum, so that none of them stores
        BlobStoreException abandon = new BlobStoreException(BlobStoreException.Reason.QUORUM_NOT_REACHED,
                "abandoned: too few replicas are left to make the quorum");
        try {
            try {
                while (true) {
                    byte[] chunk = content.readNBytes(CHUNK);
                    if (chunk.length == 0) {
                        break;
                    }
                    digest.update(chunk);
                    size += chunk.length;
                    // every chunk array is shared read-only by all pipes; a new one per read
                    for (int i = 0; i < n; i++) {
                        offer(pipes.get(i), results.get(i), chunk);
                    }
                    if (chunk.length < CHUNK) {
                        break;
                    }
                    if (n - failed(results) < writeQuorum) {
                        abandoned = true; // no reason to read the rest of the stream
                        break;
                    }
                }
            } catch (IOException e) {
                sourceFailure = new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "reading the content failed", e);
            }
            if (abandoned) {
                endAll(pipes, results, abandon);
            } else {
                for (int i = 0; i < n; i++) {
                    pipes.get(i).sourceFailure = sourceFailure;
                    offer(pipes.get(i), results.get(i), EOF);
                }
            }
        } catch (RuntimeException | Error e) {
            // a source failing unchecked, or this thread interrupted (also while handing over the end of the stream):
            // every replica's put must still end (and clean up), or its thread would wait for the next chunk forever
            endAll(pipes, results, e instanceof BlobStoreException b ? b
                    : new BlobStoreException(BlobStoreException.Reason.SOURCE_FAILED, "reading the content failed", e));
            throw e;
        }
        String sha = Sha256.hex(digest.digest());
        int ok = 0;
        int failures = 0;
        int notFound = 0;
        BlobStoreException changed = null;
        BlobStoreException unsupported = null;
        BlobStoreException last = sourceFailure;
        for (int i = 0; i < n; i++) {
            try {
                BlobInfo info = results.get(i).get();
                if (info.sha256().isPresent() && !info.sha256().get().equals(sha)) {
                    throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "replica " + i + " stored other bytes");
                }
                ok++;
            } catch (InterruptedException e) {
                // every replica has the end of the stream by now: their puts finish (or fail) without this thread
                Thread.currentThread().interrupt();
                throw new BlobStoreException(BlobStoreException.Reason.IO,
                        "interrupted while waiting for the replicas to store " + key + "; they may still store it", e);
            } catch (ExecutionException e) {
                if (abandoned && causedBy(e.getCause(), abandon)) {
                    continue; // one that was going well, ended for the others' failures
                }
                failures++;
                if (sourceFailure == null && !(e.getCause() instanceof BlobStoreException b && isCondition(b))) {
                    LOG.warn("replica {} did not take {}: {}", i, key, e.getCause().toString());
                }
                if (e.getCause() instanceof BlobStoreException b) {
                    last = last == null ? b : last;
                    changed = b.reason() == BlobStoreException.Reason.CHANGED ? b : changed;
                    unsupported = b.reason() == BlobStoreException.Reason.UNSUPPORTED ? b : unsupported;
                    notFound += b.reason() == BlobStoreException.Reason.NOT_FOUND ? 1 : 0;
                }
            } catch (BlobStoreException e) {
                failures++;
                last = e;
            }
        }
        if (sourceFailure != null) {
            throw sourceFailure;
        }
        if (ok < writeQuorum && unsupported != null) {
            throw unsupported;
        }
        if (ok < writeQuorum && changed != null) {
            // replicas hold another version than the one named: the caller should read again, not retry blindly
            throw changed;
        }
        if (ok < writeQuorum && notFound > 0 && notFound == failures) {
            throw BlobStoreException.notFound(key); // a conditional put naming a blob deleted since its check
        }
        if (ok < writeQuorum) {
            throw new BlobStoreException(BlobStoreException.Reason.QUORUM_NOT_REACHED,
                    ok + " of " + replicas.size() + " replicas stored " + key + ", quorum is " + writeQuorum, last);
        }
        return new BlobInfo(key, size, Optional.of(sha), options.contentType(), options.metadata(), java.time.Instant.now());
    }

    /** How many of the puts have already ended in failure. */
    private static int failed(List<Future<BlobInfo>> results) {
        int failed = 0;
        for (Future<BlobInfo> r : results) {
            if (r.isDone()) {
                try {
                    r.get();
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    failed++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return failed;
    }

    private static boolean causedBy(Throwable t, BlobStoreException marker) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c == marker) {
                return true;
            }
        }
        return false;
    }

    /** A conditional write's refusal: the replica holds another version than the one named, or none. */
    private static boolean isCondition(BlobStoreException e) {
        return e.reason() == BlobStoreException.Reason.CHANGED || e.reason() == BlobStoreException.Reason.NOT_FOUND;
    }

    /**
     * Ends every replica's put with the failure, without blocking (what is still queued is dropped), and waits for
     * them to give up unless this thread is interrupted.
     */
    private static void endAll(List<Pipe> pipes, List<Future<BlobInfo>> results, BlobStoreException failure) {
        for (Pipe p : pipes) {
            p.sourceFailure = failure;
            p.queue.clear(); // this thread is the only producer: after the clear there is room for EOF
            p.queue.offer(EOF);
        }
        for (Future<BlobInfo> r : results) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                r.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.CancellationException expected) {
                // the replica failed on the ended pipe, as it should
            }
        }
    }

    /** Hands a chunk to a replica unless its put has already ended (failed); never blocks on a dead replica. */
    private static void offer(Pipe pipe, Future<BlobInfo> result, byte[] chunk) {
        try {
            while (!result.isDone()) {
                if (pipe.queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreException(BlobStoreException.Reason.IO, "interrupted while streaming to the replicas", e);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public InputStream get(BlobKey key) {
        usable(key);
        BlobStoreException failure = null;
        boolean anyIntegrity = false;
        for (int i = 0; i < replicas.size(); i++) {
            BlobStore r = replicas.get(i);
            try {
                if (!verifyReads) {
                    return r.get(key);
                }
                Optional<BlobInfo> info = r.stat(key);
                if (info.isEmpty()) {
                    failure = failure == null ? BlobStoreException.notFound(key) : failure;
                    continue;
                }
                return verifiedCopy(r, key, info.get());
            } catch (BlobStoreException e) {
                LOG.debug("replica {} could not serve {}: {}", i, key, e.reason());
                anyIntegrity |= e.reason() == BlobStoreException.Reason.INTEGRITY;
                if (failure == null || failure.reason() == BlobStoreException.Reason.NOT_FOUND) {
                    failure = e;
                }
            }
        }
        if (anyIntegrity && failure.reason() != BlobStoreException.Reason.INTEGRITY) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "no replica holds an intact copy of " + key, failure);
        }
        throw failure != null ? failure : BlobStoreException.notFound(key);
    }

    /**
     * A replica's copy, checked against the digest its stat reported. A copy overwritten between that stat and the
     * read fails the check although nothing is corrupt: it is read again under its new digest (a few times at most).
     */
    private InputStream verifiedCopy(BlobStore r, BlobKey key, BlobInfo seen) {
        BlobInfo info = seen;
        for (int attempt = 1; ; attempt++) {
            try {
                return checkedCopy(r, key, info);
            } catch (BlobStoreException e) {
                if (e.reason() != BlobStoreException.Reason.INTEGRITY || attempt == READ_ATTEMPTS) {
                    throw e;
                }
                BlobInfo now = r.stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
                if (now.sha256().equals(info.sha256()) && now.size() == info.size()) {
                    throw e; // the same version: really corrupt
                }
                info = now;
            }
        }
    }

    private InputStream checkedCopy(BlobStore r, BlobKey key, BlobInfo info) {
        try (InputStream in = info.sha256().isPresent()
                ? new io.mediastore.storage.internal.VerifyingInputStream(r.get(key), info.size(), info.sha256().get(), "blob " + key)
                : r.get(key)) {
            return Spool.of(in, spoolDir, SPOOL_IN_MEMORY);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO, "reading " + key + " failed", e);
        }
    }

    @Override
    public InputStream get(BlobKey key, ByteRange range) {
        usable(key);
        return firstAnswer(r -> r.get(key, range), key);
    }

    /** Each replica's sources, in replica order, so that a decorator which authenticates reads fails over too. */
    @Override
    public List<ReadSource> readSources(BlobKey key) {
        usable(key);
        return replicas.stream().flatMap(r -> r.readSources(key).stream()).<ReadSource>map(UsableKeysOnly::new).toList();
    }

    /** A replica's read source that, like the store, refuses the keys it keeps for itself. */
    private record UsableKeysOnly(ReadSource source) implements ReadSource {
        @Override
        public Optional<BlobInfo> stat(BlobKey key) {
            return source.stat(usable(key));
        }

        @Override
        public InputStream get(BlobKey key, ByteRange range) {
            return source.get(usable(key), range);
        }
    }

    /** The first replica's answer; NOT_FOUND and unavailability move on, a range refusal is final. */
    private <T> T firstAnswer(Function<BlobStore, T> op, BlobKey key) {
        BlobStoreException failure = null;
        for (BlobStore r : replicas) {
            try {
                return op.apply(r);
            } catch (BlobStoreException e) {
                if (e.reason() == BlobStoreException.Reason.RANGE_NOT_SATISFIABLE) {
                    throw e;
                }
                if (failure == null || failure.reason() == BlobStoreException.Reason.NOT_FOUND) {
                    failure = e;
                }
            }
        }
        throw failure != null ? failure : BlobStoreException.notFound(key);
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        usable(key);
        BlobStoreException failure = null;
        boolean anyAnswered = false;
        for (BlobStore r : replicas) {
            try {
                Optional<BlobInfo> info = r.stat(key);
                anyAnswered = true;
                if (info.isPresent()) {
                    return info;
                }
            } catch (BlobStoreException e) {
                failure = e;
            }
        }
        if (!anyAnswered && failure != null) {
            throw failure;
        }
        return Optional.empty();
    }

    /**
     * Lists from every reachable replica and merges, so a replica that missed writes hides nothing. A replica's page
     * may be short, even empty, and still have more (the filesystem store leaves damaged files out): the merged page
     * holds only keys up to where every replica with more has looked, since a key past that point may still come from
     * one of them. So a page may be empty and yet carry a token.
     */
    @Override
    public BlobPage list(String prefix, String pageToken, int pageSize) {
        BlobKey.checkPrefix(prefix);
        if (prefix.startsWith(RESERVED_PREFIX)) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.RESERVED,
                    "invalid listing prefix: keys under " + RESERVED_PREFIX + " hold a replicated store's own records");
        }
        PageTokens.checkPageSize(pageSize);
        BlobKey after = PageTokens.decode(pageToken);
        TreeMap<BlobKey, BlobSummary> merged = new TreeMap<>();
        BlobKey covered = null; // every replica that answered has listed all it holds up to here; null: to the end
        BlobStoreException failure = null;
        int answered = 0;
        for (int i = 0; i < replicas.size(); i++) {
            BlobPage page;
            try {
                page = replicas.get(i).list(prefix, pageToken, pageSize);
            } catch (BlobStoreException e) {
                failure = e;
                continue;
            }
            answered++;
            for (BlobSummary s : page.items()) {
                if (!isReserved(s.key())) {
                    merged.merge(s.key(), s, (a, b) -> a.lastModified().isAfter(b.lastModified()) ? a : b);
                }
            }
            if (page.nextPageToken().isPresent()) {
                BlobKey upTo = coveredUpTo(i, page);
                if (after != null && upTo.compareTo(after) <= 0) {
                    throw new BlobStoreException(BlobStoreException.Reason.IO,
                            "replica " + i + " did not advance its listing past " + after);
                }
                covered = covered == null || upTo.compareTo(covered) < 0 ? upTo : covered;
            }
        }
        if (answered == 0 && failure != null) {
            throw failure;
        }
        List<BlobSummary> items = new ArrayList<>();
        for (BlobSummary s : merged.values()) {
            if (covered != null && s.key().compareTo(covered) > 0) {
                break; // not yet known whether a replica with more holds keys before this one
            }
            if (items.size() == pageSize) {
                return new BlobPage(items, Optional.of(PageTokens.encode(items.get(items.size() - 1).key())));
            }
            items.add(s);
        }
        return new BlobPage(items, covered == null ? Optional.empty() : Optional.of(PageTokens.encode(covered)));
    }

    /**
     * The key after which a replica's next page starts: its page covers every key it holds up to there. Tokens are
     * passed on to the replicas, so all of them must speak this store's token encoding.
     */
    private static BlobKey coveredUpTo(int replica, BlobPage page) {
        try {
            return PageTokens.decode(page.nextPageToken().get());
        } catch (IllegalArgumentException e) {
            throw new BlobStoreException(BlobStoreException.Reason.IO,
                    "replica " + replica + " returned a page token this store cannot continue from", e);
        }
    }

    // ---------------------------------------------------------------- quorum writes

    private <T> T onAll(String what, BlobKey key, Function<BlobStore, T> op) {
        List<Future<T>> futures = new ArrayList<>();
        for (BlobStore r : replicas) {
            futures.add(pool.submit(() -> op.apply(r)));
        }
        T first = null;
        int ok = 0;
        BlobStoreException last = null;
        BlobStoreException changed = null;
        for (Future<T> f : futures) {
            try {
                T t = f.get();
                first = first == null ? t : first;
                ok++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlobStoreException(BlobStoreException.Reason.IO, "interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BlobStoreException b) {
                    // remember the most telling failure: anything beats NOT_FOUND
                    if (last == null || last.reason() == BlobStoreException.Reason.NOT_FOUND) {
                        last = b;
                    }
                    if (b.reason() == BlobStoreException.Reason.CHANGED) {
                        changed = b;
                    }
                } else if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                } else {
                    throw new BlobStoreException(BlobStoreException.Reason.IO, what + " failed", e.getCause());
                }
            }
        }
        if (ok == 0 && last != null && last.reason() == BlobStoreException.Reason.NOT_FOUND) {
            throw last;
        }
        if (ok < writeQuorum && changed != null) {
            // replicas hold another version than the one named: the caller should read again, not retry blindly
            throw changed;
        }
        if (ok < writeQuorum) {
            throw new BlobStoreException(BlobStoreException.Reason.QUORUM_NOT_REACHED,
                    ok + " of " + replicas.size() + " replicas did " + what + " " + key + ", quorum is " + writeQuorum, last);
        }
        return first;
    }

    @Override
    public void delete(BlobKey key) {
        usable(key);
        BlobKey tombstone = tombstoneOf(key);
        onAll("delete", key, r -> {
            // the tombstone first, naming the copy it removes: a replica that took it but not the delete still counts
            // that copy as deleted, and repair removes a copy on a replica that missed the delete instead of
            // restoring it elsewhere
            putTombstone(r, key, tombstone, digestOfCopy(r, key));
            r.delete(key);
            return Boolean.TRUE;
        });
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        usable(source);
        usable(target);
        return onAll("copy", source, r -> {
            BlobInfo copied = r.copy(source, target);
            clearTombstone(r, target);
            return copied;
        });
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
        usable(source);
        usable(target);
        return onAll("copy", source, r -> {
            BlobInfo copied = r.copy(source, target, options);
            clearTombstone(r, target);
            return copied;
        });
    }

    @Override
    public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
        usable(key);
        return onAll("replace metadata of", key, r -> r.replaceMetadata(key, options));
    }

    /** Each replica checks and replaces in one step; the quorum counts those that still had the named version. */
    @Override
    public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
        usable(key);
        java.util.Objects.requireNonNull(expectedSha256, "expectedSha256");
        return onAll("replace metadata of", key, r -> r.replaceMetadataIf(key, expectedSha256, options));
    }

    @Override
    public URI presignGet(BlobKey key, Duration lifetime) {
        usable(key);
        BlobStoreException failure = null;
        for (BlobStore r : replicas) {
            try {
                if (r.stat(key).isPresent()) {
                    return r.presignGet(key, lifetime);
                }
            } catch (BlobStoreException e) {
                failure = e;
            }
        }
        throw failure != null ? failure : BlobStoreException.notFound(key);
    }

    // ---------------------------------------------------------------- repair

    /**
     * What a repair found and did: copies restored, copies that could not be brought in line (unreachable,
     * unreadable, or a version the repair may not replace), and copies of deleted blobs removed from replicas that
     * missed the delete.
     */
    public record RepairReport(long blobsChecked, long copiesRestored, long copiesUnrepairable, long copiesDeleted) {
    }

    /**
     * Brings every replica's copy of every blob under {@code prefix} in line: the version more replicas hold than
     * any other (each copy votes by its recorded SHA-256, a corrupt one too) is copied, with its content type and
     * metadata, to replicas where the blob is missing or corrupt, and over a copy recorded as another version only
     * when more replicas hold the leading one than a majority and than an acknowledged write can lack (N - W): such
     * a copy may be a write whose other replicas are out of reach. A tie overwrites nothing (the copies are counted
     * unrepairable): clocks of different backends cannot say which write came last, and for the same reason copies
     * of one version whose metadata differs are left as they are. With {@code deep}, every copy is also read in full
     * and checked against its digest, so silent corruption is found. Unreachable replicas, and copies that cannot be
     * read right now, neither vote nor get overwritten (counted unrepairable). A copy that changes while the repair
     * runs is left to its writer: the repair writes with {@link BlobStore#putIfAbsent} or {@link BlobStore#putIf},
     * naming what it found there, so a write landing between its look and its copy is never replaced where the
     * replica's conditional puts are exact (the filesystem store's; the S3 store's against AWS, while an S3 server
     * that checks and writes in two steps, as S3Proxy's filesystem backend does, leaves a moment between them). A
     * copy that no digest names (too damaged to stat, or stored without a digest), and any copy on a replica that
     * refuses conditional puts, is replaced on a second look alone.
     */
    public RepairReport repair(String prefix, boolean deep) {
        BlobKey.checkPrefix(prefix);
        TreeSet<BlobKey> keys = new TreeSet<>();
        for (BlobStore r : replicas) {
            try {
                r.listAll(prefix).filter(s -> !isReserved(s.key())).forEach(s -> keys.add(s.key()));
            } catch (BlobStoreException e) {
                LOG.warn("a replica could not be listed for repair: {}", e.reason());
            }
        }
        long restored = 0;
        long unrepairable = 0;
        long deleted = 0;
        for (BlobKey key : keys) {
            long[] r = repair(key, deep);
            restored += r[0];
            unrepairable += r[1];
            deleted += r[2];
        }
        removeSettledTombstones(prefix);
        return new RepairReport(keys.size(), restored, unrepairable, deleted);
    }

    // ---------------------------------------------------------------- tombstones

    /**
     * Keys under this prefix hold each replica's record of the deletes it took (a tombstone per deleted key, named
     * by the key's SHA-256); a replicated store refuses them to its callers ({@link InvalidBlobKeyException.Reason#RESERVED})
     * and leaves them out of listings.
     */
    public static final String RESERVED_PREFIX = ".mediastore-replicated/";
    private static final String TOMBSTONES = RESERVED_PREFIX + "deleted/";
    private static final PutOptions TOMBSTONE_OPTIONS = PutOptions.builder().contentType("text/plain; charset=utf-8").build();
    /** A tombstone younger than this may belong to a delete still in progress, so it is kept whatever the replicas say. */
    private static final Duration TOMBSTONE_GRACE = Duration.ofHours(1);

    private static boolean isReserved(BlobKey key) {
        return key.value().startsWith(RESERVED_PREFIX);
    }

    private static BlobKey usable(BlobKey key) {
        if (isReserved(key)) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.RESERVED,
                    "invalid blob key: keys under " + RESERVED_PREFIX + " hold a replicated store's own records");
        }
        return key;
    }

    /** Where a replica records that it took a delete of {@code key}; the tombstone holds the key itself. */
    static BlobKey tombstoneOf(BlobKey key) {
        return BlobKey.of(TOMBSTONES + Sha256.hex(Sha256.newDigest().digest(key.value().getBytes(StandardCharsets.UTF_8))));
    }

    /** Where a tombstone names the digest of the copy its delete removed (none: no copy, or one without a digest). */
    private static final String DELETED_SHA_META = "mediastore-deleted-sha256";
    private static final String TOMBSTONE_ID_META = "mediastore-tombstone-id";
    private static final java.security.SecureRandom TOMBSTONE_IDS = new java.security.SecureRandom();

    /**
     * Records on one replica that it takes a delete of {@code key}, naming the copy there that the delete removes.
     * Which copies a tombstone counts as deleted goes by that digest, never by clocks: an object's time is not when
     * it became visible (S3 gives a multipart object the time its upload began, a file keeps its last write's).
     */
    private static void putTombstone(BlobStore r, BlobKey key, BlobKey tombstone, Optional<String> deletedSha) {
        Map<String, String> reserved = new HashMap<>();
        byte[] id = new byte[16];
        TOMBSTONE_IDS.nextBytes(id);
        reserved.put(TOMBSTONE_ID_META, java.util.HexFormat.of().formatHex(id)); // tells one tombstone from the next
        deletedSha.ifPresent(sha -> reserved.put(DELETED_SHA_META, sha));
        PutOptions options = TOMBSTONE_OPTIONS.withReserved(reserved);
        try {
            r.put(tombstone, new java.io.ByteArrayInputStream(key.value().getBytes(StandardCharsets.UTF_8)), options);
        } catch (InvalidBlobKeyException e) {
            throw refusesTombstones(e);
        }
    }

    /** A replica that refuses this store's reserved keys: one with a replicated store inside a decorator. */
    private static BlobStoreException refusesTombstones(InvalidBlobKeyException e) {
        return new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "a replica refuses the keys a replicated"
                + " store keeps its tombstones under (is a replicated store inside it?)", e);
    }

    /** The digest of the replica's copy of {@code key}: empty when it has none, or one of no known digest. */
    private static Optional<String> digestOfCopy(BlobStore r, BlobKey key) {
        try {
            return r.stat(key).flatMap(BlobInfo::sha256);
        } catch (BlobStoreException e) {
            if (e.reason() == BlobStoreException.Reason.INTEGRITY) {
                return Optional.empty(); // damaged: of no version a tombstone could name
            }
            throw e;
        }
    }

    /**
     * A write (a put, a copy) supersedes the replica's tombstone of the key, which goes. Its write only counts once
     * the tombstone is gone: left behind, it could name the very bytes just written again (a blob put again after
     * its delete), and repair would take them for deleted.
     */
    private static void clearTombstone(BlobStore r, BlobKey key) {
        try {
            r.delete(tombstoneOf(key));
        } catch (InvalidBlobKeyException e) {
            throw refusesTombstones(e);
        }
    }

    /** How the tombstone beside a repair's copy was settled. */
    private enum Settled { CLEARED, RACED, FAILED }

    /**
     * After the repair copied {@code copied} to a replica ({@code repairWrote}), or found it there already beside a
     * tombstone naming it: the tombstone goes if it is still the one the repair saw, or there is still none
     * (CLEARED). One that went meanwhile was cleared by a client's write, and one that names a digest belongs to a
     * delete that already counts the copy as deleted: both are left as they are (RACED). One that appeared naming
     * nothing belongs to a delete that ran before the repair's copy landed: that copy, if still there, is removed
     * again under a tombstone naming it (RACED; only after a copy of the repair's own, never a client's). FAILED if
     * the replica could not be asked or changed.
     */
    private static Settled settleAfterCopy(BlobStore r, BlobKey key, Optional<BlobInfo> seenTomb, String copied,
                                           boolean repairWrote) {
        BlobKey tombstone = tombstoneOf(key);
        try {
            Optional<BlobInfo> now;
            try {
                now = r.stat(tombstone);
            } catch (BlobStoreException e) {
                if (e.reason() != BlobStoreException.Reason.INTEGRITY || seenTomb.isPresent()) {
                    throw e;
                }
                r.delete(tombstone); // damaged, as the repair found it: it names nothing
                return Settled.CLEARED;
            }
            // each tombstone carries a random id, so one written since never passes for the one seen
            boolean unchanged = now.isEmpty() ? seenTomb.isEmpty()
                    : seenTomb.isPresent() && now.get().metadata().equals(seenTomb.get().metadata());
            if (unchanged) {
                if (now.isPresent()) {
                    r.delete(tombstone);
                }
                return Settled.CLEARED;
            }
            if (now.isEmpty() || now.get().metadata().containsKey(DELETED_SHA_META) || !repairWrote) {
                // cleared by a client's write since, or a delete that found a copy there and named it (it votes as
                // deleted already): theirs to settle, not the repair's
                return Settled.RACED;
            }
            // a delete that ran before the copy landed, and named nothing: the copy undoes it, so it goes again
            Optional<BlobInfo> copy = r.stat(key);
            if (copy.isPresent() && copy.get().sha256().equals(Optional.of(copied))) {
                putTombstone(r, key, tombstone, Optional.of(copied));
                r.delete(key);
            }
            return Settled.RACED;
        } catch (BlobStoreException e) {
            LOG.warn("could not settle the tombstone of {} after a repair copy: {}", key, e.reason());
            return Settled.FAILED;
        }
    }

    /** Whether a replica's tombstone counts its copy as deleted: it has none, or the very one the tombstone names. */
    private static boolean deletedBy(Optional<BlobInfo> tomb, Optional<BlobInfo> copy) {
        if (tomb.isEmpty()) {
            return false;
        }
        if (copy.isEmpty()) {
            return true;
        }
        String named = tomb.get().metadata().get(DELETED_SHA_META);
        return named != null && copy.get().sha256().map(named::equals).orElse(false);
    }

    /**
     * Removes the tombstones of deletes that every replica has settled: each replica answers, none holds a copy of
     * the key, and none holds a tombstone younger than {@link #TOMBSTONE_GRACE}. (A write clears the tombstones of
     * the replicas it reaches itself.) Tombstones are named by a hash, so every tombstone is looked at, and those of
     * keys outside {@code prefix} are left alone.
     */
    private void removeSettledTombstones(String prefix) {
        java.time.Instant cutoff = java.time.Instant.now().minus(TOMBSTONE_GRACE);
        TreeSet<BlobKey> tombstones = new TreeSet<>();
        for (BlobStore r : replicas) {
            try {
                r.listAll(TOMBSTONES).forEach(s -> tombstones.add(s.key()));
            } catch (BlobStoreException e) {
                LOG.debug("a replica's tombstones could not be listed: {}", e.reason());
            }
        }
        for (BlobKey tombstone : tombstones) {
            BlobKey key = deletedKeyOf(tombstone);
            if (key == null || !key.value().startsWith(prefix)) {
                continue;
            }
            List<Optional<BlobInfo>> seen = settled(key, tombstone, cutoff);
            for (int i = 0; seen != null && i < replicas.size(); i++) {
                if (seen.get(i).isPresent()) {
                    removeIfUnchanged(replicas.get(i), tombstone, seen.get(i).get());
                }
            }
        }
    }

    /**
     * Removes a settled tombstone if it is still the one seen: a delete landing since has written a fresh one, which
     * stays. (A delete landing between this last look and the removal is not seen; the moment is short.)
     */
    private static void removeIfUnchanged(BlobStore r, BlobKey tombstone, BlobInfo seen) {
        try {
            Optional<BlobInfo> now = r.stat(tombstone);
            if (now.isPresent() && now.get().metadata().equals(seen.metadata())) { // the random id tells them apart
                r.delete(tombstone);
            }
        } catch (BlobStoreException e) {
            LOG.debug("a settled tombstone could not be removed: {}", e.reason());
        }
    }

    /** The key a tombstone records, read from the first replica that has it; null if no replica has a valid one. */
    private BlobKey deletedKeyOf(BlobKey tombstone) {
        for (BlobStore r : replicas) {
            try (InputStream in = r.get(tombstone)) {
                byte[] b = in.readNBytes(4 * BlobKey.MAX_LENGTH_BYTES + 1);
                BlobKey key = BlobKey.of(new String(b, StandardCharsets.UTF_8));
                if (tombstoneOf(key).equals(tombstone)) {
                    return key;
                }
            } catch (BlobStoreException | IOException | IllegalArgumentException e) {
                // not here, unreadable, or not a tombstone this store wrote: try the next replica
            }
        }
        return null;
    }

    /**
     * Each replica's tombstone of {@code key} (empty where it has none) if the delete is settled: every replica
     * answers, none holds a copy, and every tombstone is older than the cutoff; otherwise null.
     */
    private List<Optional<BlobInfo>> settled(BlobKey key, BlobKey tombstone, java.time.Instant cutoff) {
        List<Optional<BlobInfo>> tombs = new ArrayList<>(replicas.size());
        for (BlobStore r : replicas) {
            Optional<BlobInfo> tomb;
            try {
                tomb = r.stat(tombstone);
                if (r.stat(key).isPresent()) {
                    return null; // a copy (a stray one for repair to weigh, or a write since, whose put clears it)
                }
            } catch (BlobStoreException e) {
                return null;
            }
            if (tomb.isPresent() && tomb.get().lastModified().isAfter(cutoff)) {
                return null;
            }
            tombs.add(tomb);
        }
        return tombs;
    }

    /** What a deep check found in one copy. */
    private enum Check { INTACT, CORRUPT, UNKNOWN }

    /** The vote of a replica whose tombstone names its copy (or that has none): never a hex SHA-256. */
    private static final String DELETED = "deleted";

    /** {restored, unrepairable, deleted} for one key. */
    private long[] repair(BlobKey key, boolean deep) {
        int n = replicas.size();
        BlobKey tombstone = tombstoneOf(key);
        List<Optional<BlobInfo>> infos = new ArrayList<>(n);
        List<Optional<BlobInfo>> tombs = new ArrayList<>(n);
        boolean[] known = new boolean[n];
        boolean[] intact = new boolean[n];
        boolean[] damaged = new boolean[n]; // a copy so damaged that not even its stat can be read (which write?)
        boolean[] deletedHere = new boolean[n]; // the replica's tombstone names the copy it holds, or it holds none
        for (int i = 0; i < n; i++) {
            Optional<BlobInfo> info = Optional.empty();
            Optional<BlobInfo> tomb = Optional.empty();
            try {
                try {
                    tomb = replicas.get(i).stat(tombstone);
                } catch (BlobStoreException e) {
                    if (e.reason() != BlobStoreException.Reason.INTEGRITY) {
                        throw e;
                    }
                    // a damaged tombstone names nothing: the copy is judged as if there were none (the next write
                    // or delete replaces it)
                }
                try {
                    info = replicas.get(i).stat(key);
                    Check check = info.isEmpty() || !deep ? Check.INTACT : check(replicas.get(i), key);
                    known[i] = check != Check.UNKNOWN;
                    intact[i] = info.isPresent() && check == Check.INTACT;
                } catch (BlobStoreException e) {
                    // unreachable: unknown; INTEGRITY (a file cut short by a crash): there, but of no known version
                    damaged[i] = known[i] = e.reason() == BlobStoreException.Reason.INTEGRITY;
                }
            } catch (BlobStoreException e) {
                tomb = Optional.empty(); // unreachable: unknown
            }
            infos.add(info);
            tombs.add(tomb);
            // a damaged copy is of no known version: it neither counts as deleted nor votes
            deletedHere[i] = known[i] && !damaged[i] && deletedBy(tomb, info);
        }
        // every copy that is there votes by its recorded digest, a corrupt one too: the digest says which write it
        // was, though its bytes cannot serve as a source; a replica that took a delete last votes for the delete
        Map<String, Integer> votes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (deletedHere[i]) {
                votes.merge(DELETED, 1, Integer::sum);
            } else if (known[i] && infos.get(i).isPresent() && infos.get(i).get().sha256().isPresent()) {
                votes.merge(infos.get(i).get().sha256().get(), 1, Integer::sum);
            }
        }
        if (votes.isEmpty()) {
            // no copy to trust: every copy there is, and every replica that could not be checked, stays as it is
            long present = 0;
            for (int i = 0; i < n; i++) {
                if (infos.get(i).isPresent() || !known[i]) {
                    present++;
                }
            }
            return new long[] {0, present, 0};
        }
        int most = java.util.Collections.max(votes.values());
        List<String> leaders = votes.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).toList();
        if (leaders.size() > 1) {
            LOG.warn("replicas of {} hold {} different versions with {} copies each: not repaired", key, leaders.size(), most);
            return new long[] {0, n - most, 0}; // whichever version is right, the other copies stay wrong for now
        }
        String winner = leaders.get(0);
        // a copy recorded as another version may be an acknowledged write whose other replicas are out of reach: the
        // leading version may replace it only with more copies than such a write can lack (N - W), and a majority
        int needed = Math.max(n / 2, n - writeQuorum) + 1;
        if (winner.equals(DELETED)) {
            return removeStrayCopies(key, tombstone, infos, known, damaged, deletedHere, votes.get(DELETED) >= needed);
        }
        // every good copy may serve as the source, the newest first
        List<Integer> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (intact[i] && !deletedHere[i] && infos.get(i).get().sha256().map(winner::equals).orElse(false)) {
                sources.add(i);
            }
        }
        if (sources.isEmpty()) {
            LOG.warn("no intact copy of the leading version of {} is in reach: not repaired", key);
            return new long[] {0, n, 0};
        }
        sources.sort((a, b) -> infos.get(b).get().lastModified().compareTo(infos.get(a).get().lastModified()));
        long restored = 0;
        long unrepairable = 0;
        for (int i = 0; i < n; i++) {
            if (sources.contains(i)) {
                continue;
            }
            if (!known[i]) {
                unrepairable++;
                continue;
            }
            if (deletedHere[i] && intact[i] && infos.get(i).get().sha256().equals(Optional.of(winner))
                    && votes.get(winner) >= needed) {
                // the leading bytes already, beside a tombstone naming them that a write failed to clear
                if (settleAfterCopy(replicas.get(i), key, tombs.get(i), winner, false) == Settled.FAILED) {
                    unrepairable++;
                }
                continue;
            }
            boolean otherVersion = damaged[i] || deletedHere[i]
                    || infos.get(i).isPresent() && !infos.get(i).get().sha256().equals(Optional.of(winner));
            if (otherVersion && votes.get(winner) < needed) {
                LOG.warn("replica {} of {} holds another version and only {} of {} replicas hold the leading one: not"
                        + " overwritten", i, key, votes.get(winner), n);
                unrepairable++;
                continue;
            }
            Boolean same = damaged[i] ? stillDamaged(replicas.get(i), key) : unchanged(replicas.get(i), key, infos.get(i));
            if (same == null) {
                unrepairable++; // out of reach now
                continue;
            }
            if (!same) {
                LOG.info("replica {} of {} changed during the repair: left to its writer", i, key);
                continue;
            }
            // written on the condition that the copy is still what was seen, so a write landing on this replica after
            // that check is never overwritten; only a copy of no nameable version (damaged, or without a digest)
            // is written on the check above alone. The copy written is newer than any tombstone there.
            Overwrite overwrite = damaged[i] ? Overwrite.ANY
                    : infos.get(i).isEmpty() ? Overwrite.NOTHING : infos.get(i).get().sha256().map(Overwrite::new).orElse(Overwrite.ANY);
            switch (copyFromAny(key, sources, winner, i, overwrite)) {
                case RESTORED -> {
                    switch (settleAfterCopy(replicas.get(i), key, tombs.get(i), winner, true)) {
                        case CLEARED -> {
                            restored++;
                            LOG.info("repaired replica {} of {}", i, key);
                        }
                        case RACED -> LOG.info("replica {} of {} was written or deleted during its repair: left to that", i, key);
                        case FAILED -> unrepairable++;
                    }
                }
                case CHANGED -> LOG.info("replica {} of {} changed during the repair: left to its writer", i, key);
                case FAILED -> unrepairable++;
            }
        }
        return new long[] {restored, unrepairable, 0};
    }

    /**
     * The delete leads: copies on replicas that missed it are removed (after a tombstone is put beside them), and
     * one that a replica holds as the latest thing it took only with {@code enough} votes for the delete, as for
     * replacing another version. Each copy is looked at again right before it goes; a write landing on that replica
     * in the moment between is removed with it (a later repair restores it from the replicas that took it).
     */
    private long[] removeStrayCopies(BlobKey key, BlobKey tombstone, List<Optional<BlobInfo>> infos, boolean[] known,
                                     boolean[] damaged, boolean[] deletedHere, boolean enough) {
        long unrepairable = 0;
        long deleted = 0;
        for (int i = 0; i < replicas.size(); i++) {
            boolean copy = damaged[i] || infos.get(i).isPresent();
            if (!known[i]) {
                unrepairable++;
                continue;
            }
            if (!copy) {
                continue; // no copy: as deleted as it gets
            }
            if (!deletedHere[i] && !enough) {
                LOG.warn("replica {} of {} holds a copy a delete on too few replicas may not remove", i, key);
                unrepairable++;
                continue;
            }
            BlobStore r = replicas.get(i);
            Boolean same = damaged[i] ? stillDamaged(r, key) : unchanged(r, key, infos.get(i));
            if (same == null) {
                unrepairable++;
                continue;
            }
            if (!same) {
                LOG.info("replica {} of {} changed during the repair: left to its writer", i, key);
                continue;
            }
            try {
                if (!deletedHere[i]) {
                    putTombstone(r, key, tombstone, infos.get(i).flatMap(BlobInfo::sha256));
                }
                r.delete(key);
                deleted++;
                LOG.info("removed replica {}'s copy of deleted {}", i, key);
            } catch (BlobStoreException e) {
                LOG.warn("could not remove replica {}'s copy of deleted {}: {}", i, key, e.reason());
                unrepairable++;
            }
        }
        return new long[] {0, unrepairable, deleted};
    }

    /** How copying a version to a replica ended. */
    private enum CopyOutcome { RESTORED, CHANGED, FAILED }

    /**
     * What a repair copy may replace on its replica: no blob ({@link #NOTHING}), the copy with this digest, or
     * whatever is there ({@link #ANY}, for a copy that no digest names).
     */
    private record Overwrite(String sha256) {
        static final Overwrite NOTHING = new Overwrite(null);
        static final Overwrite ANY = new Overwrite("");
    }

    /** Copies the winning version to replica {@code target} from the first source that delivers it intact. */
    private CopyOutcome copyFromAny(BlobKey key, List<Integer> sources, String winner, int target, Overwrite overwrite) {
        for (int source : sources) {
            try {
                BlobInfo good = replicas.get(source).stat(key).orElseThrow(() -> BlobStoreException.notFound(key));
                PutOptions options;
                try {
                    options = rebuildOptions(good);
                } catch (IllegalArgumentException e) {
                    // metadata another tool wrote (an S3 console's names) that these options cannot carry
                    LOG.warn("cannot repair replica {} of {}: the metadata of replica {} cannot be written back", target, key, source, e);
                    continue;
                }
                try (InputStream in = new io.mediastore.storage.internal.VerifyingInputStream(
                        replicas.get(source).get(key), good.size(), winner, "blob " + key)) {
                    BlobStore to = replicas.get(target);
                    BlobInfo written = overwrite == Overwrite.ANY ? to.put(key, in, options)
                            : overwrite == Overwrite.NOTHING ? to.putIfAbsent(key, in, options)
                            : to.putIf(key, overwrite.sha256(), in, options);
                    if (!written.sha256().map(winner::equals).orElse(true)) {
                        throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "repair copy differs");
                    }
                    return CopyOutcome.RESTORED;
                }
            } catch (BlobStoreException e) {
                if (overwrite != Overwrite.ANY && e.reason() == BlobStoreException.Reason.UNSUPPORTED) {
                    // a replica without conditional writes (an S3 server that refuses them): a plain put on the
                    // second look alone, as for a copy no digest names
                    LOG.warn("replica {} takes no conditional puts: repairing {} there with a plain put", target, key);
                    return copyFromAny(key, sources, winner, target, Overwrite.ANY);
                }
                if (overwrite != Overwrite.ANY && (e.reason() == BlobStoreException.Reason.CHANGED
                        || e.reason() == BlobStoreException.Reason.NOT_FOUND && overwrite != Overwrite.NOTHING && isAbsentOn(target, key))) {
                    return CopyOutcome.CHANGED; // written (or deleted) since the repair looked: not the repair's to undo
                }
                LOG.warn("could not repair replica {} of {} from replica {}: {}", target, key, source, e.toString());
            } catch (IOException e) {
                LOG.warn("could not repair replica {} of {} from replica {}: {}", target, key, source, e.toString());
            }
        }
        return CopyOutcome.FAILED;
    }

    /** Whether the replica now answers that it has no such blob (a NOT_FOUND from a source says nothing of it). */
    private boolean isAbsentOn(int replica, BlobKey key) {
        try {
            return replicas.get(replica).stat(key).isEmpty();
        } catch (BlobStoreException e) {
            return false;
        }
    }

    /** Whether a copy still cannot be read even by its stat; null when the replica cannot be asked now. */
    private static Boolean stillDamaged(BlobStore r, BlobKey key) {
        try {
            r.stat(key);
            return false; // written again since
        } catch (BlobStoreException e) {
            return e.reason() == BlobStoreException.Reason.INTEGRITY ? Boolean.TRUE : null;
        }
    }

    /**
     * Whether a copy is still the version seen before (both absent, or the same digest, size and time); null when
     * the replica cannot be asked now.
     */
    private static Boolean unchanged(BlobStore r, BlobKey key, Optional<BlobInfo> seen) {
        Optional<BlobInfo> now;
        try {
            now = r.stat(key);
        } catch (BlobStoreException e) {
            return null;
        }
        if (seen.isEmpty() || now.isEmpty()) {
            return seen.isEmpty() && now.isEmpty();
        }
        BlobInfo a = seen.get();
        BlobInfo b = now.get();
        return a.sha256().equals(b.sha256()) && a.size() == b.size() && a.lastModified().equals(b.lastModified());
    }

    /** Options reproducing a blob's content type and all its metadata, reserved entries of upper layers included. */
    private static PutOptions rebuildOptions(BlobInfo info) {
        Map<String, String> user = new HashMap<>();
        Map<String, String> reserved = new HashMap<>();
        info.metadata().forEach((k, v) -> (PutOptions.isReserved(k) ? reserved : user).put(k, v));
        return PutOptions.builder().contentType(info.contentType()).metadata(user).build().withReserved(reserved);
    }

    /** Reads a copy whole: corrupt only when its digest disagrees; a failure to read says nothing about it. */
    private static Check check(BlobStore r, BlobKey key) {
        try (InputStream in = r.get(key)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return Check.INTACT;
        } catch (BlobStoreException e) {
            return e.reason() == BlobStoreException.Reason.INTEGRITY ? Check.CORRUPT : Check.UNKNOWN;
        } catch (IOException e) {
            return Check.UNKNOWN;
        }
    }

    /** Closes every replica, also after one fails to close; the first failure is thrown, the others suppressed. */
    @Override
    public void close() {
        pool.shutdownNow();
        RuntimeException first = null;
        for (BlobStore r : replicas) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "ReplicatedBlobStore[" + replicas.size() + " replicas, write quorum " + writeQuorum + "]";
    }

    /** Builds a {@link ReplicatedBlobStore}; {@link #build()} validates. */
    public static final class Builder {
        private final List<BlobStore> replicas = new ArrayList<>();
        private int writeQuorum;
        private boolean verifyReads = true;
        private Path spoolDir = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        /** Adds a replica; reads try replicas in the order added. Closing the replicated store closes them. */
        public Builder replica(BlobStore store) {
            replicas.add(Objects.requireNonNull(store));
            return this;
        }

        /** Replicas that must take a write, 1 to N; a majority by default. */
        public Builder writeQuorum(int quorum) {
            this.writeQuorum = quorum;
            return this;
        }

        /**
         * Whether whole-blob reads are checked before the first byte is released (true by default). With false, a
         * read streams straight from the first replica; corruption then surfaces at the end of the stream (from
         * the backend's own check), without failover.
         */
        public Builder verifyReads(boolean verify) {
            this.verifyReads = verify;
            return this;
        }

        /** Where checked reads over 1 MiB are held; the system temporary directory by default. */
        public Builder spoolDirectory(Path dir) {
            this.spoolDir = Objects.requireNonNull(dir);
            return this;
        }

        public ReplicatedBlobStore build() {
            if (replicas.size() < 2) {
                throw new IllegalArgumentException("replication needs at least two replicas");
            }
            if (writeQuorum < 0 || writeQuorum > replicas.size()) {
                throw new IllegalArgumentException("write quorum must be 1 to " + replicas.size());
            }
            if (replicas.stream().anyMatch(r -> r instanceof ReplicatedBlobStore)) {
                // its tombstones would be in the namespace the inner store refuses (and shares with it)
                throw new IllegalArgumentException("a replicated store cannot be a replica of another; list all the"
                        + " replicas in one");
            }
            return new ReplicatedBlobStore(this);
        }
    }
}
