package dev.cookies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lease-row lock between application instances (two store instances with their own pools, on one
 * PostgreSQL): exclusion, takeover after a crash, stale tokens, waits, and that no connection is held
 * while a lock is.
 */
class LockLeaseTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private static JdbcSessionStore store(Duration lease) {
        return JdbcSessionStore.builder().uri(POSTGRES.server().uri() + "&table=leases&createTable=true")
                .lockLease(lease).build();
    }

    private static String id() {
        return "lease-" + UUID.randomUUID();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    @DisplayName("a lock whose holder crashed (never releases) is taken over once its lease is over, waiting at most the lease; the old holder can no longer write")
    void takenOverAfterLease() {
        try (JdbcSessionStore crashed = store(LEASE); JdbcSessionStore other = store(LEASE)) {
            String id = id();
            crashed.save(id, bytes("v1"), TTL);
            long taken = System.nanoTime();
            StoreLock abandoned = crashed.lock(id, TTL, Duration.ZERO);
            assertEquals("v1", text(abandoned.data()));

            // While the lease runs, the other instance is kept out...
            assertThrows(SessionLockTimeoutException.class, () -> other.lock(id, TTL, Duration.ZERO));
            // ...and once it is over, takes the lock over, having waited no longer than the lease.
            try (StoreLock takeover = other.lock(id, TTL, LEASE.multipliedBy(5))) {
                long heldMs = (System.nanoTime() - taken) / 1_000_000;
                assertTrue(heldMs <= LEASE.toMillis() + 1_000, "the crashed holder's lock held for " + heldMs
                        + " ms, the lease is " + LEASE.toMillis() + " ms");
                assertEquals("v1", text(takeover.data()));
                takeover.save(bytes("v2"), TTL);
            }

            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> abandoned.save(bytes("stale"), TTL));
            assertEquals("save", refused.operation());
            assertTrue(refused.getMessage().contains("lease"), refused.getMessage());
            assertEquals("v2", text(other.load(id, TTL)));
            abandoned.close();
        }
    }

    @Test
    @DisplayName("a release or a delete with a stale token does nothing to the current holder's lock")
    void staleTokenDoesNothing() {
        try (JdbcSessionStore stale = store(Duration.ofMillis(300)); JdbcSessionStore holder = store(LEASE);
             JdbcSessionStore third = store(LEASE)) {
            String id = id();
            holder.save(id, bytes("kept"), TTL);
            StoreLock old = stale.lock(id, TTL, Duration.ZERO);
            try (StoreLock current = holder.lock(id, TTL, Duration.ofSeconds(10))) {
                old.close(); // releases with the old token, which no longer holds the lock
                assertThrows(SessionLockTimeoutException.class, () -> third.lock(id, TTL, Duration.ZERO),
                        "the lock was released by a stale token");
                assertEquals("kept", text(current.data()));
            }
            try (StoreLock free = third.lock(id, TTL, Duration.ZERO)) {
                assertEquals("kept", text(free.data()), "the holder's close did not release its own lock");
            }
        }
    }

    @Test
    @DisplayName("a delete through a lock whose lease was lost is refused and deletes nothing")
    void deleteAfterLostLeaseIsRefused() {
        try (JdbcSessionStore slow = store(Duration.ofMillis(300)); JdbcSessionStore other = store(LEASE)) {
            String id = id();
            other.save(id, bytes("alive"), TTL);
            StoreLock lock = slow.lock(id, TTL, Duration.ZERO);
            try (StoreLock taken = other.lock(id, TTL, Duration.ofSeconds(10))) {
                StoreUnavailableException refused = assertThrows(StoreUnavailableException.class, lock::delete);
                assertEquals("delete", refused.operation());
                assertEquals("alive", text(taken.data()));
            }
            assertEquals("alive", text(other.load(id, TTL)));
        }
    }

    @Test
    @DisplayName("a held lock makes another instance wait up to its wait, then SessionLockTimeoutException")
    void waitsThenTimesOut() {
        try (JdbcSessionStore a = store(Duration.ofSeconds(30)); JdbcSessionStore b = store(Duration.ofSeconds(30))) {
            String id = id();
            try (StoreLock held = a.lock(id, TTL, Duration.ZERO)) {
                long start = System.nanoTime();
                SessionLockTimeoutException e = assertThrows(SessionLockTimeoutException.class,
                        () -> b.lock(id, TTL, Duration.ofMillis(300)));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Duration.ofMillis(300), e.waited());
                assertTrue(elapsedMs >= 300 && elapsedMs < 5_000, "waited " + elapsedMs + " ms for a 300 ms wait");
                assertTrue(held.data().isEmpty());
            }
            try (StoreLock after = b.lock(id, TTL, Duration.ZERO)) {
                assertTrue(after.data().isEmpty(), "a lock on an id with no session read data");
            }
        }
    }

    @Test
    @DisplayName("no connection is held while a lock is: with a pool of one, five locks are held at once and reads go on")
    void noConnectionHeldWhileLocked() {
        try (JdbcSessionStore one = JdbcSessionStore.builder().uri(POSTGRES.server().uri() + "&table=leases")
                .poolSize(1).queryTimeout(Duration.ofSeconds(1)).build()) {
            List<StoreLock> held = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = id();
                one.save(id, bytes("v" + i), TTL);
                ids.add(id);
                held.add(one.lock(id, TTL, Duration.ZERO));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("v" + i, text(one.load(ids.get(i), TTL)));
            }
            for (int i = 0; i < 5; i++) {
                held.get(i).save(bytes("w" + i), TTL);
            }
            assertEquals("w4", text(one.load(ids.get(4), TTL)));
            assertEquals(1, one.pool().openCount());
        }
    }

    @Test
    @DisplayName("through the engine, a session locked by another instance fails with SessionLockTimeoutException after lockWait")
    void engineSeesTheOtherInstancesLock() {
        try (JdbcSessionStore mine = store(Duration.ofSeconds(30)); JdbcSessionStore theirs = store(Duration.ofSeconds(30));
             SessionManager manager = SessionManager.builder("session").store(mine).lockWait(Duration.ofMillis(200))
                     .lockPolicy(LockPolicy.STRICT).build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            String id = browser.cookie("SESSION").orElseThrow();
            try (StoreLock held = theirs.lock(id, TTL, Duration.ZERO)) {
                assertTrue(held.data().isPresent());
                assertThrows(SessionLockTimeoutException.class, () -> browser.request("POST",
                        open -> open.session("session").update(s -> s.put("n", 2))));
            }
            int[] n = new int[1];
            browser.request("POST", open -> open.session("session").update(s -> {
                n[0] = s.get("n", Integer.class).orElseThrow();
                s.put("n", n[0] + 1);
            }));
            assertEquals(1, n[0], "the refused request changed the session");
        }
    }

    @Test
    @DisplayName("two store instances with their own pools, 8 threads each, 400 locked increments end at exactly 400, no lock left")
    void twoInstancesIncrement() throws Exception {
        String id = id();
        try (JdbcSessionStore a = store(LEASE); JdbcSessionStore b = store(LEASE)) {
            a.save(id, bytes("0"), TTL);
            int threads = 16;
            int total = 400;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    JdbcSessionStore store = t % 2 == 0 ? a : b;
                    int mine = total / threads;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < mine; i++) {
                            try (StoreLock lock = store.lock(id, TTL, Duration.ofSeconds(60))) {
                                int n = Integer.parseInt(text(lock.data()));
                                lock.save(bytes(Integer.toString(n + 1)), TTL);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals("400", text(a.load(id, TTL)));
            try (StoreLock free = b.lock(id, TTL, Duration.ZERO)) {
                assertEquals("400", text(free.data()), "a lock was left behind");
            }
        }
    }
}
