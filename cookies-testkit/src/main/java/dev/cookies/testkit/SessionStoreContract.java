package dev.cookies.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.StoreLock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ServerSideStore} must meet. A store module runs it with a subclass of
 * about ten lines:
 *
 * <pre>{@code
 * class MemorySessionStoreContractTest extends SessionStoreContract {
 *     protected ServerSideStore createStore(MutableClock clock) {
 *         return MemorySessionStore.builder().clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Stores whose expiry the given clock drives (in-process stores) are tested by moving the clock;
 * stores that keep their own time (Redis) override {@link #clockDrivesExpiry()} and are tested with
 * short real timeouts. Stores that lock across application instances override
 * {@link #locksAcrossInstances()}, and {@link #createStore} must then return independent instances
 * (separate connections) that share the data, as two application instances would.
 *
 * @since 0.1
 */
public abstract class SessionStoreContract {

    private final List<ServerSideStore> stores = new ArrayList<>();
    private MutableClock clock;
    private ServerSideStore store;

    /**
     * Creates a store under test. Called once before each test, and again when a test needs a second
     * instance.
     *
     * @param clock the clock the store should use for expiry, if it can
     * @return a new store, sharing its data with the other instances this test created
     */
    protected abstract ServerSideStore createStore(MutableClock clock);

    /**
     * Returns whether moving the clock given to {@link #createStore} expires entries.
     *
     * @return {@code true} by default
     */
    protected boolean clockDrivesExpiry() {
        return true;
    }

    /**
     * Returns whether two instances from {@link #createStore} exclude each other when locking the
     * same id.
     *
     * @return {@code false} by default
     */
    protected boolean locksAcrossInstances() {
        return false;
    }

    /**
     * Returns the id generator whose ids the store receives.
     *
     * @return the default generator
     */
    protected SessionIdGenerator ids() {
        return SessionIdGenerator.secureRandom();
    }

    @BeforeEach
    final void createFirstStore() {
        clock = MutableClock.now();
        store = newStore();
    }

    @AfterEach
    final void closeStores() {
        for (ServerSideStore s : stores) {
            s.close();
        }
        stores.clear();
    }

    /**
     * Returns another instance of the store under test, closed after the test.
     *
     * @return a new instance
     */
    protected final ServerSideStore newStore() {
        ServerSideStore s = createStore(clock);
        stores.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    private static final Duration LONG = Duration.ofMinutes(10);

    @Test
    @DisplayName("an unknown id loads nothing")
    void unknownIdLoadsNothing() {
        assertTrue(store.load(ids().newId(), LONG).isEmpty());
    }

    @Test
    @DisplayName("a saved session loads back byte for byte")
    void saveThenLoad() {
        String id = ids().newId();
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        store.save(id, data, LONG);
        assertArrayEquals(data, store.load(id, LONG).orElseThrow());
    }

    @Test
    @DisplayName("a save replaces the previous value")
    void saveReplaces() {
        String id = ids().newId();
        store.save(id, bytes("{\"a\":1}"), LONG);
        store.save(id, bytes("{\"a\":2}"), LONG);
        assertEquals("{\"a\":2}", text(store.load(id, LONG)));
    }

    @Test
    @DisplayName("a deleted session loads nothing, and deleting an unknown id does nothing")
    void delete() {
        String id = ids().newId();
        String other = ids().newId();
        store.save(id, bytes("x"), LONG);
        store.save(other, bytes("y"), LONG);
        store.delete(id);
        store.delete(ids().newId());
        assertTrue(store.load(id, LONG).isEmpty());
        assertEquals("y", text(store.load(other, LONG)));
    }

    @Test
    @DisplayName("stored copies are isolated from the arrays passed in and handed out")
    void isolation() {
        String id = ids().newId();
        byte[] data = bytes("original");
        store.save(id, data, LONG);
        data[0] = 'X';
        byte[] loaded = store.load(id, LONG).orElseThrow();
        assertEquals("original", new String(loaded, StandardCharsets.UTF_8));
        loaded[0] = 'Y';
        assertEquals("original", text(store.load(id, LONG)));
    }

    @Test
    @DisplayName("an entry expires at its own TTL without being read")
    void expiresAtTtl() {
        String shortLived = ids().newId();
        String longLived = ids().newId();
        Duration ttl = clockDrivesExpiry() ? Duration.ofMinutes(5) : Duration.ofSeconds(1);
        long start = System.nanoTime();
        store.save(shortLived, bytes("short"), ttl);
        store.save(longLived, bytes("long"), LONG);
        if (clockDrivesExpiry()) {
            clock.advance(ttl.plusSeconds(1));
        } else {
            // Nothing may read the entry meanwhile: a read would slide its expiry.
            waitUntilElapsed(start, ttl.plusMillis(1500));
        }
        assertTrue(store.load(shortLived, LONG).isEmpty(), "expired entry still loads");
        assertEquals("long", text(store.load(longLived, LONG)));
    }

    @Test
    @DisplayName("load slides the expiry to the TTL it is given")
    void loadSlidesExpiry() {
        String id = ids().newId();
        if (clockDrivesExpiry()) {
            store.save(id, bytes("v"), Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(8));
            assertTrue(store.load(id, Duration.ofMinutes(10)).isPresent());
            clock.advance(Duration.ofMinutes(8));
            assertTrue(store.load(id, Duration.ofMinutes(10)).isPresent(), "a read did not slide the expiry");
            clock.advance(Duration.ofMinutes(11));
            assertTrue(store.load(id, Duration.ofMinutes(10)).isEmpty());
        } else {
            long start = System.nanoTime();
            store.save(id, bytes("v"), Duration.ofSeconds(1));
            assertTrue(store.load(id, Duration.ofMinutes(1)).isPresent());
            waitUntilElapsed(start, Duration.ofMillis(2500));
            assertTrue(store.load(id, Duration.ofMinutes(1)).isPresent(), "a read did not slide the expiry");
        }
    }

    @Test
    @DisplayName("touch sets an entry's expiry without changing it, and ignores unknown ids")
    void touch() {
        String id = ids().newId();
        store.touch(ids().newId(), LONG);
        if (clockDrivesExpiry()) {
            store.save(id, bytes("v"), Duration.ofMinutes(1));
            store.touch(id, Duration.ofMinutes(30));
            clock.advance(Duration.ofMinutes(20));
            assertEquals("v", text(store.load(id, Duration.ofMinutes(30))));
            store.touch(id, Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            assertTrue(store.load(id, LONG).isEmpty());
        } else {
            long start = System.nanoTime();
            store.save(id, bytes("v"), Duration.ofSeconds(1));
            store.touch(id, Duration.ofMinutes(1));
            waitUntilElapsed(start, Duration.ofMillis(2500));
            assertEquals("v", text(store.load(id, LONG)));
            long touched = System.nanoTime();
            store.touch(id, Duration.ofSeconds(1));
            waitUntilElapsed(touched, Duration.ofMillis(2500));
            assertTrue(store.load(id, LONG).isEmpty(), "touch did not shorten the expiry");
        }
    }

    @Test
    @DisplayName("concurrent saves of many ids all land")
    void concurrentSavesOfManyIds() throws Exception {
        int threads = 8;
        int perThread = 50;
        List<List<String>> idsByThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(ids().newId());
            }
            idsByThread.add(mine);
        }
        runConcurrently(threads, t -> {
            for (String id : idsByThread.get(t)) {
                store.save(id, bytes(id), LONG);
            }
        });
        for (List<String> mine : idsByThread) {
            for (String id : mine) {
                assertEquals(id, text(store.load(id, LONG)));
            }
        }
    }

    @Test
    @DisplayName("concurrent saves of one id leave exactly one of the values written")
    void concurrentSavesOfOneId() throws Exception {
        String id = ids().newId();
        int threads = 8;
        Set<String> written = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            written.add("value-" + t + "-" + "x".repeat(1000 + t));
        }
        List<String> values = new ArrayList<>(written);
        runConcurrently(threads, t -> {
            for (int i = 0; i < 20; i++) {
                store.save(id, bytes(values.get(t)), LONG);
            }
        });
        assertTrue(written.contains(text(store.load(id, LONG))), "the stored value is not one that was written");
    }

    @Test
    @DisplayName("a lock reads the current value, and saving through it writes and releases")
    void lockReadsAndSaves() {
        String id = ids().newId();
        store.save(id, bytes("before"), LONG);
        try (StoreLock lock = store.lock(id, LONG, Duration.ofSeconds(5))) {
            assertEquals("before", text(lock.data()));
            lock.save(bytes("after"), LONG);
        }
        assertEquals("after", text(store.load(id, LONG)));
        try (StoreLock again = store.lock(id, LONG, Duration.ofSeconds(5))) {
            assertEquals("after", text(again.data()), "the lock was not released by save");
        }
    }

    @Test
    @DisplayName("a lock on an unknown id reads nothing; deleting through a lock deletes")
    void lockDeletes() {
        String unknown = ids().newId();
        try (StoreLock lock = store.lock(unknown, LONG, Duration.ofSeconds(5))) {
            assertTrue(lock.data().isEmpty());
        }
        String id = ids().newId();
        store.save(id, bytes("v"), LONG);
        try (StoreLock lock = store.lock(id, LONG, Duration.ofSeconds(5))) {
            lock.delete();
        }
        assertTrue(store.load(id, LONG).isEmpty());
        try (StoreLock lock = store.lock(id, LONG, Duration.ofSeconds(5))) {
            assertTrue(lock.data().isEmpty(), "the lock was not released by delete");
        }
    }

    @Test
    @DisplayName("closing a lock without saving leaves the value as it was")
    void lockCloseWithoutSave() {
        String id = ids().newId();
        store.save(id, bytes("v"), LONG);
        StoreLock lock = store.lock(id, LONG, Duration.ofSeconds(5));
        lock.close();
        lock.close();
        assertEquals("v", text(store.load(id, LONG)));
    }

    @Test
    @DisplayName("across instances, a held lock excludes the same id and not another id")
    void lockAcrossInstances() {
        if (!locksAcrossInstances()) {
            // In-process stores rely on the core's lock table, tested by the manager test below.
            assertFalse(locksAcrossInstances());
            return;
        }
        ServerSideStore other = newStore();
        String a = ids().newId();
        String b = ids().newId();
        store.save(a, bytes("a"), LONG);
        try (StoreLock held = store.lock(a, LONG, Duration.ofSeconds(5))) {
            assertThrows(SessionLockTimeoutException.class, () -> other.lock(a, LONG, Duration.ofMillis(200)).close());
            try (StoreLock onB = other.lock(b, LONG, Duration.ofMillis(200))) {
                assertTrue(onB.data().isEmpty());
            }
        }
        try (StoreLock after = other.lock(a, LONG, Duration.ofSeconds(5))) {
            assertEquals("a", text(after.data()));
        }
    }

    @Test
    @DisplayName("through the session engine, 32 threads x 200 locked increments end at exactly 6400")
    void lockedIncrementsThroughTheEngine() throws Exception {
        boolean twoInstances = locksAcrossInstances();
        Sessions first = Sessions.of(manager(store));
        // Stores that lock across instances are driven from two, as two application instances would.
        Sessions other = twoInstances ? Sessions.of(manager(newStore())) : first;
        FakeBrowser creator = new FakeBrowser(first);
        creator.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
        String cookie = creator.cookieHeader().orElseThrow();
        runConcurrently(32, t -> {
            Sessions mine = t % 2 == 0 ? first : other;
            for (int i = 0; i < 200; i++) {
                var open = mine.open(FakeExchange.request("POST").header("Cookie", cookie));
                open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
                open.end(null);
            }
        });
        var check = first.open(FakeExchange.request("GET").header("Cookie", cookie));
        assertEquals(6400, check.session("session").get("count", Integer.class).orElseThrow());
    }

    private SessionManager manager(ServerSideStore s) {
        return SessionManager.builder("session").store(s).clock(clock).lockWait(Duration.ofSeconds(60))
                .lockPolicy(LockPolicy.STRICT).build();
    }

    /** Runs a body on n threads started together, failing with the first exception any threw. */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The body of one thread in {@link #runConcurrently}. */
    @FunctionalInterface
    protected interface ThreadBody {
        /**
         * Runs.
         *
         * @param thread the thread's index
         * @throws Exception anything
         */
        void run(int thread) throws Exception;
    }

    private static void waitUntilElapsed(long startNanos, Duration elapsed) {
        long until = startNanos + elapsed.toNanos();
        while (System.nanoTime() - until < 0) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    @Test
    @DisplayName("a record user logged in through the engine reads back typed, after the id changes")
    void recordUserRoundTrips() {
        ContractScenarios.recordUserRoundTrips(store, clock);
    }

    @Test
    @DisplayName("java.time, Optional, UUID, BigDecimal (1e999 too), enums, records, lists and maps of them round-trip, typed")
    void appTypesRoundTrip() {
        ContractScenarios.appTypesRoundTrip(store, clock);
    }

    // ---------------------------------------------------------------- compare-and-set

    /**
     * A store that can compare-and-set ({@link dev.cookies.spi.ConditionalStore}): the write behind a
     * read followed by an update. It must never write over a change it did not see, nor through a lock.
     */
    @Nested
    @DisplayName("compare-and-set")
    class CompareAndSet {

        private dev.cookies.spi.ConditionalStore conditional(ServerSideStore s) {
            return (dev.cookies.spi.ConditionalStore) s;
        }

        private boolean offered() {
            return store instanceof dev.cookies.spi.ConditionalStore;
        }

        @Test
        @DisplayName("replace writes onto exactly the bytes expected, and refuses other bytes and unknown ids")
        void replaceOntoExpected() {
            if (!offered()) {
                assertFalse(store instanceof dev.cookies.spi.ConditionalStore);
                return;
            }
            String id = ids().newId();
            store.save(id, bytes("one"), LONG);
            assertTrue(conditional(store).replace(id, bytes("one"), bytes("two"), LONG));
            assertEquals("two", text(store.load(id, LONG)));
            assertFalse(conditional(store).replace(id, bytes("one"), bytes("three"), LONG), "stale bytes");
            assertEquals("two", text(store.load(id, LONG)));
            String unknown = ids().newId();
            assertFalse(conditional(store).replace(unknown, bytes("two"), bytes("x"), LONG));
            assertTrue(store.load(unknown, LONG).isEmpty(), "a refused replace created the entry");
        }

        @Test
        @DisplayName("replace sets the expiry it is given")
        void replaceSetsExpiry() {
            if (!offered() || !clockDrivesExpiry()) {
                return;
            }
            String id = ids().newId();
            store.save(id, bytes("one"), LONG);
            assertTrue(conditional(store).replace(id, bytes("one"), bytes("two"), Duration.ofMinutes(1)));
            clock.advance(Duration.ofSeconds(61));
            assertTrue(store.load(id, LONG).isEmpty());
        }

        @Test
        @DisplayName("replace compares large sessions exactly too: one byte changed in 64 KB is refused")
        void replaceLarge() {
            if (!offered()) {
                return;
            }
            String id = ids().newId();
            byte[] big = new byte[64 * 1024];
            java.util.Arrays.fill(big, (byte) 'a');
            store.save(id, big, LONG);
            byte[] almost = big.clone();
            almost[almost.length / 2] = 'b';
            assertFalse(conditional(store).replace(id, almost, bytes("no"), LONG));
            assertTrue(conditional(store).replace(id, big, bytes("yes"), LONG));
            assertEquals("yes", text(store.load(id, LONG)));
        }

        @Test
        @DisplayName("replace refuses while any instance holds the session's lock, and works once it is released")
        void replaceRespectsTheLock() {
            if (!offered() || !locksAcrossInstances()) {
                return;
            }
            ServerSideStore other = newStore();
            String id = ids().newId();
            store.save(id, bytes("one"), LONG);
            try (StoreLock held = other.lock(id, LONG, Duration.ofSeconds(5))) {
                assertFalse(conditional(store).replace(id, bytes("one"), bytes("two"), LONG));
                assertFalse(conditional(other).replace(id, bytes("one"), bytes("two"), LONG), "not even by the holder's instance");
            }
            assertEquals("one", text(store.load(id, LONG)));
            assertTrue(conditional(store).replace(id, bytes("one"), bytes("two"), LONG));
        }

        @Test
        @DisplayName("through the engine, 32 threads x 200 read-then-increment on two instances, half in lock() blocks, end at exactly 6400")
        void readThenIncrementThroughTheEngine() throws Exception {
            if (!offered()) {
                return;
            }
            Sessions first = Sessions.of(manager(store));
            Sessions other = locksAcrossInstances() ? Sessions.of(manager(newStore())) : first;
            FakeBrowser creator = new FakeBrowser(first);
            creator.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
            String cookie = creator.cookieHeader().orElseThrow();
            runConcurrently(32, t -> {
                Sessions mine = t % 2 == 0 ? first : other;
                for (int i = 0; i < 200; i++) {
                    var open = mine.open(FakeExchange.request("POST").header("Cookie", cookie));
                    var session = open.session("session");
                    session.get("count").orElseThrow();
                    if (t % 4 < 2) {
                        session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
                    } else {
                        try (var locked = session.lock()) {
                            locked.put("count", locked.get("count", Integer.class).orElse(0) + 1);
                        }
                    }
                    open.end(null);
                }
            });
            var check = first.open(FakeExchange.request("GET").header("Cookie", cookie));
            assertEquals(6400, check.session("session").get("count", Integer.class).orElseThrow());
        }
    }

    // ---------------------------------------------------------------- the per-user index

    /** Who is signed in where, on a store that indexes sessions by user ({@link dev.cookies.spi.SessionIndex}). */
    @Nested
    @DisplayName("sessions by user")
    class ByUser {

        private boolean indexes() {
            return store instanceof dev.cookies.spi.SessionIndex;
        }

        private Sessions auth(java.util.function.Consumer<SessionManager.Builder> change) {
            SessionManager.Builder b = SessionManager.builder("auth").store(store).clock(clock).lockPolicy(LockPolicy.OFF);
            change.accept(b);
            return Sessions.of(b.build());
        }

        private dev.cookies.AuthSession auth(dev.cookies.OpenSessions open) {
            return dev.cookies.AuthSession.of(open.session("auth"));
        }

        /** Lets time pass between uses, so that "least recently used" is well defined on stores that keep their own time. */
        private void tick() {
            clock.advance(Duration.ofSeconds(5));
            if (!clockDrivesExpiry()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
            }
        }

        @Test
        @DisplayName("three clients of one user are listed three times; sign out everywhere ends them all, not another user's")
        void everywhere() {
            if (!indexes()) {
                Sessions sessions = auth(b -> { });
                FakeBrowser browser = new FakeBrowser(sessions);
                browser.request("POST", open -> auth(open).login("alice"));
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> browser.request("GET", open -> auth(open).sessions()));
                assertTrue(e.getMessage().contains("keeps no index"), e.getMessage());
                assertEquals("maxSessionsPerUser", assertThrows(dev.cookies.SessionConfigException.class,
                        () -> auth(b -> b.maxSessionsPerUser(2))).setting());
                return;
            }
            Sessions sessions = auth(b -> { });
            List<FakeBrowser> clients = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
            for (FakeBrowser c : clients) {
                c.request("POST", open -> auth(open).login("alice@example.com"));
                tick();
            }
            FakeBrowser bob = new FakeBrowser(sessions);
            bob.request("POST", open -> auth(open).login("bob"));
            List<dev.cookies.SessionInfo> listed = new ArrayList<>();
            clients.get(0).request("GET", open -> listed.addAll(auth(open).sessions()));
            assertEquals(3, listed.size(), listed::toString);
            assertEquals(1, listed.stream().filter(dev.cookies.SessionInfo::current).count(), listed::toString);
            Set<String> handles = new HashSet<>();
            listed.forEach(i -> handles.add(i.handle()));
            assertEquals(3, handles.size(), "one handle per session");

            clients.get(1).request("POST", open -> auth(open).signOutEverywhere());
            for (FakeBrowser c : clients) {
                c.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "still logged in after sign out everywhere"));
            }
            assertEquals(List.of(), sessions.manager("auth").sessions("alice@example.com"));
            bob.request("GET", open -> assertTrue(auth(open).isLoggedIn(), "another user was signed out"));
        }

        @Test
        @DisplayName("sign out everywhere else keeps exactly the caller's session")
        void everywhereElse() {
            if (!indexes()) {
                return; // see everywhere(): listing fails clearly, the cap fails at build
            }
            Sessions sessions = auth(b -> { });
            List<FakeBrowser> clients = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
            clients.forEach(c -> c.request("POST", open -> auth(open).login("alice")));
            clients.get(1).request("POST", open -> auth(open).signOutEverywhereElse());
            clients.get(0).request("GET", open -> assertFalse(auth(open).isLoggedIn()));
            clients.get(2).request("GET", open -> assertFalse(auth(open).isLoggedIn()));
            clients.get(1).request("GET", open -> assertTrue(auth(open).isLoggedIn()));
            List<dev.cookies.SessionInfo> left = sessions.manager("auth").sessions("alice");
            assertEquals(1, left.size(), left::toString);
        }

        @Test
        @DisplayName("with a cap of 2, a third login ends the least recently used session")
        void cap() {
            if (!indexes()) {
                return; // see everywhere(): the cap fails at build
            }
            Sessions sessions = auth(b -> b.maxSessionsPerUser(2));
            FakeBrowser a = new FakeBrowser(sessions);
            FakeBrowser b = new FakeBrowser(sessions);
            FakeBrowser c = new FakeBrowser(sessions);
            a.request("POST", open -> auth(open).login("alice"));
            tick();
            b.request("POST", open -> auth(open).login("alice"));
            tick();
            a.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
            tick();
            c.request("POST", open -> auth(open).login("alice"));
            b.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "the least recently used session survived"));
            a.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
            c.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        }

        @Test
        @DisplayName("a session that expired drops out of its user's list")
        void expiredDropOut() {
            if (!indexes()) {
                return; // see everywhere()
            }
            Duration idle = clockDrivesExpiry() ? Duration.ofMinutes(30) : Duration.ofSeconds(1);
            Sessions sessions = auth(b -> b.idleTimeout(idle));
            FakeBrowser stays = new FakeBrowser(sessions);
            FakeBrowser leaves = new FakeBrowser(sessions);
            leaves.request("POST", open -> auth(open).login("alice"));
            assertEquals(1, sessions.manager("auth").sessions("alice").size());
            if (clockDrivesExpiry()) {
                clock.advance(idle.plusSeconds(1));
                assertEquals(List.of(), sessions.manager("auth").sessions("alice"));
            } else {
                // Listing must not slide the expiry it checks: poll it until the store's own clock ends it.
                Await.until(Duration.ofSeconds(10), "the expired session to drop out of the list",
                        () -> sessions.manager("auth").sessions("alice").isEmpty());
            }
            stays.request("POST", open -> auth(open).login("alice"));
            assertEquals(1, sessions.manager("auth").sessions("alice").size());
        }
    }
}
