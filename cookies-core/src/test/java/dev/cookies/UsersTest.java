package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionIndex;
import dev.cookies.spi.SessionObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who is signed in where: the per-user index, sign out everywhere, the cap, events and the observer. */
class UsersTest {

    private final MutableClock clock = MutableClock.now();
    private final IndexingStore store = new IndexingStore(new CountingStore(clock), clock);
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    /** A store that indexes sessions by user, with last use from its own loads: enough for the core's rules. */
    static final class IndexingStore implements ServerSideStore, SessionIndex {
        final CountingStore inner;
        final MutableClock clock;
        final Map<String, Map<String, Instant>> byUser = new ConcurrentHashMap<>();
        final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
        final Map<String, byte[]> lastData = new ConcurrentHashMap<>();
        final List<ExpiryListener> expiryListeners = new CopyOnWriteArrayList<>();
        int indexCalls;

        /** Reports the sessions whose time ran out, as a store with its own clean-up does. */
        void sweep() {
            for (String id : List.copyOf(lastData.keySet())) {
                if (!inner.contains(id)) {
                    byte[] data = lastData.remove(id);
                    expiryListeners.forEach(l -> l.expired(id, Optional.of(data)));
                }
            }
        }

        @Override public void onExpiry(ExpiryListener listener) { expiryListeners.add(listener); }

        IndexingStore(CountingStore inner, MutableClock clock) {
            this.inner = inner;
            this.clock = clock;
        }

        @Override public Optional<byte[]> load(String id, Duration ttl) {
            Optional<byte[]> v = inner.load(id, ttl);
            v.ifPresent(b -> lastUsed.put(id, clock.instant()));
            return v;
        }
        @Override public void save(String id, byte[] data, Duration ttl) {
            inner.save(id, data, ttl);
            lastUsed.put(id, clock.instant());
            lastData.put(id, data.clone());
        }
        @Override public void delete(String id) {
            inner.delete(id);
            lastData.remove(id);
        }
        @Override public void touch(String id, Duration ttl) { inner.touch(id, ttl); }
        @Override public String description() { return "indexing"; }

        @Override public void index(String principal, String id, Instant created, Duration ttl) {
            indexCalls++;
            byUser.computeIfAbsent(principal, p -> new ConcurrentHashMap<>()).put(id, created);
        }
        @Override public void unindex(String principal, String id) {
            indexCalls++;
            byUser.getOrDefault(principal, new ConcurrentHashMap<>()).remove(id);
        }
        @Override public List<Entry> sessions(String principal) {
            Map<String, Instant> ids = byUser.getOrDefault(principal, new ConcurrentHashMap<>());
            ids.keySet().removeIf(id -> !inner.contains(id));
            return ids.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .map(e -> new Entry(e.getKey(), e.getValue(), lastUsed.getOrDefault(e.getKey(), e.getValue())))
                    .collect(Collectors.toList());
        }
    }

    private Sessions sessions(SessionManager.Builder builder) {
        return Sessions.of(builder.store(store).clock(clock).lockPolicy(LockPolicy.OFF).listener(events::add).build());
    }

    private static AuthSession auth(OpenSessions open) {
        return AuthSession.of(open.session("auth"));
    }

    record Account(String email, int level) {
    }

    @Test
    @DisplayName("a user logged in from three clients is listed three times, by handle, with no data; sign out everywhere ends all")
    void everywhere() {
        Sessions sessions = sessions(SessionManager.builder("auth"));
        List<FakeBrowser> clients = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
        for (FakeBrowser c : clients) {
            c.request("POST", open -> auth(open).login(new Account("alice@example.com", 1)));
            clock.advance(Duration.ofSeconds(10));
        }
        new FakeBrowser(sessions).request("POST", open -> auth(open).login("bob"));
        List<SessionInfo> listed = new ArrayList<>();
        clients.get(1).request("GET", open -> listed.addAll(auth(open).sessions()));
        assertEquals(3, listed.size());
        assertEquals(List.of(false, true, false), listed.stream().map(SessionInfo::current).collect(Collectors.toList()));
        String second = clients.get(1).cookie("AUTH").orElseThrow();
        assertEquals(SessionManager.handle(second), listed.get(1).handle());
        assertFalse(listed.get(1).handle().contains(second), "the id is never shown");
        assertEquals(3, sessions.manager("auth").sessions("alice@example.com").size(), "the administrator's view");

        clients.get(0).request("POST", open -> auth(open).signOutEverywhere());
        for (FakeBrowser c : clients) {
            c.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
        }
        assertEquals(List.of(), sessions.manager("auth").sessions("alice@example.com"));
        assertEquals(1, sessions.manager("auth").sessions("bob").size(), "another user is untouched");
    }

