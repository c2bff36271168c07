package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.StoreLock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sessions stay apart from each other, and the engine cleans up after a store that fails or times out. */
class IsolationTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore shared = new CountingStore(clock);

    @Test
    @DisplayName("an id of one manager sent as another manager's cookie is not adopted, even over a shared store")
    void managersDoNotShareSessions() {
        Sessions sessions = Sessions.of(
                SessionManager.builder("session").store(shared).clock(clock).lockPolicy(LockPolicy.OFF).build(),
                SessionManager.builder("auth").store(shared).clock(clock).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("auth").update(s -> s.put("current_user", "alice")));
        String authId = browser.cookie("AUTH").orElseThrow();

        FakeBrowser attacker = new FakeBrowser(sessions);
        attacker.setCookie("SESSION", authId);
        FakeBrowser.Response r = attacker.request("POST", open -> {
            assertTrue(open.session("session").isNew(), "the auth session was adopted as the counter session");
            open.session("session").put("current_user", "mallory");
        });
        assertNotEquals(authId, r.cookie("SESSION").orElseThrow().value());
        browser.request("GET", open -> assertEquals(Map.of("current_user", "alice"), open.session("auth").asMap()));
    }

    @Test
    @DisplayName("one request cannot be opened by two different Sessions")
    void oneSessionsPerRequest() {
        Sessions a = Sessions.of(SessionManager.builder("session").store(shared).clock(clock).build());
        Sessions b = Sessions.of(SessionManager.builder("other").store(shared).clock(clock).build());
        FakeExchange request = new FakeExchange("GET");
        OpenSessions open = a.open(request);
        assertTrue(a.open(request) == open);
        assertThrows(IllegalStateException.class, () -> b.open(request));
    }

    /** A store whose lock always times out, or whose locked save fails, counting releases. */
    static final class FailingLockStore extends CountingStoreDelegate {
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean timeOut;

        FailingLockStore(CountingStore inner) {
            super(inner);
        }

        @Override
        public StoreLock lock(String id, Duration ttl, Duration wait) {
            if (timeOut) {
                throw SessionLockTimeoutException.of("whatever the store calls it", wait);
            }
            Optional<byte[]> value = load(id, ttl);
            return new StoreLock() {
                @Override
                public Optional<byte[]> data() {
                    return value;
                }

                @Override
                public void save(byte[] data, Duration saveTtl) {
                    throw StoreUnavailableException.of("failing", "save", null);
                }

                @Override
                public void delete() {
                    throw StoreUnavailableException.of("failing", "delete", null);
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
        }
    }

    @Test
    @DisplayName("a store lock timeout is reported with the session's name; a failed locked save still releases the lock")
    void storeLockFailures() {
        FailingLockStore store = new FailingLockStore(shared);
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).clock(clock).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> s.put("a", 1)));

        browser.fails(StoreUnavailableException.class, "POST", open -> open.session("session").update(s -> s.put("a", 2)));
        assertEquals(1, store.closes.get(), "the failed save did not release the store lock");
        assertFalse(shared.size() == 0);

        store.timeOut = true;
        SessionLockTimeoutException e = browser.fails(SessionLockTimeoutException.class, "POST", open -> open.session("session").update(s -> s.put("a", 3)));
        assertEquals("session", e.sessionName());
        store.timeOut = false;
        OpenSessions again = sessions.open(new FakeExchange("POST", browser.cookieHeader().orElseThrow()));
        again.session("session").put("b", 1);
        assertThrows(StoreUnavailableException.class, () -> again.beforeCommit(),
                "an unlocked write is committed under the lock, and its failure reaches the adapter");
        assertEquals(2, store.closes.get(), "the failed commit did not release the store lock");
    }
}
