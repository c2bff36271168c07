package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.SessionIdGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionEngineTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);

    private SessionManager.Builder manager() {
        return SessionManager.builder("session").store(store).clock(clock).lockPolicy(LockPolicy.OFF);
    }

    private static void increment(OpenSessions open) {
        open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
    }

    private static int count(OpenSessions open) {
        return open.session("session").get("count", Integer.class).orElse(0);
    }

    @Test
    @DisplayName("a request that never touches its session makes no store call and sends no cookie")
    void untouched() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        browser.request("POST", SessionEngineTest::increment);
        store.resetCounts();
        FakeBrowser.Response r = browser.request("GET", open -> { });
        assertEquals(0, store.calls());
        assertTrue(r.setCookies().isEmpty());
    }

    @Test
    @DisplayName("the first write sends a cookie with a new well-formed id; a read-only request then makes one load and sends nothing")
    void firstWriteThenReadOnly() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        FakeBrowser.Response first = browser.request("POST", SessionEngineTest::increment);
        FakeBrowser.SetCookie cookie = first.cookie("SESSION").orElseThrow();
        assertTrue(SessionIdGenerator.secureRandom().isWellFormed(cookie.value()));
        assertEquals(1, store.saves.get());
        store.resetCounts();
        int[] seen = new int[1];
        FakeBrowser.Response read = browser.request("GET", open -> seen[0] = count(open));
        assertEquals(1, seen[0]);
        assertEquals(1, store.loads.get());
        assertEquals(1, store.calls(), "a read-only request costs exactly one store call");
        assertTrue(read.setCookies().isEmpty(), "a read-only request sends no Set-Cookie");
    }

    @Test
    @DisplayName("a well-formed id the store does not know is never adopted: the write goes to a new id")
    void unknownIdGetsNewId() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        String planted = SessionIdGenerator.secureRandom().newId();
        browser.setCookie("SESSION", planted);
        FakeBrowser.Response r = browser.request("POST", SessionEngineTest::increment);
        String issued = r.cookie("SESSION").orElseThrow().value();
        assertNotEquals(planted, issued);
        assertFalse(store.contains(planted));
        assertTrue(store.contains(issued));
    }

    @Test
    @DisplayName("a cookie holding garbage causes no store call, read or write, and gives a fresh session")
    void garbageNeverReachesTheStore() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        for (String garbage : List.of("x", "../../etc/passwd", "' OR 1=1 --", "A".repeat(42) + "B", "%00%0a", "a".repeat(4000))) {
            browser.setCookie("SESSION", garbage);
            store.resetCounts();
            int[] seen = {-1};
            browser.request("GET", open -> seen[0] = count(open));
            assertEquals(0, seen[0]);
            assertEquals(0, store.calls(), "garbage reached the store: " + garbage);
        }
        browser.setCookie("SESSION", "not-an-id");
        store.resetCounts();
        FakeBrowser.Response r = browser.request("POST", SessionEngineTest::increment);
        assertEquals(0, store.loads.get());
        assertEquals(1, store.saves.get());
        assertTrue(SessionIdGenerator.secureRandom().isWellFormed(r.cookie("SESSION").orElseThrow().value()));
    }

    @Test
    @DisplayName("of several values for the cookie, the first one the store knows is used")
    void duplicateCookieValues() {
        Sessions sessions = Sessions.of(manager().build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", SessionEngineTest::increment);
        String known = browser.cookie("SESSION").orElseThrow();
        String unknown = SessionIdGenerator.secureRandom().newId();
        OpenSessions open = sessions.open(new FakeExchange("GET", "SESSION=garbage; SESSION=" + unknown, "SESSION=" + known));
        assertEquals(1, count(open));
        assertEquals(known, open.session("session").id().orElseThrow());
    }

    @Test
    @DisplayName("emptying a session deletes it from the master and every mirror and expires the cookie with the same Path and Domain")
    void emptyingDeletesEverywhere() {
        CountingStore mirror1 = new CountingStore(clock, "m1");
        CountingStore mirror2 = new CountingStore(clock, "m2");
        SessionManager m = manager().mirror(mirror1).mirror(mirror2)
                .cookie(CookieSettings.builder("SESSION").domain("example.com").path("/app").build()).build();
        FakeBrowser browser = new FakeBrowser(Sessions.of(m));
        browser.request("POST", SessionEngineTest::increment);
        String id = browser.cookie("SESSION").orElseThrow();
        assertTrue(store.contains(id) && mirror1.contains(id) && mirror2.contains(id), "mirrors are written through");
        FakeBrowser.Response r = browser.request("POST", open -> open.session("session").update(s -> s.clear()));
        assertFalse(store.contains(id));
        assertFalse(mirror1.contains(id));
        assertFalse(mirror2.contains(id));
        FakeBrowser.SetCookie expired = r.cookie("SESSION").orElseThrow();
        assertTrue(expired.isExpired());
        assertEquals("", expired.value());
        assertEquals("/app", expired.attribute("Path").orElseThrow());
        assertEquals("example.com", expired.attribute("Domain").orElseThrow());
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", expired.attribute("Expires").orElseThrow());
    }

    @Test
    @DisplayName("an unlocked write does not wipe a key written concurrently inside a locked block")
    void unlockedWriteKeepsConcurrentLockedKey() {
        Sessions sessions = Sessions.of(manager().build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> s.put("a", 0)));
        String cookie = browser.cookieHeader().orElseThrow();

        OpenSessions slow = sessions.open(new FakeExchange("POST", cookie));
        assertEquals(0, slow.session("session").get("a", Integer.class).orElseThrow());
        slow.session("session").put("a", 1);

        OpenSessions fast = sessions.open(new FakeExchange("POST", cookie));
        fast.session("session").update(s -> s.put("b", 2));
        fast.beforeCommit();

        slow.beforeCommit();
        OpenSessions check = sessions.open(new FakeExchange("GET", cookie));
        assertEquals(Map.of("a", 1, "b", 2), check.session("session").asMap());
    }

    @Test
    @DisplayName("unlocked removes and clear are applied as deltas too")
    void unlockedRemoveAndClear() {
        Sessions sessions = Sessions.of(manager().build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> {
            s.put("a", 1);
            s.put("b", 2);
        }));
        browser.request("POST", open -> {
            Session s = open.session("session");
            s.remove("a");
            assertEquals(Map.of("b", 2), s.asMap(), "reads see the request's own unlocked writes");
        });
        browser.request("GET", open -> assertEquals(Map.of("b", 2), open.session("session").asMap()));
        String id = browser.cookie("SESSION").orElseThrow();
        FakeBrowser.Response r = browser.request("POST", open -> open.session("session").clear());
        assertFalse(store.contains(id));
        assertTrue(r.cookie("SESSION").orElseThrow().isExpired());
    }

    @Test
    @DisplayName("rotateId moves the data to a new id and deletes the old one in the master and mirrors")
    void rotate() {
        CountingStore mirror = new CountingStore(clock, "mirror");
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().mirror(mirror).build()));
        browser.request("POST", SessionEngineTest::increment);
        String old = browser.cookie("SESSION").orElseThrow();
        FakeBrowser.Response r = browser.request("POST", open -> open.session("session").rotateId());
        String fresh = r.cookie("SESSION").orElseThrow().value();
        assertNotEquals(old, fresh);
        assertFalse(store.contains(old));
        assertFalse(mirror.contains(old));
        assertTrue(store.contains(fresh));
        assertTrue(mirror.contains(fresh));
        browser.request("GET", open -> assertEquals(1, count(open)));
    }

    @Test
    @DisplayName("invalidate deletes now, expires the cookie, and a later write starts a new id")
    void invalidate() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        browser.request("POST", SessionEngineTest::increment);
        String old = browser.cookie("SESSION").orElseThrow();
        FakeBrowser.Response expired = browser.request("POST", open -> open.session("session").invalidate());
        assertTrue(expired.cookie("SESSION").orElseThrow().isExpired());
        assertFalse(store.contains(old));
        browser.setCookie("SESSION", old);
        FakeBrowser.Response again = browser.request("POST", open -> {
            open.session("session").invalidate();
            increment(open);
        });
        String fresh = again.cookie("SESSION").orElseThrow().value();
        assertNotEquals(old, fresh);
        assertEquals(1, store.size());
    }

    @Test
    @DisplayName("a persistent cookie's expiry is refreshed only when a quarter of the timeout has passed")
    void refreshOnlyWhenDue() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().idleTimeout(Duration.ofMinutes(40)).build()));
        FakeBrowser.Response first = browser.request("POST", SessionEngineTest::increment);
        assertEquals("2400", first.cookie("SESSION").orElseThrow().attribute("Max-Age").orElseThrow());
        clock.advance(Duration.ofMinutes(9));
        assertTrue(browser.request("GET", SessionEngineTest::count).setCookies().isEmpty());
        clock.advance(Duration.ofMinutes(2));
        store.resetCounts();
        FakeBrowser.Response due = browser.request("GET", SessionEngineTest::count);
        FakeBrowser.SetCookie refreshed = due.cookie("SESSION").orElseThrow();
        assertEquals(browser.cookie("SESSION").orElseThrow(), refreshed.value());
        assertEquals("2400", refreshed.attribute("Max-Age").orElseThrow());
        assertTrue(browser.request("GET", SessionEngineTest::count).setCookies().isEmpty(), "refreshed once, not on every request");
    }

    @Test
    @DisplayName("a browser-session cookie has no Max-Age or Expires and is not refreshed")
    void browserSessionCookie() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().cookie(c -> c.persistent(false)).build()));
        FakeBrowser.SetCookie c = browser.request("POST", SessionEngineTest::increment).cookie("SESSION").orElseThrow();
        assertFalse(c.has("Max-Age"));
        assertFalse(c.has("Expires"));
        clock.advance(Duration.ofMinutes(20));
        assertTrue(browser.request("GET", SessionEngineTest::count).setCookies().isEmpty());
    }

    @Test
    @DisplayName("the idle timeout expires an unused session; use slides it")
    void idleTimeout() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().idleTimeout(Duration.ofMinutes(30)).build()));
        browser.request("POST", SessionEngineTest::increment);
        clock.advance(Duration.ofMinutes(25));
        browser.request("GET", open -> assertEquals(1, count(open)));
        clock.advance(Duration.ofMinutes(25));
        browser.request("GET", open -> assertEquals(1, count(open)));
        clock.advance(Duration.ofMinutes(31));
        browser.request("GET", open -> assertEquals(0, count(open)));
    }

    @Test
    @DisplayName("the absolute lifetime ends a session however much it is used, and caps the cookie's Max-Age")
    void absoluteLifetime() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofMinutes(50)).build()));
        browser.request("POST", SessionEngineTest::increment);
        clock.advance(Duration.ofMinutes(25));
        FakeBrowser.Response r = browser.request("POST", SessionEngineTest::increment);
        assertEquals("1500", r.cookie("SESSION").orElseThrow().attribute("Max-Age").orElseThrow(),
                "refresh due: Max-Age is what is left of the 50 minutes");
        clock.advance(Duration.ofMinutes(25));
        browser.request("GET", open -> {
            assertEquals(0, count(open));
            assertTrue(open.session("session").isNew());
        });
    }

    @Test
    @DisplayName("several named sessions live side by side, each with its own cookie and attribute")
    void namedSessions() {
        SessionManager counter = manager().build();
        SessionManager auth = SessionManager.builder("auth").store(new CountingStore(clock)).clock(clock).build();
        Sessions sessions = Sessions.of(counter, auth);
        FakeExchange request = new FakeExchange("POST");
        OpenSessions open = sessions.open(request);
        assertTrue(request.attribute("session").orElseThrow() instanceof Session);
        assertTrue(request.attribute("auth").orElseThrow() instanceof Session);
        assertTrue(request.attribute(OpenSessions.ATTRIBUTE).orElseThrow() == open);
        assertTrue(sessions.open(request) == open, "opening twice returns the first");
        increment(open);
        open.session("auth").update(s -> s.put("user", "alice"));
        open.end(null);
        List<String> names = new ArrayList<>();
        request.setCookies().forEach(h -> names.add(FakeBrowser.SetCookie.parse(h).name()));
        assertEquals(List.of("SESSION", "AUTH"), names);
        assertEquals(open.session("session"), request.attribute("session").orElseThrow());
    }

    @Test
    @DisplayName("put stores a copy: changing the object afterwards does not change the session")
    void putCopies() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        List<String> list = new ArrayList<>(List.of("a"));
        browser.request("POST", open -> open.session("session").update(s -> {
            s.put("list", list);
            list.add("b");
            assertEquals(List.of("a"), s.get("list").orElseThrow());
        }));
        browser.request("GET", open -> assertEquals(List.of("a"), open.session("session").get("list").orElseThrow()));
        browser.request("POST", open -> {
            Session s = open.session("session");
            @SuppressWarnings("unchecked")
            List<Object> plain = (List<Object>) s.get("list").orElseThrow();
            assertThrows(UnsupportedOperationException.class, () -> plain.add("c"), "plain values handed out are read-only");
            @SuppressWarnings("unchecked")
            List<Object> typed = s.get("list", List.class).orElseThrow();
            typed.add("c");
            assertEquals(List.of("a"), s.get("list").orElseThrow(), "a typed read is a copy");
        });
    }

    record User(String name, List<String> roles) {
    }

    @Test
    @DisplayName("typed reads convert through the codec, for classes and generic types")
    void typedReads() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        browser.request("POST", open -> open.session("session").update(s -> s.put("user", new User("alice", List.of("admin")))));
        browser.request("GET", open -> {
            Session s = open.session("session");
            assertEquals(new User("alice", List.of("admin")), s.get("user", User.class).orElseThrow());
            assertEquals(Map.of("name", "alice", "roles", List.of("admin")),
                    s.get("user", new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }).orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> s.get("user", Integer.class));
            assertTrue(s.get("missing", User.class).isEmpty());
        });
    }

    @Test
    @DisplayName("the reserved key cannot be written; nulls are refused")
    void keys() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        browser.request("POST", open -> {
            Session s = open.session("session");
            assertThrows(IllegalArgumentException.class, () -> s.put("__meta", 1));
            assertThrows(NullPointerException.class, () -> s.put("a", null));
            assertThrows(NullPointerException.class, () -> s.put(null, 1));
        });
    }

    @Test
    @DisplayName("update saves nothing when its function throws, and releases the lock")
    void updateDiscardsOnFailure() {
        Sessions sessions = Sessions.of(manager().lockWait(Duration.ZERO).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", SessionEngineTest::increment);
        browser.request("POST", open -> {
            assertThrows(IllegalStateException.class, () -> open.session("session").update(s -> {
                s.put("count", 99);
                throw new IllegalStateException("boom");
            }));
            increment(open);
        });
        browser.request("GET", open -> assertEquals(2, count(open)));
    }

    @Test
    @DisplayName("a lock held on one session does not block another; the same session waits, then times out")
    void lockScope() throws Exception {
        Sessions sessions = Sessions.of(manager().lockWait(Duration.ofMillis(100)).build());
        FakeBrowser a = new FakeBrowser(sessions);
        FakeBrowser b = new FakeBrowser(sessions);
        a.request("POST", SessionEngineTest::increment);
        b.request("POST", SessionEngineTest::increment);
        OpenSessions holder = sessions.open(new FakeExchange("POST", a.cookieHeader().orElseThrow()));
        try (LockedSession held = holder.session("session").lock()) {
            held.put("count", 10);
            CompletableFuture.runAsync(() -> b.request("POST", SessionEngineTest::increment)).get(5, TimeUnit.SECONDS);
            FakeBrowser.Response r = CompletableFuture.supplyAsync(() -> a.request("POST", SessionEngineTest::increment))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(503, r.status());
            assertTrue(r.failure().orElseThrow() instanceof SessionLockTimeoutException, r.toString());
        }
        holder.beforeCommit();
        a.request("GET", open -> assertEquals(10, count(open)));
        b.request("GET", open -> assertEquals(2, count(open)));
    }

    @Test
    @DisplayName("a store outage is a typed StoreUnavailableException, and the session works again afterwards")
    void storeDown() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager().build()));
        browser.request("POST", SessionEngineTest::increment);
        store.down = true;
        StoreUnavailableException e = browser.fails(StoreUnavailableException.class, "GET", SessionEngineTest::count);
        assertEquals("load", e.operation());
        browser.fails(StoreUnavailableException.class, "POST", SessionEngineTest::increment);
        store.down = false;
        browser.request("POST", SessionEngineTest::increment);
        browser.request("GET", open -> assertEquals(2, count(open)));
    }

    @Test
    @DisplayName("a mirror failure fails the request, or is only logged, as configured")
    void mirrorFailure() {
        CountingStore mirror = new CountingStore(clock, "mirror");
        mirror.down = true;
        FakeBrowser failing = new FakeBrowser(Sessions.of(manager().mirror(mirror).build()));
        failing.fails(StoreUnavailableException.class, "POST", SessionEngineTest::increment);
        FakeBrowser logging = new FakeBrowser(Sessions.of(SessionManager.builder("session").store(store).clock(clock)
                .lockPolicy(LockPolicy.OFF).mirror(mirror).mirrorFailure(MirrorFailurePolicy.LOG).build()));
        FakeBrowser.Response r = logging.request("POST", SessionEngineTest::increment);
        assertTrue(store.contains(r.cookie("SESSION").orElseThrow().value()));
    }

    @Test
    @DisplayName("a commit after the response committed still saves, sends nothing, and throws nothing")
    void committedResponse() {
        Sessions sessions = Sessions.of(manager().lockPolicy(LockPolicy.OFF).build());
        FakeExchange exchange = new FakeExchange("POST");
        OpenSessions open = sessions.open(exchange);
        open.session("session").put("count", 1);
        exchange.committed = true;
        open.beforeCommit();
        assertTrue(open.end(null));
        assertEquals(List.of(), exchange.response.stream().map(java.util.Map.Entry::getKey).toList());
        assertEquals(1, store.size(), "the unlocked write was saved all the same");
    }

    @Test
    @DisplayName("a locked block is exclusive across threads: 32 x 200 increments end at 6400")
    void lockedIncrements() throws Exception {
        Sessions sessions = Sessions.of(manager().lockWait(Duration.ofSeconds(60)).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", SessionEngineTest::increment);
        String cookie = browser.cookieHeader().orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 200; i++) {
                    OpenSessions open = sessions.open(new FakeExchange("POST", cookie));
                    increment(open);
                    open.beforeCommit();
                }
            }, pool));
        }
        start.countDown();
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(2, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        browser.request("GET", open -> assertEquals(6401, count(open)));
    }
}