    @Test
    @DisplayName("sign out everywhere else keeps exactly the caller's session")
    void everywhereElse() {
        Sessions sessions = sessions(SessionManager.builder("auth"));
        List<FakeBrowser> clients = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions), new FakeBrowser(sessions));
        clients.forEach(c -> c.request("POST", open -> auth(open).login("alice")));
        clients.get(2).request("POST", open -> auth(open).signOutEverywhereElse());
        clients.get(0).request("GET", open -> assertFalse(auth(open).isLoggedIn()));
        clients.get(1).request("GET", open -> assertFalse(auth(open).isLoggedIn()));
        clients.get(2).request("GET", open -> assertEquals(Optional.of("alice"), auth(open).user()));
        assertEquals(1, sessions.manager("auth").sessions("alice").size());
    }

    @Test
    @DisplayName("with a cap of 2, a third login ends the least recently used session")
    void cap() {
        Sessions sessions = sessions(SessionManager.builder("auth").maxSessionsPerUser(2));
        FakeBrowser a = new FakeBrowser(sessions);
        FakeBrowser b = new FakeBrowser(sessions);
        FakeBrowser c = new FakeBrowser(sessions);
        a.request("POST", open -> auth(open).login("alice"));
        clock.advance(Duration.ofMinutes(1));
        b.request("POST", open -> auth(open).login("alice"));
        clock.advance(Duration.ofMinutes(1));
        a.request("GET", open -> assertTrue(auth(open).isLoggedIn()));   // a is now more recent than b
        clock.advance(Duration.ofMinutes(1));
        c.request("POST", open -> auth(open).login("alice"));
        a.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        b.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "b was the least recently used"));
        c.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        assertEquals("maxSessionsPerUser", assertThrows(SessionConfigException.class, () -> SessionManager.builder("x")
                .store(new CountingStore(clock)).maxSessionsPerUser(2).build()).setting(), "a store without an index");
    }

    @Test
    @DisplayName("the index costs nothing on reads and ordinary writes, one call at login and logout")
    void cost() {
        Sessions sessions = sessions(SessionManager.builder("auth"));
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> auth(open).login("alice"));
        assertEquals(1, store.indexCalls, "login over a new session: index once");
        browser.request("GET", open -> auth(open).user());
        browser.request("POST", open -> open.session("auth").update(s -> s.put("n", 1)));
        assertEquals(1, store.indexCalls, "reads and writes leave the index alone");
        browser.request("POST", open -> auth(open).logout());
        assertEquals(2, store.indexCalls, "logout: unindex once");
    }

    @Test
    @DisplayName("listeners hear created, logged in, id changed, logged out, invalidated and expired, in order; one that throws is ignored")
    void events() {
        Sessions sessions = Sessions.of(SessionManager.builder("auth").store(store).clock(clock).lockPolicy(LockPolicy.OFF)
                .listener(e -> {
                    throw new IllegalStateException("a broken listener");
                }).listener(events::add).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("auth").put("n", 1));
        browser.request("POST", open -> auth(open).login("alice"));
        browser.request("POST", open -> auth(open).logout());
        browser.request("POST", open -> auth(open).login("bob"));
        clock.advance(Duration.ofMinutes(31));
        store.sweep();   // the store removes the idle session and says so
        browser.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
        assertEquals(List.of(SessionEvent.Kind.CREATED, SessionEvent.Kind.ID_CHANGED, SessionEvent.Kind.LOGGED_IN,
                SessionEvent.Kind.INVALIDATED, SessionEvent.Kind.LOGGED_OUT, SessionEvent.Kind.CREATED,
                SessionEvent.Kind.LOGGED_IN, SessionEvent.Kind.EXPIRED),
                events.stream().map(SessionEvent::kind).collect(Collectors.toList()));
        assertEquals(Optional.of("alice"), events.get(2).principal());
        assertEquals(Optional.of("bob"), events.get(7).principal(), "the expired session's user, from its last data");
        assertEquals(events.get(6).handle(), events.get(7).handle());
        assertEquals("auth", events.get(0).sessionName());
    }

    @Test
    @DisplayName("the observer sees every store call, lock waits and sessions too large")
    void observer() {
        List<String> calls = new CopyOnWriteArrayList<>();
        SessionObserver observer = new SessionObserver() {
            @Override
            public void storeCall(String sessionName, String storeName, String operation, Duration time, boolean failed) {
                calls.add(operation + (failed ? "!" : ""));
            }

            @Override
            public void lockWait(String sessionName, Duration waited, boolean acquired) {
                calls.add("wait" + (acquired ? "" : "!"));
            }

            @Override
            public void tooLarge(String sessionName) {
                calls.add("tooLarge");
            }
        };
        FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("auth").store(store).clock(clock)
                .maxSessionBytes(2048).observer(observer).build()));
        browser.request("POST", open -> open.session("auth").update(s -> s.put("n", 1)));
        assertEquals(List.of("save"), calls, "a new session: one save, no lock to wait for in the store");
        calls.clear();
        browser.request("POST", open -> open.session("auth").update(s -> s.put("n", 2)));
        assertEquals(List.of("lock", "wait", "locked-save"), calls, "the wait is reported once the store's lock is had too");
        calls.clear();
        browser.fails(SessionTooLargeException.class, "POST", open -> open.session("auth").update(s -> s.put("big", "x".repeat(4000))));
        assertEquals(List.of("lock", "wait", "release", "tooLarge"), calls);
    }

    @Test
    @DisplayName("a client-side store signs out everywhere through a revocation store: a copied cookie replayed afterwards is anonymous")
    void clientSideRevocation() {
        CountingStore revocations = new CountingStore(clock);
        Sessions sessions = Sessions.of(SessionManager.builder("auth").store(new LifecycleTest.PlainCookieStore())
                .clock(clock).revocations(revocations).build());
        FakeBrowser phone = new FakeBrowser(sessions);
        FakeBrowser laptop = new FakeBrowser(sessions);
        phone.request("POST", open -> auth(open).login("alice"));
        laptop.request("POST", open -> auth(open).login("alice"));
        String copied = laptop.cookie("AUTH").orElseThrow();
        laptop.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        assertEquals(3, revocations.loads.get(), "one revocation read per login and per request of a logged-in session");
        clock.advance(Duration.ofSeconds(2));
        phone.request("POST", open -> auth(open).signOutEverywhere());
        laptop.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "the other device is signed out"));
        FakeBrowser thief = new FakeBrowser(sessions);
        thief.setCookie("AUTH", copied);
        thief.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "a copy replayed after sign out everywhere"));
        phone.request("POST", open -> auth(open).login("alice"));
        phone.request("GET", open -> assertTrue(auth(open).isLoggedIn(), "a new login afterwards counts"));

        Sessions without = Sessions.of(SessionManager.builder("auth").store(new LifecycleTest.PlainCookieStore()).clock(clock).build());
        FakeBrowser browser = new FakeBrowser(without);
        browser.request("POST", open -> auth(open).login("alice"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> browser.request("POST", open -> auth(open).signOutEverywhere()));
        assertTrue(e.getMessage().contains("revocations"), e.getMessage());
    }

    @Test
    @DisplayName("a client-side sign out everywhere in the same second as the logins still revokes them, and a login right after it counts")
    void clientSideRevocationWithinOneSecond() {
        CountingStore revocations = new CountingStore(clock);
        Sessions sessions = Sessions.of(SessionManager.builder("auth").store(new LifecycleTest.PlainCookieStore())
                .clock(clock).revocations(revocations).build());
        FakeBrowser phone = new FakeBrowser(sessions);
        FakeBrowser laptop = new FakeBrowser(sessions);
        FakeBrowser tablet = new FakeBrowser(sessions);
        phone.request("POST", open -> auth(open).login("alice"));
        laptop.request("POST", open -> auth(open).login("alice"));
        tablet.request("POST", open -> auth(open).login("alice"));
        String copied = laptop.cookie("AUTH").orElseThrow();
        // The clock does not move: everything below happens within one second.
        phone.request("POST", open -> auth(open).signOutEverywhere());
        laptop.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "issued in the same second, still revoked"));
        FakeBrowser thief = new FakeBrowser(sessions);
        thief.setCookie("AUTH", copied);
        thief.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
        phone.request("POST", open -> auth(open).login("alice"));
        phone.request("GET", open -> assertTrue(auth(open).isLoggedIn(), "a login after the sign out, same second, counts"));
        tablet.request("POST", open -> auth(open).login("alice"));
        tablet.request("POST", open -> auth(open).signOutEverywhereElse());
        tablet.request("GET", open -> assertTrue(auth(open).isLoggedIn(), "the caller keeps its session"));
        phone.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "every other session ends"));
    }
}
