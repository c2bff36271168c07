package dev.cookies.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockedSession;
import dev.cookies.LoginOptions;
import dev.cookies.OpenSessions;
import dev.cookies.SessionEvent;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.SessionManager;
import dev.cookies.SessionTooLargeException;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.store.memory.MemorySessionStore;
import dev.cookies.testkit.DeadStores;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import dev.cookies.testkit.MutableClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The meters against the real engine: session managers on the memory store, driven request by request
 * through the test kit's browser, with the store's calls and the events counted independently.
 */
class SessionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionMetrics metrics = SessionMetrics.of(registry);
    /** What an independent listener heard, to hold the counters against. */
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    private final List<MemorySessionStore> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(MemorySessionStore::close);
    }

    /** A store that counts the calls that reach it, by method. */
    static final class CountingStore implements ServerSideStore {
        final ServerSideStore inner;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        CountingStore(ServerSideStore inner) {
            this.inner = inner;
        }

        int calls(String method) {
            AtomicInteger n = calls.get(method);
            return n == null ? 0 : n.get();
        }

        private void count(String method) {
            calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public Optional<byte[]> load(String id, Duration ttl) {
            count("load");
            return inner.load(id, ttl);
        }

        @Override
        public void save(String id, byte[] data, Duration ttl) {
            count("save");
            inner.save(id, data, ttl);
        }

        @Override
        public void delete(String id) {
            count("delete");
            inner.delete(id);
        }

        @Override
        public void touch(String id, Duration ttl) {
            count("touch");
            inner.touch(id, ttl);
        }

        @Override
        public String description() {
            return "counting memory";
        }
    }

    private CountingStore memory() {
        MemorySessionStore store = MemorySessionStore.create();
        opened.add(store);
        return new CountingStore(store);
    }

    /** A manager observed by the metrics and by the independent listener. */
    private SessionManager.Builder manager(String name, ServerSideStore store) {
        return SessionManager.builder(name).store(store).observer(metrics).listener(metrics).listener(events::add);
    }

    private double counter(String name, String session) {
        return registry.get(name).tag("session", session).counter().count();
    }

    private long heard(SessionEvent.Kind kind, String session) {
        return events.stream().filter(e -> e.kind() == kind && e.sessionName().equals(session)).count();
    }

    /** A store call timer's count, 0 if it was never registered. */
    private long calls(String session, String operation, String outcome) {
        Timer t = registry.find("cookies.store.calls")
                .tags("session", session, "operation", operation, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    private Timer lockWait(String session, String outcome) {
        return registry.get("cookies.lock.wait").tags("session", session, "outcome", outcome).timer();
    }

    /**
     * Runs one request as an adapter does, without throwing the handler's failure on: the exchange
     * shows what the core answered.
     */
    private static FakeExchange answer(Sessions sessions, Optional<String> cookies, Consumer<OpenSessions> handler) {
        FakeExchange exchange = FakeExchange.request("POST");
        cookies.ifPresent(c -> exchange.header("Cookie", c));
        OpenSessions open = sessions.open(exchange);
        try {
            handler.accept(open);
            open.beforeCommit();
        } catch (RuntimeException e) {
            open.end(e);
            return exchange;
        }
        open.end(null);
        return exchange;
    }

    private static void put(OpenSessions open, String session, String key, Object value) {
        open.session(session).update(s -> s.put(key, value));
    }

    @Nested
    @DisplayName("session events")
    class Events {

        @Test
        @DisplayName("three new sessions count three created, as the listener heard, and nothing else")
        void created() {
            Sessions sessions = Sessions.of(manager("session", memory()).build());
            for (int i = 0; i < 3; i++) {
                new FakeBrowser(sessions).request("POST", open -> put(open, "session", "n", 1));
            }
            new FakeBrowser(sessions).request("GET", open -> open.session("session").get("n"));

            assertEquals(3, counter("cookies.sessions.created", "session"));
            assertEquals(3, heard(SessionEvent.Kind.CREATED, "session"));
            for (String other : List.of("cookies.sessions.invalidated", "cookies.sessions.expired", "cookies.sessions.logged.in",
                    "cookies.sessions.logged.out", "cookies.sessions.id.changed", "cookies.sessions.too.large")) {
                assertEquals(0, counter(other, "session"), other + " is registered at zero once the session is seen");
            }
        }

        @Test
        @DisplayName("a login on an anonymous session counts one login and one id change; a logout one logout and one invalidation")
        void loginLogout() {
            Sessions sessions = Sessions.of(manager("auth", memory()).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", open -> put(open, "auth", "cart", 1));
            browser.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));

            assertEquals(1, counter("cookies.sessions.created", "auth"));
            assertEquals(1, counter("cookies.sessions.logged.in", "auth"));
            assertEquals(1, counter("cookies.sessions.id.changed", "auth"));
            assertEquals(0, counter("cookies.sessions.invalidated", "auth"), "the old id moved; the session did not end");

            browser.request("POST", open -> AuthSession.of(open.session("auth")).logout());
            assertEquals(1, counter("cookies.sessions.logged.out", "auth"));
            assertEquals(1, counter("cookies.sessions.invalidated", "auth"));
            for (SessionEvent.Kind kind : SessionEvent.Kind.values()) {
                assertEquals(heard(kind, "auth"), counter(SessionMetrics.eventName(kind), "auth"), kind.toString());
            }
        }

        @Test
        @DisplayName("a session past its absolute lifetime counts one expired when a request finds it")
        void expired() {
            MutableClock clock = MutableClock.now();
            CountingStore store = memory();   // on the system clock: it still holds the session the manager sees expired
            Sessions sessions = Sessions.of(manager("session", store).clock(clock)
                    .idleTimeout(Duration.ofMinutes(30)).absoluteTimeout(Duration.ofHours(1)).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", open -> put(open, "session", "n", 1));
            clock.advance(Duration.ofMinutes(61));
            browser.request("GET", open -> assertTrue(open.session("session").get("n").isEmpty()));

            assertEquals(1, counter("cookies.sessions.expired", "session"));
            assertEquals(1, heard(SessionEvent.Kind.EXPIRED, "session"));
            assertEquals(1, calls("session", "delete", "success"), "the expired session was deleted");
            assertEquals(1, store.calls("delete"));
        }

        @Test
        @DisplayName("two managers on one metrics are told apart by the session tag")
        void twoManagers() {
            Sessions sessions = Sessions.of(manager("session", memory()).build(), manager("auth", memory()).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", open -> put(open, "session", "n", 1));
            browser.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));
            browser.request("POST", open -> put(open, "session", "n", 2));

            assertEquals(1, counter("cookies.sessions.created", "session"));
            assertEquals(0, counter("cookies.sessions.logged.in", "session"));
            assertEquals(1, counter("cookies.sessions.logged.in", "auth"));
            assertEquals(1, calls("session", "locked-save", "success"));
            assertEquals(0, calls("auth", "locked-save", "success"));
        }
    }

    @Nested
    @DisplayName("store calls")
    class StoreCalls {

        @Test
        @DisplayName("each request's store calls are timed once each, per operation, with the store's description")
        void perRequest() {
            CountingStore store = memory();
            Sessions sessions = Sessions.of(manager("session", store).build());
            FakeBrowser browser = new FakeBrowser(sessions);

            browser.request("POST", open -> put(open, "session", "n", 1));
            assertEquals(1, calls("session", "save", "success"), "a new session: one save, nothing to lock in the store");
            assertEquals(0, calls("session", "load", "success"));

            browser.request("GET", open -> open.session("session").get("n"));
            assertEquals(1, calls("session", "load", "success"), "a read: one load");

            browser.request("POST", open -> put(open, "session", "n", 2));
            assertEquals(1, calls("session", "lock", "success"), "a locked write: the lock, which reads");
            assertEquals(1, calls("session", "locked-save", "success"), "and the write that releases it");
            assertEquals(1, calls("session", "load", "success"));
            assertEquals(1, calls("session", "save", "success"));

            Timer save = registry.get("cookies.store.calls").tags("session", "session", "store", "counting memory",
                    "operation", "save", "outcome", "success").timer();
            assertTrue(save.totalTime(TimeUnit.NANOSECONDS) > 0, "the call's time is recorded");
            assertEquals(0, calls("session", "save", "failure"));
            assertNotNull(registry.find("cookies.store.calls").tags("operation", "save", "outcome", "failure").timer(),
                    "the failure timer of an operation is registered with its success timer");
        }

        @Test
        @DisplayName("over many kinds of request, the timers count exactly the calls that reached the store")
        void matchTheStore() {
            CountingStore store = memory();
            Sessions sessions = Sessions.of(manager("auth", store).build());
            List<FakeBrowser> browsers = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
            int requests = 0;
            for (FakeBrowser b : browsers) {
                b.request("POST", open -> put(open, "auth", "n", 1));
                b.request("GET", open -> open.session("auth").get("n"));
                b.request("POST", open -> AuthSession.of(open.session("auth")).login("alice",
                        LoginOptions.rememberMe(Duration.ofDays(7))));
                b.request("GET", open -> AuthSession.of(open.session("auth")).user());   // a load, then a touch: its own duration
                b.request("POST", open -> open.session("auth").rotateId());
                b.request("POST", open -> put(open, "auth", "n", 2));
                b.request("POST", open -> AuthSession.of(open.session("auth")).logout());
                b.request("GET", open -> open.session("auth").get("n"));
                requests += 8;
            }
            assertEquals(24, requests);

            assertTrue(calls("auth", "touch", "success") > 0, "the workload reached touch");
            assertTrue(calls("auth", "locked-save", "success") > 0, "and locked writes");
            assertEquals(store.calls("load"), calls("auth", "load", "success") + calls("auth", "lock", "success"),
                    "the memory store's lock reads with load");
            assertEquals(store.calls("save"), calls("auth", "save", "success") + calls("auth", "locked-save", "success"));
            assertEquals(store.calls("delete"), calls("auth", "delete", "success") + calls("auth", "locked-delete", "success"));
            assertEquals(store.calls("touch"), calls("auth", "touch", "success"));
            for (String operation : List.of("load", "save", "delete", "touch", "lock", "locked-save", "locked-delete")) {
                assertEquals(0, calls("auth", operation, "failure"), operation);
            }
        }

        @Test
        @DisplayName("a store that is down: each failed call is timed as a failure, and each 503 counted once")
        void outage() {
            Sessions sessions = Sessions.of(manager("session", DeadStores.unavailable()).build(),
                    manager("auth", memory()).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            for (int i = 0; i < 2; i++) {
                assertThrows(StoreUnavailableException.class, () -> browser.request("POST", open -> put(open, "session", "n", 1)));
            }
            FakeExchange answered = answer(sessions, Optional.empty(), open -> put(open, "session", "n", 1));
            assertEquals(503, answered.status());

            assertEquals(3, calls("session", "save", "failure"));
            assertEquals(0, calls("session", "save", "success"));
            assertEquals(3, registry.get("cookies.requests.unavailable").counter().count(),
                    "once per request, though the request had two sessions on this observer");
            assertEquals("unavailable (test)", registry.get("cookies.store.calls").tag("outcome", "failure").timer()
                    .getId().getTag("store"));
            assertEquals(0, counter("cookies.sessions.created", "session"));
        }
    }

    @Nested
    @DisplayName("locks")
    class Locks {

        @Test
        @DisplayName("each locked block on a known session records one acquired wait")
        void acquired() {
            Sessions sessions = Sessions.of(manager("session", memory()).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            for (int i = 0; i < 5; i++) {
                int n = i;
                browser.request("POST", open -> put(open, "session", "n", n));
            }
            assertEquals(4, lockWait("session", "acquired").count(), "the first request made a new id: no lock to wait for");
            assertEquals(0, lockWait("session", "timeout").count());
        }

        @Test
        @DisplayName("a request that cannot have the lock in time records one timeout, as long as the lock wait, and one 503")
        void timeout() throws Exception {
            Duration wait = Duration.ofMillis(150);
            Sessions sessions = Sessions.of(manager("session", memory()).lockWait(wait).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", open -> put(open, "session", "n", 1));

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> holder = pool.submit(() -> browser.request("POST", open -> {
                    try (LockedSession s = open.session("session").lock()) {
                        held.countDown();
                        await(release);
                        s.put("n", 2);
                    }
                }));
                assertTrue(held.await(10, TimeUnit.SECONDS));
                assertThrows(SessionLockTimeoutException.class,
                        () -> browser.request("POST", open -> open.session("session").lock().close()));
                release.countDown();
                holder.get(10, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }

            Timer timedOut = lockWait("session", "timeout");
            assertEquals(1, timedOut.count());
            assertTrue(timedOut.totalTime(TimeUnit.NANOSECONDS) >= wait.toNanos(), "it waited the whole lock wait");
            assertEquals(1, lockWait("session", "acquired").count(), "the holder's");
            assertEquals(1, registry.get("cookies.requests.unavailable").counter().count(), "the timed-out request got a 503");
            browser.request("GET", open -> assertEquals(Optional.of(2), open.session("session").get("n", Integer.class)));
        }

        private void await(CountDownLatch latch) {
            try {
                assertTrue(latch.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    @DisplayName("sessions too large")
    class TooLarge {

        @Test
        @DisplayName("a session over maxSessionBytes is answered 500 and counted once; its lock is released, not written")
        void counted() {
            Sessions sessions = Sessions.of(manager("session", memory()).maxSessionBytes(1024).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", open -> put(open, "session", "n", 1));
            assertThrows(SessionTooLargeException.class,
                    () -> browser.request("POST", open -> put(open, "session", "big", "x".repeat(2000))));
            FakeExchange answered = answer(sessions, browser.cookieHeader(),
                    open -> put(open, "session", "big", "x".repeat(2000)));
            assertEquals(500, answered.status());

            assertEquals(2, counter("cookies.sessions.too.large", "session"));
            assertEquals(2, calls("session", "release", "success"));
            assertEquals(0, calls("session", "locked-save", "success"));
            assertEquals(0, registry.get("cookies.requests.unavailable").counter().count());
        }
    }

    @Nested
    @DisplayName("active sessions")
    class Active {

        @Test
        @DisplayName("the memory store's count feeds the gauge")
        void memoryStore() {
            MemorySessionStore store = MemorySessionStore.create();
            opened.add(store);
            Sessions sessions = Sessions.of(manager("session", store).build());
            Gauge gauge = metrics.gaugeActive("session", store, MemorySessionStore::estimatedSize);
            assertEquals(0, gauge.value());
            List<FakeBrowser> browsers = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
            browsers.forEach(b -> b.request("POST", open -> put(open, "session", "n", 1)));
            assertEquals(3, registry.get("cookies.sessions.active").tag("session", "session").gauge().value());
            browsers.get(0).request("POST", open -> open.session("session").invalidate());
            assertEquals(2, gauge.value());
        }

        @Test
        @DisplayName("a count the application keeps feeds the gauge, held for as long as the registry holds the gauge")
        void applicationCount() {
            AtomicLong count = new AtomicLong(7);
            Gauge gauge = metrics.gaugeActive("auth", count::get);
            assertEquals(7, gauge.value());
            count.set(9);
            assertEquals(9, registry.get("cookies.sessions.active").tag("session", "auth").gauge().value());
        }
    }

    @Nested
    @DisplayName("safety")
    class Safety {

        @Test
        @DisplayName("no meter is tagged with a session id, a handle or a user, and the meters do not grow with sessions")
        void boundedTags() {
            Sessions sessions = Sessions.of(manager("auth", memory()).build());
            List<String> ids = new ArrayList<>();
            Consumer<Integer> cycle = n -> {
                FakeBrowser b = new FakeBrowser(sessions);
                b.request("POST", open -> put(open, "auth", "n", 1));
                b.request("POST", open -> AuthSession.of(open.session("auth")).login("user-" + n));
                ids.add(b.cookie("AUTH").orElseThrow());
                b.request("POST", open -> put(open, "auth", "n", 2));
                b.request("POST", open -> AuthSession.of(open.session("auth")).logout());
            };
            cycle.accept(0);
            int meters = registry.getMeters().size();
            for (int i = 1; i <= 20; i++) {
                cycle.accept(i);
            }
            assertEquals(meters, registry.getMeters().size(), "twenty more users made no new meter");

            Set<String> secret = new HashSet<>(ids);
            events.forEach(e -> secret.add(e.handle()));
            events.forEach(e -> e.principal().ifPresent(secret::add));
            assertTrue(secret.contains("user-7"));
            for (Meter meter : registry.getMeters()) {
                for (Tag tag : meter.getId().getTags()) {
                    assertFalse(secret.contains(tag.getValue()), meter.getId() + " carries " + tag);
                }
            }
        }

        @Test
        @DisplayName("a meter the registry refuses records nothing; the requests and the other meters go on")
        void refusedMeter() {
            Gauge taken = Gauge.builder("cookies.sessions.created", () -> 42).tag("session", "auth").register(registry);
            Sessions sessions = Sessions.of(manager("auth", memory()).build());
            FakeBrowser browser = new FakeBrowser(sessions);
            FakeBrowser.Response r = browser.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));

            assertEquals(200, r.status());
            assertEquals(1, heard(SessionEvent.Kind.CREATED, "auth"));
            assertEquals(42, taken.value(), "the application's meter is left alone");
            assertNull(registry.find("cookies.sessions.created").counter());
            assertEquals(1, counter("cookies.sessions.logged.in", "auth"));
        }
    }
}
