package dev.cookies.store.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.SessionEvent;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore.ExpiryListener;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The memory store tells its expiry listeners of sessions that expired, and of nothing else. */
class ExpiryEventsTest {

    private static final SessionIdGenerator IDS = SessionIdGenerator.secureRandom();
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final Duration WAIT = Duration.ofSeconds(20);

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

    /** An expiry as a listener saw it. */
    private record Expired(String id, byte[] data) {
    }

    /** A listener that keeps what it is told. */
    private static final class Recorder implements ExpiryListener {
        final List<Expired> seen = new CopyOnWriteArrayList<>();

        @Override
        public void expired(String id, Optional<byte[]> lastData) {
            seen.add(new Expired(id, lastData.orElseThrow()));
        }

        List<String> ids() {
            return seen.stream().map(Expired::id).collect(Collectors.toList());
        }
    }

    @Test
    @DisplayName("a session whose idle timeout ran out is reported once to each listener, with its last bytes, by the background clean-up alone")
    void idleExpiryReportedByTheSweeper() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        store.onExpiry(first);
        store.onExpiry(second);
        String idle = IDS.newId();
        String used = IDS.newId();
        store.save(idle, new byte[] {1, 2, 3}, Duration.ofMinutes(1));
        store.save(idle, new byte[] {4, 5, 6}, Duration.ofMinutes(1));
        store.save(used, new byte[] {7}, Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(50));
        assertTrue(store.load(used, Duration.ofMinutes(1)).isPresent());
        clock.advance(Duration.ofSeconds(20));

        // Nothing reads or writes the store from here: only the sweeper, run by its own thread and
        // reading the moved clock, can find the expiry.
        Await.until(WAIT, "the sweeper to report the expiry to both listeners",
                () -> first.seen.size() == 1 && second.seen.size() == 1);
        for (Recorder r : List.of(first, second)) {
            assertEquals(idle, r.seen.get(0).id());
            assertArrayEquals(new byte[] {4, 5, 6}, r.seen.get(0).data());
        }
        assertNotSame(first.seen.get(0).data(), second.seen.get(0).data(), "listeners share one array");

