package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Three S3Proxy servers as three regions; one goes down in the middle and comes back. */
class ReplicatedS3IT {
    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void quorumWritesFailoverReadsAndRepairAcrossThreeServers() throws Exception {
        List<S3ProxyServer> servers = new ArrayList<>();
        List<S3BlobStore> stores = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                S3ProxyServer s = S3ProxyServer.start(dir.resolve("region-" + i));
                s.createBucket("media-region-" + i);
                servers.add(s);
                stores.add(s.store("media-region-" + i).partSize(5 << 20).maxAttempts(2).build());
            }
            ReplicatedBlobStore store = ReplicatedBlobStore.builder().replica(stores.get(0)).replica(stores.get(1))
                    .replica(stores.get(2)).writeQuorum(2).spoolDirectory(dir.resolve("spool")).build();
            assertEquals(2, store.writeQuorum());

            byte[] before = random(1024, 1);
            store.put(BlobKey.of("assets/before"), new java.io.ByteArrayInputStream(before));
            for (S3BlobStore s : stores) {
                assertTrue(s.stat(BlobKey.of("assets/before")).isPresent(), "all three copies while all are up");
            }
            byte[] edited1 = random(2048, 4);
            store.put(BlobKey.of("assets/edited"), new java.io.ByteArrayInputStream(edited1));

            // region 0 goes down: quorum-2 writes still succeed, reads fail over
            servers.get(0).stop();
            byte[] small = random(1024, 2);
            byte[] large = random(12 << 20, 3); // multipart on each replica
            assertEquals(1024, store.put(BlobKey.of("assets/during"), new java.io.ByteArrayInputStream(small)).size());
            byte[] edited2 = random(3000, 5);
            store.put(BlobKey.of("assets/edited"), new java.io.ByteArrayInputStream(edited2));
            store.put(BlobKey.of("assets/large"), new java.io.ByteArrayInputStream(large),
                    PutOptions.builder().contentType("video/mp4").metadata("title", "x").build());
            assertArrayEquals(before, read(store.get(BlobKey.of("assets/before"))));
            assertArrayEquals(small, read(store.get(BlobKey.of("assets/during"))));
            assertArrayEquals(large, read(store.get(BlobKey.of("assets/large"))));
            assertArrayEquals(java.util.Arrays.copyOfRange(large, 100, 200), read(store.get(BlobKey.of("assets/large"), ByteRange.of(100, 100))));
            assertEquals(4, store.listAll("assets/").count());
            assertEquals(12 << 20, store.stat(BlobKey.of("assets/large")).orElseThrow().size());

            // a write needing all three cannot succeed now
            // (not closed: it shares the replicas, which are closed at the end)
            ReplicatedBlobStore strict = ReplicatedBlobStore.builder().replica(stores.get(0)).replica(stores.get(1))
                    .replica(stores.get(2)).writeQuorum(3).build();
            BlobStoreException e = assertThrows(BlobStoreException.class,
                    () -> strict.put(BlobKey.of("assets/strict"), new java.io.ByteArrayInputStream(small)));
            assertEquals(BlobStoreException.Reason.QUORUM_NOT_REACHED, e.reason());

            // region 0 comes back without the writes it missed; repair restores them
            servers.get(0).restart();
            assertEquals(Optional.empty(), stores.get(0).stat(BlobKey.of("assets/during")));
            // region 0 still holds the edit made before its outage, until the repair
            assertArrayEquals(edited1, read(stores.get(0).get(BlobKey.of("assets/edited"))));
            ReplicatedBlobStore.RepairReport report = store.repair("assets/", false);
            // "strict" failed its quorum but reached regions 1 and 2 (writes are not transactional), so it counts too
            assertEquals(5, report.blobsChecked(), report.toString());
            assertEquals(4, report.copiesRestored(), report.toString());
            assertEquals(0, report.copiesUnrepairable());
            assertArrayEquals(small, read(stores.get(0).get(BlobKey.of("assets/during"))));
            assertArrayEquals(edited2, read(stores.get(0).get(BlobKey.of("assets/edited"))), "the version the majority holds");
            assertArrayEquals(edited2, read(store.get(BlobKey.of("assets/edited"))));
            assertArrayEquals(large, read(stores.get(0).get(BlobKey.of("assets/large"))));
            assertEquals("video/mp4", stores.get(0).stat(BlobKey.of("assets/large")).orElseThrow().contentType());
            assertEquals(Map.of("title", "x"), stores.get(0).stat(BlobKey.of("assets/large")).orElseThrow().metadata());

            // region 0 now serves a corrupt copy (same recorded digest, other bytes): reads fail over, deep repair fixes it
            String digest = stores.get(0).stat(BlobKey.of("assets/before")).orElseThrow().sha256().orElseThrow();
            servers.get(0).raw().putObject(r -> r.bucket("media-region-0").key("assets/before")
                    .metadata(Map.of("mediastore-sha256", digest)), RequestBody.fromBytes(random(1024, 99)));
            assertArrayEquals(before, read(store.get(BlobKey.of("assets/before"))));
            assertEquals(1, store.repair("assets/", true).copiesRestored());
            assertArrayEquals(before, read(stores.get(0).get(BlobKey.of("assets/before"))));

            // the README's composition, encryption over the replicas: region 0's copy of an encrypted blob has a bit
            // flipped in its second chunk (recorded digest unchanged), so a read starts there, fails authentication
            // in the middle and carries on from region 1
            BlobStore encrypted = EncryptingBlobStore.wrap(store, KeyRing.builder().add("m1", random(32, 7)).build());
            BlobKey video = BlobKey.of("assets/encrypted");
            byte[] plain = random(3 << 20, 8);
            encrypted.put(video, new java.io.ByteArrayInputStream(plain));
            Map<String, String> stored = servers.get(0).raw().headObject(r -> r.bucket("media-region-0").key("assets/encrypted")).metadata();
            byte[] ciphertext = read(stores.get(0).get(video));
            ciphertext[70_000] ^= 1;
            servers.get(0).raw().putObject(r -> r.bucket("media-region-0").key("assets/encrypted").metadata(stored),
                    RequestBody.fromBytes(ciphertext));
            assertEquals(stores.get(1).stat(video).orElseThrow().sha256(), stores.get(0).stat(video).orElseThrow().sha256());
            assertArrayEquals(plain, read(encrypted.get(video)));
            assertArrayEquals(java.util.Arrays.copyOfRange(plain, 60_000, 80_000), read(encrypted.get(video, ByteRange.of(60_000, 20_000))));
        } finally {
            for (S3BlobStore s : stores) {
                s.close();
            }
            for (S3ProxyServer s : servers) {
                s.close();
            }
        }
        assertTrue(Files.exists(dir));
    }
}
