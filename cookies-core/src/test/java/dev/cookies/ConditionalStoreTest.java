package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.ConditionalStore;
import dev.cookies.spi.StoreLock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A read followed by an update on a store that can compare-and-set: one conditional write instead of a
 * lock and a save, and the same guarantee as the lock when another instance changed or holds the session.
 * Two managers on one store stand in for two instances of an app: each has its own in-process locks.
 */
class ConditionalStoreTest {

    private final MutableClock clock = MutableClock.now();
    private final CasStore store = new CasStore(new CountingStore(clock));

    /** A shared store with a lock that holds across managers, and a compare-and-set that respects it. */
    static final class CasStore implements ConditionalStore {
        final CountingStore data;
        final Set<String> locked = ConcurrentHashMap.newKeySet();
        final AtomicInteger locks = new AtomicInteger();
        final AtomicInteger replaces = new AtomicInteger();
        final AtomicInteger replaced = new AtomicInteger();

        CasStore(CountingStore data) {
            this.data = data;
        }

        @Override
        public Optional<byte[]> load(String id, Duration ttl) {
            return data.load(id, ttl);
        }

        @Override
        public synchronized void save(String id, byte[] bytes, Duration ttl) {
            data.save(id, bytes, ttl);
        }

        @Override
        public synchronized void delete(String id) {
            data.delete(id);
        }

        @Override
        public void touch(String id, Duration ttl) {
            data.touch(id, ttl);
        }

        @Override
        public synchronized boolean replace(String id, byte[] expected, byte[] bytes, Duration ttl) {
            replaces.incrementAndGet();
            if (locked.contains(id)) {
                return false;
            }
            Optional<byte[]> current = data.peek(id);
            if (current.isEmpty() || !Arrays.equals(current.get(), expected)) {
                return false;
            }
            data.save(id, bytes, ttl);
            replaced.incrementAndGet();
            return true;
        }

        /** Takes the lock, or fails at once: the tests never need to wait for one. */
        @Override
        public synchronized StoreLock lock(String id, Duration ttl, Duration wait) {
            locks.incrementAndGet();
            if (!locked.add(id)) {
                throw SessionLockTimeoutException.of("session", wait);
            }
            Optional<byte[]> read = data.load(id, ttl);
            return new StoreLock() {
                @Override
                public Optional<byte[]> data() {
                    return read;
                }

                @Override
                public void save(byte[] bytes, Duration saveTtl) {
                    synchronized (CasStore.this) {
                        data.save(id, bytes, saveTtl);
                        locked.remove(id);
                    }
                }

                @Override
                public void delete() {
                    synchronized (CasStore.this) {
                        data.delete(id);
                        locked.remove(id);
                    }
                }

                @Override
                public void close() {
                    locked.remove(id);
                }
            };
        }

        void resetCounts() {
            data.resetCounts();
            locks.set(0);
            replaces.set(0);
            replaced.set(0);
        }

        @Override
        public String description() {
            return "cas";
        }
    }

    private FakeBrowser instance() {
        return new FakeBrowser(Sessions.of(SessionManager.builder("session").store(store).clock(clock)
                .lockWait(Duration.ofMillis(50)).build()));
    }

    /** A browser on a second instance, sending the same cookie as {@code of}. */
    private FakeBrowser otherInstance(FakeBrowser of) {
        FakeBrowser other = instance();
        other.setCookie("SESSION", of.cookie("SESSION").orElseThrow());
        return other;
    }

    private static int count(OpenSessions open) {
        return open.session("session").get("n", Integer.class).orElse(0);
    }

    private FakeBrowser withCount(int n) {
        FakeBrowser browser = instance();
        browser.request("POST", open -> open.session("session").update(d -> d.put("n", n)));
        store.resetCounts();
        return browser;
    }

    @Test
    @DisplayName("a read, then an update: one load and one conditional write, no lock")
    void readThenUpdate() {
        FakeBrowser browser = withCount(1);
        FakeBrowser.Response r = browser.request("POST", open -> {
            int n = count(open);
            open.session("session").update(d -> d.put("n", n + 1));
        });
        assertTrue(r.failure().isEmpty(), r::toString);
        assertEquals(1, store.data.loads.get());
        assertEquals(1, store.replaced.get());
        assertEquals(0, store.locks.get());
        assertEquals(0, store.data.saves.get() - store.replaced.get(), "no save besides the conditional one");
        browser.request("GET", open -> assertEquals(2, count(open)));
    }

