package dev.cookies.store.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.SessionIndex.Entry;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The memory store's index of sessions by user: what it lists, how it is bounded, what it costs. */
class MemorySessionIndexTest {

    private static final SessionIdGenerator IDS = SessionIdGenerator.secureRandom();
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final long MIB = 1L << 20;

    private final MutableClock clock = MutableClock.now();
    private final List<MemorySessionStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(MemorySessionStore::close);
    }

    private MemorySessionStore store(MemorySessionStore.Builder builder) {
        MemorySessionStore store = builder.clock(clock).build();
        stores.add(store);
        return store;
    }

    private static List<String> ids(List<Entry> entries) {
        return entries.stream().map(Entry::id).collect(Collectors.toList());
    }

    /** Saves a session and indexes it, as a login does. */
    private String login(MemorySessionStore store, String principal, int length) {
        String id = IDS.newId();
        store.save(id, new byte[length], TTL);
        store.index(principal, id, clock.instant(), TTL);
        return id;
    }

    @Test
    @DisplayName("a user's sessions are listed oldest created first, each last used at its latest read or write")
    void listsOldestFirstWithLastUse() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        Instant start = clock.instant();
        String laptop = IDS.newId();
        String phone = IDS.newId();
        store.save(laptop, new byte[] {1}, TTL);
        store.save(phone, new byte[] {2}, TTL);
        store.index("alice", laptop, start.plusSeconds(10), TTL);
        store.index("alice", phone, start, TTL);
        String bobs = login(store, "bob", 1);

        clock.advance(Duration.ofMinutes(1));
        assertTrue(store.load(laptop, TTL).isPresent());
        Instant read = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        store.save(phone, new byte[] {3}, TTL);
        Instant written = clock.instant();
        clock.advance(Duration.ofMinutes(1));

        assertEquals(List.of(new Entry(phone, start, written), new Entry(laptop, start.plusSeconds(10), read)),
                store.sessions("alice"));
        assertEquals(List.of(new Entry(bobs, start, start)), store.sessions("bob"), "indexed at login, not used since");
        assertEquals(List.of(), store.sessions("carol"));
    }

    @Test
    @DisplayName("listing is not a use: it neither slides the expiry nor saves a session from eviction")
    void listingIsNotAUse() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumSize(2));
        String alices = login(store, "alice", 1);
        String bobs = login(store, "bob", 1);
        clock.advance(Duration.ofMinutes(29));
        // Were listing a use, alice's session would now be more recently used than bob's.
        assertEquals(List.of(alices), ids(store.sessions("alice")));
        login(store, "carol", 1);
        assertEquals(List.of(), store.sessions("alice"), "listing saved the least recently used session from eviction");
        assertTrue(store.load(alices, TTL).isEmpty());
        assertEquals(List.of(bobs), ids(store.sessions("bob")));

        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), store.sessions("bob"), "listing slid the expiry");
    }

    @Test
    @DisplayName("unindex forgets only the pair given; a session indexed again moves to its new principal; a gone one is not indexed")
    void unindexMoveAndGone() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        String a = login(store, "alice", 1);
        String b = login(store, "alice", 1);
        store.unindex("bob", a);
        store.unindex("alice", IDS.newId());
        assertEquals(List.of(a, b), ids(store.sessions("alice")));

        store.unindex("alice", a);
        assertEquals(List.of(b), ids(store.sessions("alice")));
        assertTrue(store.load(a, TTL).isPresent(), "unindexing is not deleting");

        store.index("bob", b, clock.instant(), TTL);
        assertEquals(List.of(), store.sessions("alice"));
        assertEquals(List.of(b), ids(store.sessions("bob")));
        assertEquals(1, store.indexedPrincipals(), "alice's empty record is gone");

        store.index("carol", IDS.newId(), clock.instant(), TTL);
        String expired = IDS.newId();
        store.save(expired, new byte[] {1}, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        store.index("carol", expired, clock.instant(), TTL);
        assertEquals(List.of(), store.sessions("carol"), "a session the store no longer has was indexed");
        assertEquals(1, store.indexedSessions());
        assertEquals(store.recount(), store.usedBytes());
    }

    @Test
    @DisplayName("a session deleted, expired or evicted takes its index entry along: 20,000 users through a store of 1,000 leave 1,000 entries, then none")
    void boundedByTheStore() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumSize(1_000));
        for (int i = 0; i < 20_000; i++) {
            String id = login(store, "user-" + i + "@example.com", 100);
            if (i % 10 == 0) {
                store.delete(id);
            }
            assertTrue(store.indexedSessions() <= 1_000, "index entries " + store.indexedSessions());
        }
        assertEquals(1_000, store.estimatedSize());
        assertEquals(1_000, store.indexedSessions(), "one entry per stored session, and no more");
        assertEquals(1_000, store.indexedPrincipals());
        assertEquals(store.recount(), store.usedBytes());

        // Expiry, found by the clean-up alone: nobody lists these users again.
        clock.advance(TTL.plusSeconds(1));
        store.cleanUp();
        assertEquals(0, store.estimatedSize());
        assertEquals(0, store.indexedSessions());
        assertEquals(0, store.indexedPrincipals());
        assertEquals(0, store.indexBytes());
        assertEquals(0, store.usedBytes());
    }

    @Test
    @DisplayName("the index is weighed in the byte bound: an entry and a principal's record, and the bound holds with long principals")
    void weighedInTheByteBound() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(MIB));
        String principal = "alice@example.com";
        String id = login(store, principal, 200);
        assertEquals(Footprint.INDEX_ENTRY + Footprint.principal(principal), store.indexBytes());
        assertEquals(Footprint.of(id, 200) + Footprint.INDEX_ENTRY + Footprint.principal(principal), store.usedBytes());
        login(store, principal, 200);
        assertEquals(2 * Footprint.INDEX_ENTRY + Footprint.principal(principal), store.indexBytes(),
                "a principal's record is counted once");
        assertTrue(Footprint.principal("\u0142".repeat(100)) > Footprint.principal("\u00e9".repeat(100)),
                "a name outside Latin-1 takes two bytes a character");

        String longName = "x".repeat(10_000);
        for (int i = 0; i < 2_000; i++) {
            login(store, longName + i, 100);
            assertTrue(store.usedBytes() <= MIB, "weight " + store.usedBytes() + " after login " + i);
        }
        assertTrue(store.indexBytes() > MIB / 2, "the index is most of the weight here: " + store.indexBytes());
        assertEquals(store.recount(), store.usedBytes());
        assertTrue(store.indexedPrincipals() < 100, "principals kept: " + store.indexedPrincipals());
    }

    @Test
    @DisplayName("a login that takes the store over the byte bound evicts the least recently used session, never the one indexed")
    void indexingEvicts() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(MIB));
        String longest = "y".repeat(20_000);
        String indexed = IDS.newId();
        store.save(indexed, new byte[100], TTL);
        List<String> others = new ArrayList<>();
        long room = MIB - Footprint.of(indexed, 100) - Footprint.INDEX_ENTRY - Footprint.principal(longest);
        while (room >= Footprint.of(indexed, 1_000)) {
            String id = IDS.newId();
            store.save(id, new byte[1_000], TTL);
            others.add(id);
            room -= Footprint.of(id, 1_000);
        }
        // Fill up to the byte, so that the index entry cannot fit without an eviction.
        long spare = MIB - store.usedBytes() - Footprint.of(indexed, 0);
        String filler = IDS.newId();
        store.save(filler, new byte[(int) Math.max(0, spare - 24)], TTL);
        assertTrue(MIB - store.usedBytes() < Footprint.INDEX_ENTRY + Footprint.principal(longest), "test set-up");
        assertEquals(others.size() + 2, store.estimatedSize());

        store.index(longest, indexed, clock.instant(), TTL);
        assertTrue(store.usedBytes() <= MIB);
        assertEquals(List.of(indexed), ids(store.sessions(longest)));
        assertTrue(store.load(others.get(0), TTL).isEmpty(), "the least recently used session stayed");
        assertTrue(store.load(filler, TTL).isPresent(), "more was evicted than needed");
        assertEquals(store.recount(), store.usedBytes());
    }

    @Test
    @DisplayName("a session too heavy to keep with its index entry: not indexed at login, not kept when rewritten")
    void tooHeavyWithItsEntry() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(MIB));
        String huge = "z".repeat(600_000);
        String id = IDS.newId();
        store.save(id, new byte[500_000], TTL);
        store.index(huge, id, clock.instant(), TTL);
        assertEquals(List.of(), store.sessions(huge));
        assertEquals(500_000, store.load(id, TTL).orElseThrow().length, "the session is kept, unindexed");

        String large = "w".repeat(300_000);
        String other = login(store, large, 1_000);
        assertEquals(List.of(other), ids(store.sessions(large)));
        store.save(other, new byte[800_000], TTL);
        assertTrue(store.load(other, TTL).isEmpty(), "kept though it does not fit with its index entry");
        assertEquals(List.of(), store.sessions(large));
        assertEquals(0, store.indexedPrincipals());
        assertEquals(store.recount(), store.usedBytes());
    }

    @Test
    @DisplayName("reads, writes, touches, locks and deletes of sessions that are not indexed do no index work")
    void noIndexWorkOnOrdinaryUse() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        String indexed = login(store, "alice", 10);
        String plain = IDS.newId();
        long before = store.indexWork();
        for (int i = 0; i < 1_000; i++) {
            store.save(plain, new byte[] {(byte) i}, TTL);
            assertArrayEquals(new byte[] {(byte) i}, store.load(plain, TTL).orElseThrow());
            store.touch(plain, TTL);
            try (StoreLock lock = store.lock(plain, TTL, Duration.ofSeconds(1))) {
                lock.save(new byte[] {(byte) -i}, TTL);
            }
            String once = IDS.newId();
            store.save(once, new byte[] {1}, TTL);
            store.delete(once);
        }
        assertEquals(before, store.indexWork(), "ordinary use of sessions that are not indexed worked on the index");

        // The counter does see work: a read of the indexed session records its use.
        store.load(indexed, TTL);
        assertTrue(store.indexWork() > before);
    }

    @Test
    @DisplayName("through the engine, requests of a session that is not logged in do no index work either")
    void noIndexWorkThroughTheEngine() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        Sessions sessions = Sessions.of(SessionManager.builder("auth").store(store).clock(clock)
                .lockPolicy(LockPolicy.OFF).build());
        FakeBrowser user = new FakeBrowser(sessions);
        user.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));
        FakeBrowser visitor = new FakeBrowser(sessions);
        long before = store.indexWork();
        for (int i = 0; i < 50; i++) {
            int n = i;
            visitor.request("POST", open -> open.session("auth").update(s -> s.put("cart", n)));
            visitor.request("GET", open -> assertEquals(n, open.session("auth").get("cart", Integer.class).orElseThrow()));
        }
        assertEquals(before, store.indexWork());
        assertEquals(1, store.indexedSessions());
    }

    @Test
    @DisplayName("under concurrent logins, logouts, reads and evictions the index stays consistent and within the bounds")
    void concurrentUse() throws Exception {
        long bound = 2 * MIB;
        MemorySessionStore store = store(MemorySessionStore.builder().maximumBytes(bound).maximumSize(300));
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                work.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 3_000; i++) {
                        String principal = "user-" + random.nextInt(50);
                        switch (random.nextInt(6)) {
                            case 0:
                            case 1:
                                String id = IDS.newId();
                                store.save(id, new byte[random.nextInt(20_000)], TTL);
                                store.index(principal, id, Instant.ofEpochSecond(i), TTL);
                                mine.add(id);
                                break;
                            case 2:
                                if (!mine.isEmpty()) {
                                    String gone = mine.remove(random.nextInt(mine.size()));
                                    store.delete(gone);
                                    store.unindex(principal, gone);
                                }
                                break;
                            case 3:
                                for (Entry e : store.sessions(principal)) {
                                    store.load(e.id(), TTL);
                                }
                                break;
                            default:
                                if (!mine.isEmpty()) {
                                    store.save(mine.get(random.nextInt(mine.size())), new byte[random.nextInt(20_000)], TTL);
                                }
                        }
                        assertTrue(store.usedBytes() <= bound);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(store.recount(), store.usedBytes());
        assertTrue(store.indexedSessions() <= store.estimatedSize());
        assertTrue(store.indexedPrincipals() <= 50);
    }
}
