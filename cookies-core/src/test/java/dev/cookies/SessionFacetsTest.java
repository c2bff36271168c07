package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a layer over sessions needs (the HttpSession view): ids before saving, times, a per-session timeout, a commit hook. */
class SessionFacetsTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);

    private FakeBrowser browser() {
        return new FakeBrowser(Sessions.of(SessionManager.builder("session").store(store).clock(clock)
                .lockPolicy(LockPolicy.OFF).build()));
    }

    @Test
    @DisplayName("ensureId gives a new session the id it is saved under; nothing is saved if it stays empty")
    void ensureId() {
        FakeBrowser browser = browser();
        AtomicReference<String> reserved = new AtomicReference<>();
        browser.request("POST", open -> {
            Session s = open.session("session");
            reserved.set(s.ensureId());
            assertEquals(reserved.get(), s.ensureId(), "stable within the request");
            assertEquals(Optional.empty(), s.id(), "not saved yet");
            s.put("n", 1);
        });
        assertEquals(reserved.get(), browser.cookie("SESSION").orElseThrow());
        browser.request("GET", open -> assertEquals(reserved.get(), open.session("session").ensureId()));

        FakeBrowser empty = browser();
        empty.request("POST", open -> open.session("session").ensureId());
        assertEquals(Optional.empty(), empty.cookie("SESSION"));
        assertEquals(1, store.saves.get(), "only the session with data was saved");
    }

    @Test
    @DisplayName("a client-side session's id is a token in its sealed data: stable while it lives, new after rotation")
    void clientSideId() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("session")
                .store(new LifecycleTest.PlainCookieStore()).clock(clock).build()));
        AtomicReference<String> first = new AtomicReference<>();
        browser.request("POST", open -> {
            first.set(open.session("session").ensureId());
            open.session("session").put("n", 1);
        });
        browser.request("GET", open -> assertEquals(first.get(), open.session("session").ensureId()));
        browser.request("POST", open -> open.session("session").rotateId());
        browser.request("GET", open -> assertNotEquals(first.get(), open.session("session").ensureId()));
    }

    @Test
    @DisplayName("a client-side session started after invalidate in the same request is new: new token, creation time, events")
    void clientSideRestartAfterInvalidate() {
        java.util.List<SessionEvent.Kind> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("session")
                .store(new LifecycleTest.PlainCookieStore()).clock(clock)
                .listener(event -> events.add(event.kind())).build()));
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<Instant> created = new AtomicReference<>();
        browser.request("POST", open -> {
            first.set(open.session("session").ensureId());
            open.session("session").put("n", 1);
            created.set(open.session("session").createdAt());
        });
        clock.advance(Duration.ofMinutes(5));
        AtomicReference<String> second = new AtomicReference<>();
        browser.request("POST", open -> {
            Session s = open.session("session");
            s.invalidate();
            s.put("m", 2);
            second.set(s.ensureId());
        });
        assertNotEquals(first.get(), second.get(), "the token is new within the request");
        browser.request("GET", open -> {
            Session s = open.session("session");
            assertEquals(second.get(), s.ensureId());
            assertEquals(Optional.empty(), s.get("n"));
            assertEquals(Optional.of(2), s.get("m", Integer.class));
            assertTrue(s.createdAt().isAfter(created.get()), "created when restarted, not when first made");
        });
        assertEquals(java.util.List.of(SessionEvent.Kind.CREATED, SessionEvent.Kind.INVALIDATED,
                SessionEvent.Kind.CREATED), events);
    }

    @Test
    @DisplayName("createdAt and lastUsedAt come from the session's bookkeeping, to the second")
    void times() {
        FakeBrowser browser = browser();
        Instant start = clock.instant();
        browser.request("POST", open -> {
            assertEquals(start, open.session("session").createdAt(), "a new session: now");
            open.session("session").put("n", 1);
        });
        clock.advance(Duration.ofMinutes(10));
        browser.request("POST", open -> open.session("session").update(s -> s.put("n", 2)));
        clock.advance(Duration.ofMinutes(1));
        browser.request("GET", open -> {
            assertEquals(start, open.session("session").createdAt());
            assertEquals(start.plusSeconds(600), open.session("session").lastUsedAt(), "saved at 10 minutes (a refresh was due)");
        });
    }

    @Test
    @DisplayName("a session's own idle timeout is saved with it: the store's TTL and the cookie follow it")
    void ownIdleTimeout() {
        FakeBrowser browser = browser();
        browser.request("POST", open -> open.session("session").put("n", 1));
        String id = browser.cookie("SESSION").orElseThrow();
        FakeBrowser.Response r = browser.request("POST", open -> {
            open.session("session").idleTimeout(Duration.ofHours(2));
            assertEquals(Duration.ofHours(2), open.session("session").idleTimeout());
        });
        assertEquals(Duration.ofHours(2), store.ttlOf(id));
        assertEquals("7200", r.cookie("SESSION").orElseThrow().attribute("Max-Age").orElseThrow());
        clock.advance(Duration.ofHours(1));
        browser.request("GET", open -> assertEquals(Optional.of(1), open.session("session").get("n"), "outlives the manager's 30 minutes"));
        assertThrows(IllegalArgumentException.class, () -> browser.request("POST",
                open -> open.session("session").idleTimeout(Duration.ofDays(401))));
    }

    @Test
    @DisplayName("work added with beforeCommit runs just before the sessions commit, and what it writes is saved")
    void beforeCommitTask() {
        FakeBrowser browser = browser();
        browser.request("POST", open -> {
            Session s = open.session("session");
            open.beforeCommit(() -> s.put("late", true));
            s.put("n", 1);
        });
        browser.request("GET", open -> assertEquals(Optional.of(true), open.session("session").get("late")));
        FakeExchange exchange = new FakeExchange("GET");
        OpenSessions open = Sessions.of(SessionManager.builder("x").store(store).build()).open(exchange);
        open.end(null);
        assertThrows(IllegalStateException.class, () -> open.beforeCommit(() -> { }));
    }
}