    @Test
    @DisplayName("an update on a session not read yet reads it under the in-process lock, then writes it conditionally: no store lock")
    void updateWithoutRead() {
        FakeBrowser browser = withCount(1);
        browser.request("POST", open -> open.session("session").update(d ->
                d.put("n", d.get("n", Integer.class).orElseThrow() + 1)));
        assertEquals(0, store.locks.get());
        assertEquals(1, store.data.loads.get());
        assertEquals(1, store.replaced.get());
        browser.request("GET", open -> assertEquals(2, count(open)));
    }

    @Test
    @DisplayName("concurrent updates within one instance never conflict: they queue on the in-process lock, each reads fresh")
    void localContention() throws Exception {
        FakeBrowser browser = withCount(0);
        String cookie = browser.cookieHeader().orElseThrow();
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).clock(clock)
                .lockWait(Duration.ofSeconds(30)).build());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        OpenSessions open = sessions.open(new FakeExchange("POST", cookie));
                        open.session("session").update(d -> d.put("n", d.get("n", Integer.class).orElseThrow() + 1));
                        open.end(null);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(1, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        browser.request("GET", open -> assertEquals(400, count(open)));
        assertEquals(0, store.locks.get(), "no conflict, so never the store's lock");
        assertEquals(400, store.replaced.get());
    }

    @Test
    @DisplayName("a change by another instance between the read and the update: the update runs again under the lock, on the new value")
    void conflictRunsAgainUnderTheLock() {
        FakeBrowser browser = withCount(1);
        FakeBrowser other = otherInstance(browser);
        AtomicInteger runs = new AtomicInteger();
        FakeBrowser.Response r = browser.request("POST", open -> {
            count(open);
            other.request("POST", o -> o.session("session").update(d -> d.put("n", 10)));
            open.session("session").update(d -> {
                runs.incrementAndGet();
                d.put("n", d.get("n", Integer.class).orElseThrow() + 1);
            });
        });
        assertTrue(r.failure().isEmpty(), r::toString);
        assertEquals(2, runs.get(), "once optimistically, once under the lock");
        browser.request("GET", open -> assertEquals(11, count(open), "the other instance's write was not lost"));
    }

    @Test
    @DisplayName("a session locked by another instance is never replaced: the update waits for the lock and times out")
    void lockedElsewhere() {
        FakeBrowser browser = withCount(1);
        String id = browser.cookie("SESSION").orElseThrow();
        FakeBrowser.Response r;
        try (StoreLock held = store.lock(id, Duration.ofMinutes(1), Duration.ZERO)) {
            r = browser.request("POST", open -> {
                count(open);
                assertThrows(SessionLockTimeoutException.class,
                        () -> open.session("session").update(d -> d.put("n", 99)));
            });
        }
        assertTrue(r.failure().isEmpty(), r::toString);
        assertEquals(1, store.replaces.get());
        assertEquals(0, store.replaced.get());
        browser.request("GET", open -> assertEquals(1, count(open)));
    }

    @Test
    @DisplayName("unlocked writes are applied at commit by a conditional write; on a conflict, again under the lock, onto the other instance's change")
    void unlockedWritesAtCommit() {
        FakeBrowser browser = withCount(1);
        browser.request("POST", open -> {
            count(open);
            open.session("session").put("a", 1);
        });
        assertEquals(0, store.locks.get());
        assertEquals(1, store.replaced.get());

        FakeBrowser other = otherInstance(browser);
        browser.request("POST", open -> {
            count(open);
            open.session("session").put("b", 2);
            other.request("POST", o -> o.session("session").update(d -> d.put("n", 10)));
        });
        browser.request("GET", open -> {
            assertEquals(10, count(open));
            assertEquals(Optional.of(1), open.session("session").get("a", Integer.class));
            assertEquals(Optional.of(2), open.session("session").get("b", Integer.class));
        });
    }

    @Test
    @DisplayName("an update that throws saves nothing and drops the request's pending writes, as under the lock")
    void failedUpdate() {
        FakeBrowser browser = withCount(1);
        browser.request("POST", open -> {
            count(open);
            open.session("session").put("a", 1);
            assertThrows(IllegalArgumentException.class, () -> open.session("session").update(d -> {
                d.put("n", 5);
                throw new IllegalArgumentException("no");
            }));
        });
        assertEquals(0, store.replaces.get());
        browser.request("GET", open -> {
            assertEquals(1, count(open));
            assertFalse(open.session("session").get("a").isPresent());
        });
    }

    @Test
    @DisplayName("clearing in an update deletes under the lock")
    void clearDeletes() {
        FakeBrowser browser = withCount(1);
        String id = browser.cookie("SESSION").orElseThrow();
        browser.request("POST", open -> {
            count(open);
            open.session("session").update(SessionData::clear);
        });
        assertFalse(store.data.contains(id));
        assertEquals(1, store.locks.get());
    }
}
