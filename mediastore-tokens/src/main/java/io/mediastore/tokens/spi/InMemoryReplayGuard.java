package io.mediastore.tokens.spi;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link ReplayGuard}: use counts in memory on this node, bounded in size. An entry lives
 * until its token expires; when the table is full and nothing has expired, new limited-use tokens are
 * refused (fail closed) rather than forgetting a count that might let a used token through again.
 */
@Singleton
public final class InMemoryReplayGuard implements ReplayGuard {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryReplayGuard.class);
    /** Default number of tracked tokens. */
    public static final int DEFAULT_CAPACITY = 1_000_000;

    private final ConcurrentHashMap<String, Entry> uses = new ConcurrentHashMap<>();
    private final int capacity;
    private final Clock clock;

    private record Entry(AtomicInteger count, long expiresAtMillis) {
    }

    @Inject
    public InMemoryReplayGuard() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public InMemoryReplayGuard(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public boolean tryUse(String tokenId, int maxUses, Instant expiresAt) {
        if (maxUses < 1) {
            throw new IllegalArgumentException("maxUses must be at least 1");
        }
        Entry e = uses.get(tokenId);
        if (e == null) {
            if (expiresAt.toEpochMilli() < clock.millis()) {
                return false; // past its window: its earlier uses may already have been purged
            }
            if (uses.size() >= capacity) {
                purgeExpired();
                if (uses.size() >= capacity) {
                    LOG.warn("replay guard full ({} tokens); refusing limited-use tokens until some expire", capacity);
                    return false;
                }
            }
            // checked again where the entry is made: a purge between the check above and here may have removed
            // the entry of earlier uses, and a fresh count then must not be a second first use
            e = uses.computeIfAbsent(tokenId, k -> expiresAt.toEpochMilli() < clock.millis()
                    ? null : new Entry(new AtomicInteger(), expiresAt.toEpochMilli()));
            if (e == null) {
                return false;
            }
        }
        AtomicInteger count = e.count();
        while (true) {
            int n = count.get();
            if (n >= maxUses) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Forgets the counts of expired tokens; runs by itself when the table is full. */
    public void purgeExpired() {
        long now = clock.millis();
        uses.values().removeIf(e -> e.expiresAtMillis() < now);
    }

    /** The number of tracked tokens. */
    public int size() {
        return uses.size();
    }
}