        store.cleanUp();
        assertTrue(store.load(idle, TTL).isEmpty());
        assertEquals(List.of(idle), first.ids(), "reported twice");
        assertEquals(List.of(idle), second.ids(), "reported twice");
    }

    @Test
    @DisplayName("an expiry found by a read, a touch, a listing, a write that needs room or a sweep is reported before the call returns")
    void expiryFoundOnAccess() {
        AtomicLong now = new AtomicLong();
        SessionTable table = new SessionTable(1L << 20, 3, now::get, Instant.EPOCH);
        Recorder recorder = new Recorder();
        table.onExpiry(recorder);
        for (String id : List.of("read", "touched", "listed")) {
            table.put(id, new byte[] {1}, false, 10);
        }
        table.index("alice", "listed", Instant.EPOCH);
        now.set(10);

        assertNull(table.get("read", 100, false));
        assertEquals(List.of("read"), recorder.ids());
        table.touch("touched", 100);
        assertEquals(List.of("read", "touched"), recorder.ids());
        assertEquals(List.of(), table.sessions("alice"));
        assertEquals(List.of("read", "touched", "listed"), recorder.ids());

        table.put("a", new byte[] {2}, false, 10);
        table.put("b", new byte[] {3}, false, 100);
        table.put("c", new byte[] {4}, false, 100);
        now.set(20);
        table.put("d", new byte[] {5}, false, 100);
        assertEquals(List.of("read", "touched", "listed", "a"), recorder.ids(), "room was made by dropping the expired one");

        now.set(200);
        table.sweep();
        assertEquals(List.of("read", "touched", "listed", "a", "b", "c", "d"), recorder.ids());
        assertEquals(0, table.size());
    }

    @Test
    @DisplayName("sessions evicted for a bound, deleted, replaced, too heavy to keep, or dropped at close are not reported")
    void onlyExpiriesAreReported() {
        MemorySessionStore store = store(MemorySessionStore.builder().maximumSize(2).maximumBytes(1L << 20));
        Recorder recorder = new Recorder();
        store.onExpiry(recorder);
        String evicted = IDS.newId();
        String deleted = IDS.newId();
        String kept = IDS.newId();
        store.save(evicted, new byte[] {1}, TTL);
        store.save(deleted, new byte[] {2}, TTL);
        store.save(kept, new byte[] {3}, TTL);
        assertTrue(store.load(evicted, TTL).isEmpty(), "test set-up: the size bound evicts");
        store.delete(deleted);
        store.save(kept, new byte[] {4}, TTL);
        store.save(kept, new byte[2 << 20], TTL);
        assertTrue(store.load(kept, TTL).isEmpty(), "test set-up: too heavy to keep");
        // Any report of these would have been made by the calls above, before they returned.
        assertEquals(List.of(), recorder.seen);

        String expires = IDS.newId();
        String closed = IDS.newId();
        store.save(expires, new byte[] {5}, Duration.ofMinutes(1));
        store.save(closed, new byte[] {6}, TTL);
        clock.advance(Duration.ofMinutes(2));
        Await.until(WAIT, "the sweeper to report the expired session", () -> !recorder.seen.isEmpty());
        store.close();
        assertEquals(List.of(expires), recorder.ids(), "the listener is live, and told of the expiry alone");
    }

    @Test
    @DisplayName("a listener that throws is logged at warn; the other listeners are still told, and the sweeper goes on")
    void throwingListener() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            MemorySessionStore store = store(MemorySessionStore.builder());
            store.onExpiry((id, data) -> {
                throw new IllegalStateException("listener broke on purpose");
            });
            Recorder recorder = new Recorder();
            store.onExpiry(recorder);
            String a = IDS.newId();
            String b = IDS.newId();
            String later = IDS.newId();
            store.save(a, new byte[] {1}, Duration.ofMinutes(1));
            store.save(b, new byte[] {2}, Duration.ofMinutes(1));
            store.save(later, new byte[] {3}, Duration.ofMinutes(5));
            clock.advance(Duration.ofMinutes(2));
            Await.until(WAIT, "both expiries to reach the second listener", () -> recorder.seen.size() == 2);
            clock.advance(Duration.ofMinutes(5));
            Await.until(WAIT, "the sweeper to go on after listeners threw", () -> recorder.seen.size() == 3);
            assertEquals(later, recorder.seen.get(2).id());

            String c = IDS.newId();
            store.save(c, new byte[] {4}, Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            // Whoever finds it, the reader gets an answer, not the listener's exception.
            assertTrue(store.load(c, TTL).isEmpty());
            Await.until(WAIT, "the expiry found by the read", () -> recorder.seen.size() == 4);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("an expiry listener"), log);
        assertTrue(log.contains("listener broke on purpose"), log);
    }

    @Test
    @DisplayName("listeners are called after the store's lock is released: another thread can use the store meanwhile")
    void listenersRunOutsideTheLock() {
        AtomicLong now = new AtomicLong();
        SessionTable table = new SessionTable(1L << 20, 100, now::get, Instant.EPOCH);
        List<Long> sizesSeen = new CopyOnWriteArrayList<>();
        table.onExpiry((id, data) -> {
            try {
                sizesSeen.add(CompletableFuture.supplyAsync(() -> {
                    table.put("written-meanwhile", new byte[] {9}, false, 1_000);
                    return table.size();
                }).get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("another thread could not use the store during a listener", e);
            }
        });
        table.put("a", new byte[] {1}, false, 10);
        now.set(10);
        assertNull(table.get("a", 10, false));
        assertEquals(List.of(1L), sizesSeen);
    }

    @Test
    @DisplayName("through the engine, two managers on one store: each session's expiry reaches its own manager's listeners, with the user")
    void throughTheEngine() {
        MemorySessionStore store = store(MemorySessionStore.builder());
        List<SessionEvent> sessionEvents = new CopyOnWriteArrayList<>();
        List<SessionEvent> authEvents = new CopyOnWriteArrayList<>();
        Sessions sessions = Sessions.of(
                SessionManager.builder("session").store(store).clock(clock).lockPolicy(LockPolicy.OFF)
                        .listener(sessionEvents::add).build(),
                SessionManager.builder("auth").store(store).clock(clock).lockPolicy(LockPolicy.OFF)
                        .listener(authEvents::add).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> {
            AuthSession.of(open.session("auth")).login("alice");
            open.session("session").update(s -> s.put("cart", 1));
        });
        assertEquals(1, sessions.manager("auth").sessions("alice").size());

        clock.advance(sessions.manager("auth").idleTimeout().plusMinutes(1));
        Await.until(WAIT, "both sessions' expiries to reach their managers", () ->
                expiries(authEvents).size() == 1 && expiries(sessionEvents).size() == 1);
        assertEquals(Optional.of("alice"), expiries(authEvents).get(0).principal());
        assertEquals(Optional.empty(), expiries(sessionEvents).get(0).principal());
        assertEquals(List.of(), sessions.manager("auth").sessions("alice"));
        assertEquals(0, store.indexedPrincipals());
    }

    private static List<SessionEvent> expiries(List<SessionEvent> events) {
        return events.stream().filter(e -> e.kind() == SessionEvent.Kind.EXPIRED).collect(Collectors.toList());
    }
}
