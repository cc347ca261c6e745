package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediastore.storage.internal.PageTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A replicated listing, paged with any page sizes, yields the sorted union of the replicas' keys, each once, also
 * when replicas return short or empty pages that still have more (as the filesystem store does past damaged files).
 */
class ReplicatedListingProperties {

    /** What one replica holds: keys it lists, and keys whose damaged copies it counts towards a page but leaves out. */
    record Replica(Set<String> listed, Set<String> hidden) {
    }

    /**
     * A replica that pages like the filesystem store: a page considers up to pageSize keys after the token, listed
     * or hidden, returns the listed ones, and continues after the last key it considered.
     */
    static final class ShortPages extends ForwardingBlobStore {
        private final TreeSet<BlobKey> all = new TreeSet<>();
        private final Set<BlobKey> hidden = new java.util.HashSet<>();

        ShortPages(Replica r) {
            super(null); // only listed here
            r.listed().forEach(k -> all.add(BlobKey.of(k)));
            r.hidden().forEach(k -> {
                all.add(BlobKey.of(k));
                hidden.add(BlobKey.of(k));
            });
        }

        @Override
        public BlobPage list(String prefix, String pageToken, int pageSize) {
            BlobKey after = PageTokens.decode(pageToken);
            List<BlobKey> considered = (after == null ? all : all.tailSet(after, false)).stream().limit(pageSize).toList();
            List<BlobSummary> items = considered.stream().filter(k -> !hidden.contains(k))
                    .map(k -> new BlobSummary(k, 1, Instant.EPOCH)).toList();
            boolean more = !considered.isEmpty() && all.higher(considered.get(considered.size() - 1)) != null;
            return new BlobPage(items, more ? Optional.of(PageTokens.encode(considered.get(considered.size() - 1))) : Optional.empty());
        }
    }

    @Provide
    Arbitrary<List<Replica>> replicas() {
        // few distinct keys, so replicas often share some; each key on each replica absent, listed or hidden
        Arbitrary<String> key = Arbitraries.of("a", "a/b", "a0", "b", "b/c/d", "c", "c1", "d", "e", "é", "f", "g", "h", "x/y", "z");
        Arbitrary<Replica> replica = key.set().ofMaxSize(12).flatMap(keys -> Arbitraries.of(true, false)
                .list().ofSize(keys.size()).map(hide -> {
                    Set<String> listed = new TreeSet<>();
                    Set<String> hidden = new TreeSet<>();
                    int i = 0;
                    for (String k : keys) {
                        (hide.get(i++) ? hidden : listed).add(k);
                    }
                    return new Replica(listed, hidden);
                }));
        return replica.list().ofMinSize(2).ofMaxSize(3);
    }

    @Property(tries = 500)
    void pagingYieldsTheSortedUnionEachKeyOnce(@ForAll("replicas") List<Replica> replicas,
                                                @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> pageSizes) {
        ReplicatedBlobStore.Builder b = ReplicatedBlobStore.builder();
        TreeSet<BlobKey> expected = new TreeSet<>();
        for (Replica r : replicas) {
            b.replica(new ShortPages(r));
            r.listed().forEach(k -> expected.add(BlobKey.of(k)));
        }
        try (ReplicatedBlobStore store = b.build()) {
            List<BlobKey> listed = new ArrayList<>();
            String token = null;
            int call = 0;
            do {
                int size = pageSizes.get(call % pageSizes.size());
                BlobPage page = store.list("", token, size);
                assertEquals(true, page.items().size() <= size, "page larger than asked for");
                page.items().forEach(s -> listed.add(s.key()));
                token = page.nextPageToken().orElse(null);
                call++;
                assertEquals(true, call <= 100, "the listing does not end");
            } while (token != null);
            assertEquals(new ArrayList<>(expected), listed);
        }
    }
}
