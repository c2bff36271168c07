package dev.cookies.store.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The memory store's bounds. The module's tests run with a 512 MiB heap, so a store that stopped
 * bounding its bytes fails here with an OutOfMemoryError.
 */
class MemoryStoreBoundsTest {

    private static final SessionIdGenerator IDS = SessionIdGenerator.secureRandom();
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final long MIB = 1L << 20;

    private final List<MemorySessionStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(MemorySessionStore::close);
    }

    private MemorySessionStore store(MemorySessionStore.Builder builder) {
        MemorySessionStore store = builder.build();
        stores.add(store);
        return store;
    }

    /** The weight of one session of {@code length} bytes under a default id. */
    private static long weight(int length) {
        return Footprint.of(IDS.newId(), length);
    }

    private static Set<String> present(MemorySessionStore store, List<String> ids) {
        Set<String> found = new LinkedHashSet<>();
        for (String id : ids) {
            if (store.load(id, TTL).isPresent()) {
                found.add(id);
            }
        }
        return found;
    }

    @Test
    @DisplayName("after thousands of writes of varied sizes the weight never exceeds the bound, and the store stays full")
    void weightWithinBoundSequentially() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(2 * MIB));
        Random random = new Random(42);
        long heaviest = 0;
        for (int i = 0; i < 5_000; i++) {
            int length = random.nextInt(64 * 1024);
            heaviest = Math.max(heaviest, weight(length));
            store.save(IDS.newId(), new byte[length], TTL);
            assertTrue(store.usedBytes() <= 2 * MIB, "weight " + store.usedBytes() + " after write " + i);
        }
        assertEquals(store.recount(), store.usedBytes(), "the weight kept is the weight of what is stored");
        // Eviction takes only what it must: the room left is less than one more session.
        assertTrue(store.usedBytes() > 2 * MIB - heaviest, "over-evicted to " + store.usedBytes());
    }

    @Test
    @DisplayName("under concurrent writes, reads and deletes from several threads the weight never exceeds the bound")
    void weightWithinBoundConcurrently() throws Exception {
        long bound = 4 * MIB;
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(bound).maximumSize(500));
        int writers = 4;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong heaviestSeen = new AtomicLong();
        AtomicLong mostEntriesSeen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?> watcher = pool.submit(() -> {
                start.await();
                while (!done.get()) {
                    heaviestSeen.accumulateAndGet(store.usedBytes(), Math::max);
                    mostEntriesSeen.accumulateAndGet(store.estimatedSize(), Math::max);
                }
                return null;
            });
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                long seed = t;
                work.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(seed);
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 3_000; i++) {
                        // mostly small sessions, some up to 256 KiB, as a mix of users and a hostile client;
                        // one write in four replaces a session this thread wrote before
                        int length = random.nextInt(10) == 0 ? random.nextInt(256 * 1024) : random.nextInt(2048);
                        if (!mine.isEmpty() && random.nextInt(4) == 0) {
                            store.save(mine.get(random.nextInt(mine.size())), new byte[length], TTL);
                        } else {
                            String id = IDS.newId();
                            store.save(id, new byte[length], TTL);
                            mine.add(id);
                        }
                        store.load(mine.get(random.nextInt(mine.size())), TTL);
                        if (random.nextInt(20) == 0) {
                            store.delete(mine.get(random.nextInt(mine.size())));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get(2, TimeUnit.MINUTES);
            }
            done.set(true);
            watcher.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(heaviestSeen.get() > 0, "the watcher saw nothing");
        assertTrue(heaviestSeen.get() <= bound, "weight reached " + heaviestSeen.get());
        assertTrue(mostEntriesSeen.get() <= 500, "entries reached " + mostEntriesSeen.get());
        assertEquals(store.recount(), store.usedBytes(), "the weight kept is the weight of what is stored");
    }

    @Test
    @DisplayName("replacing a session with a larger or smaller one moves the weight by the difference, and marks it used")
    void replacingReweighs() {
        int length = 200_000;
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(10 * weight(length)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(IDS.newId());
            store.save(ids.get(i), new byte[length], TTL);
        }
        String first = ids.get(0);
        store.save(first, new byte[10], TTL);
        assertEquals(9 * weight(length) + Footprint.of(first, 10), store.usedBytes());
        // Rewritten, the first is now the most recently used: growing it back evicts the second.
        store.save(first, new byte[length + 1], TTL);
        assertEquals(length + 1, store.load(first, TTL).orElseThrow().length);
        assertEquals(Set.copyOf(ids.subList(2, 10)), present(store, ids.subList(1, 10)));
        assertEquals(store.recount(), store.usedBytes());
        assertEquals(9, store.estimatedSize());
    }

    @Test
    @DisplayName("over the byte bound the least recently used go, however often they were read before; the newest stay")
    void evictsLeastRecentlyUsed() {
        int length = 200_000;
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(10 * weight(length)));
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            old.add(IDS.newId());
            store.save(old.get(i), new byte[length], TTL);
        }
        // old 3..6 are read often, but long ago; old 0..2 once, lately; old 7..9 never after their write.
        for (int r = 0; r < 20; r++) {
            for (int i = 3; i <= 6; i++) {
                assertTrue(store.load(old.get(i), TTL).isPresent());
            }
        }
        for (int i = 0; i <= 2; i++) {
            assertTrue(store.load(old.get(i), TTL).isPresent());
        }
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fresh.add(IDS.newId());
            store.save(fresh.get(i), new byte[length], TTL);
        }
        // Least recently used first: 7, 8, 9, then 3.
        assertEquals(Set.of(old.get(4), old.get(5), old.get(6), old.get(0), old.get(1), old.get(2)),
                present(store, old));
        assertEquals(Set.copyOf(fresh), present(store, fresh));
        assertEquals(10, store.estimatedSize());
    }

    @Test
    @DisplayName("over the size bound the least recently used go too; the bound first reached decides")
    void sizeBoundEvictsLeastRecentlyUsed() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumSize(3));
        List<String> ids = List.of(IDS.newId(), IDS.newId(), IDS.newId(), IDS.newId());
        store.save(ids.get(0), new byte[] {0}, TTL);
        store.save(ids.get(1), new byte[] {1}, TTL);
        store.save(ids.get(2), new byte[] {2}, TTL);
        assertTrue(store.load(ids.get(0), TTL).isPresent());
        store.save(ids.get(3), new byte[] {3}, TTL);
        assertEquals(Set.of(ids.get(0), ids.get(2), ids.get(3)), present(store, ids));

        int length = 400_000;
        MemorySessionStore both = store(MemorySessionStore.builder().maximumSize(5).maximumBytes(3 * weight(length)));
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            big.add(IDS.newId());
            both.save(big.get(i), new byte[length], TTL);
        }
        assertEquals(Set.copyOf(big.subList(1, 4)), present(both, big), "the byte bound, reached first, evicted");
    }

    @Test
    @DisplayName("over a bound, expired sessions go before live ones, even recently used expired ones")
    void expiredGoFirst() {
        MutableClock clock = MutableClock.now();
        int length = 200_000;
        MemorySessionStore store = store(MemorySessionStore.builder().clock(clock).maximumBytes(10 * weight(length)));
        List<String> longLived = new ArrayList<>();
        List<String> shortLived = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            longLived.add(IDS.newId());
            store.save(longLived.get(i), new byte[length], Duration.ofHours(1));
        }
        for (int i = 0; i < 5; i++) {
            shortLived.add(IDS.newId());
            store.save(shortLived.get(i), new byte[length], Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(2));
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fresh.add(IDS.newId());
            store.save(fresh.get(i), new byte[length], TTL);
        }
        assertEquals(Set.copyOf(longLived), present(store, longLived), "a live session was evicted for an expired one");
        assertEquals(Set.copyOf(fresh), present(store, fresh));
        assertEquals(10, store.estimatedSize());
    }

    @Test
    @DisplayName("a store bounded to 8 MiB survives 2,000 sessions of 990 KB, keeps each newest one, and still answers")
    void survivesAFloodOfLargeSessions() {
        long bound = 8 * MIB;
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(bound));
        int length = 990_000;
        List<String> ids = new ArrayList<>();
        byte[] data = new byte[length];
        for (int i = 0; i < 2_000; i++) {
            String id = IDS.newId();
            data[0] = (byte) i;
            store.save(id, data, TTL);
            ids.add(id);
            // The login that just wrote its session must find it on its next request.
            assertEquals((byte) i, store.load(id, TTL).orElseThrow(() -> new AssertionError("newest session dropped"))[0]);
            assertTrue(store.usedBytes() <= bound);
        }
        int fits = (int) (bound / weight(length));
        assertTrue(fits >= 1, "the test's bound holds no session of this size");
        assertEquals(Set.copyOf(ids.subList(ids.size() - fits, ids.size())), present(store, ids));

        String after = IDS.newId();
        store.save(after, new byte[] {7}, TTL);
        assertArrayEquals(new byte[] {7}, store.load(after, TTL).orElseThrow());
        assertEquals(store.recount(), store.usedBytes());
    }

    @Test
    @DisplayName("a session heavier than the whole bound is not kept, removes the id's old value, and evicts nothing else")
    void oversizedSessionIsNotKept() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(MIB));
        String a = IDS.newId();
        String b = IDS.newId();
        store.save(a, new byte[] {1}, TTL);
        store.save(b, new byte[] {2}, TTL);
        long before = store.usedBytes();

        String huge = IDS.newId();
        store.save(huge, new byte[(int) (2 * MIB)], TTL);
        assertTrue(store.load(huge, TTL).isEmpty());
        assertEquals(before, store.usedBytes());
        assertArrayEquals(new byte[] {1}, store.load(a, TTL).orElseThrow());

        store.save(a, new byte[(int) MIB], TTL);
        assertTrue(store.load(a, TTL).isEmpty(), "the old value outlived a write that replaced it");
        assertArrayEquals(new byte[] {2}, store.load(b, TTL).orElseThrow());
        assertEquals(Footprint.of(b, 1), store.usedBytes());
    }

    @Test
    @DisplayName("the default byte bound is an eighth of Runtime.maxMemory(), and it is the bound enforced")
    void defaultBoundIsAnEighthOfTheHeap() {
        long expected = Runtime.getRuntime().maxMemory() / 8;
        assertTrue(expected > MemorySessionStore.MINIMUM_BYTES, "this test needs a heap above 8 MiB");
        assertEquals(expected, MemorySessionStore.defaultMaximumBytes());
        MemorySessionStore store = store(MemorySessionStore.builder());
        assertEquals(expected, store.maximumBytes());
        assertEquals(MemorySessionStore.DEFAULT_MAXIMUM_SIZE, store.maximumSize());

        int length = 990_000;
        long heaviest = weight(length);
        byte[] data = new byte[length];
        for (long written = 0; written < expected + 4 * heaviest; written += heaviest) {
            store.save(IDS.newId(), data, TTL);
        }
        assertTrue(store.usedBytes() <= expected, "weight " + store.usedBytes());
        assertTrue(store.usedBytes() > expected - heaviest, "over-evicted to " + store.usedBytes());
    }

    @Test
    @DisplayName("a session weighs its bytes, its id and the store's bookkeeping; under G1 large arrays weigh whole regions")
    void weights() {
        String id = IDS.newId();
        assertEquals(216 + 24 + 64 + Footprint.PER_ENTRY, Footprint.of(id, 200));
        assertEquals(448, Footprint.of(id, 200));
        long region = Footprint.g1Region();
        if (region > 0) {
            assertEquals(region, Footprint.byteArray(region / 2));
            assertEquals(2 * region, Footprint.byteArray(region));
        } else {
            assertEquals(16 + 600_000, Footprint.byteArray(600_000));
        }
        assertEquals(24, Footprint.byteArray(1), "an array is its header and its bytes, in 8-byte steps");
    }
}
