package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The distributed lock's lease and token, seen from two application instances (two stores). */
class LockLeaseTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private static RedisSessionStore store(Duration lease) {
        return RedisSessionStore.builder().uri(REDIS.server().uri()).lockLease(lease).build();
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

    private static String get(RedisSessionStore store, byte[] key) {
        return (String) REDIS.server().command("GET", new String(key, StandardCharsets.UTF_8));
    }

    private static long pttl(byte[] key) {
        return (Long) REDIS.server().command("PTTL", new String(key, StandardCharsets.UTF_8));
    }

    private static RedisSessionStore store(Duration lease, Duration keepAlive) {
        return RedisSessionStore.builder().uri(REDIS.server().uri()).lockLease(lease).lockKeepAlive(keepAlive).build();
    }

    @Test
    @DisplayName("a held lock expires after its keep-alive in Redis, is renewed while held, and is held no longer than its lease")
    void renewedUpToTheLease() {
        Duration keepAlive = Duration.ofMillis(1500);
        Duration lease = Duration.ofMillis(4500);
        try (RedisSessionStore holder = store(lease, keepAlive); RedisSessionStore other = store(LEASE)) {
            String id = id();
            byte[] lockKey = holder.lockKey(id);
            long start = System.nanoTime();
            StoreLock held = holder.lock(id, TTL, Duration.ZERO);
            // Past two keep-alives, the lock still holds (it was renewed), and Redis never holds it for
            // longer than one keep-alive ahead.
            Await.until(Duration.ofSeconds(10), "two keep-alives to pass while the lock holds", () -> {
                long pttl = pttl(lockKey);
                assertTrue(pttl > 0 && pttl <= keepAlive.toMillis(), "the lock key's PTTL is " + pttl + " ms");
                assertThrows(SessionLockTimeoutException.class, () -> other.lock(id, TTL, Duration.ZERO));
                return System.nanoTime() - start > keepAlive.multipliedBy(2).toNanos();
            });
            // The renewals stop at the lease: then the other instance takes the lock over.
            try (StoreLock taken = other.lock(id, TTL, Duration.ofSeconds(10))) {
                long heldMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(heldMs >= lease.toMillis() - 500 && heldMs < lease.toMillis() + 3_000,
                        "the lock was held " + heldMs + " ms for a lease of " + lease);
                taken.save(bytes("v2"), TTL);
            }
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> held.save(bytes("stale"), TTL));
            assertTrue(refused.getMessage().contains("lease"), refused.getMessage());
            assertEquals("v2", text(other.load(id, TTL)));
        }
    }

    @Test
    @DisplayName("the lock of an instance that died frees itself within the keep-alive, not the lease")
    void deadHolderFreesWithinKeepAlive() {
        Duration keepAlive = Duration.ofMillis(1500);
        try (RedisSessionStore other = store(LEASE)) {
            String id = id();
            RedisSessionStore dies = store(Duration.ofSeconds(30), keepAlive);
            StoreLock abandoned = dies.lock(id, TTL, Duration.ZERO);
            assertTrue(abandoned.data().isEmpty());
            dies.close(); // as good as dead: no more renewals, no release
            long start = System.nanoTime();
            try (StoreLock taken = other.lock(id, TTL, Duration.ofSeconds(10))) {
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waitedMs <= keepAlive.toMillis() + 1_000, "waited " + waitedMs + " ms for a dead holder's lock");
                taken.save(bytes("mine"), TTL);
            }
            assertEquals("mine", text(other.load(id, TTL)));
        }
    }

    @Test
    @DisplayName("a lock whose holder never releases it is taken over after its lease, and the old holder can no longer write")
    void takenOverAfterLease() {
        try (RedisSessionStore crashed = store(LEASE); RedisSessionStore other = store(LEASE)) {
            String id = id();
            crashed.save(id, bytes("v1"), TTL);
            StoreLock abandoned = crashed.lock(id, TTL, Duration.ZERO);
            assertEquals("v1", text(abandoned.data()));

            // While the lease runs, the other instance is kept out...
            assertThrows(SessionLockTimeoutException.class, () -> other.lock(id, TTL, Duration.ZERO));
            // ...and once it has run out, takes the lock over, waiting for at most a little longer.
            try (StoreLock taken = other.lock(id, TTL, LEASE.multipliedBy(5))) {
                assertEquals("v1", text(taken.data()));
                taken.save(bytes("v2"), TTL);
            }

            // The old holder's late write is refused, not made.
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> abandoned.save(bytes("stale"), TTL));
            assertEquals("save", refused.operation());
            assertTrue(refused.getMessage().contains("lease"), refused.getMessage());
            assertEquals("v2", text(other.load(id, TTL)));
            abandoned.close();
        }
    }

    @Test
    @DisplayName("a release or a delete with the wrong token does nothing")
    void wrongTokenDoesNothing() {
        try (RedisSessionStore stale = store(Duration.ofMillis(300)); RedisSessionStore holder = store(LEASE);
             RedisSessionStore third = store(LEASE)) {
            String id = id();
            holder.save(id, bytes("kept"), TTL);
            StoreLock old = stale.lock(id, TTL, Duration.ZERO);
            try (StoreLock current = holder.lock(id, TTL, Duration.ofSeconds(10))) {
                String token = get(holder, holder.lockKey(id));
                assertTrue(token != null, "the holder's lock key is missing");

                old.close(); // releases with the old token, which no longer holds the lock
                assertEquals(token, get(holder, holder.lockKey(id)), "a stale token released someone else's lock");
                assertThrows(SessionLockTimeoutException.class, () -> third.lock(id, TTL, Duration.ZERO),
                        "the lock was released by a stale token");
                assertEquals("kept", text(current.data()));
            }
            assertEquals("kept", text(third.load(id, TTL)));
            try (StoreLock free = third.lock(id, TTL, Duration.ZERO)) {
                assertEquals("kept", text(free.data()), "the holder's close did not release its own lock");
            }
        }
    }

    @Test
    @DisplayName("a delete through a lock whose lease was lost is refused and deletes nothing")
    void deleteAfterLostLeaseIsRefused() {
        try (RedisSessionStore slow = store(Duration.ofMillis(300)); RedisSessionStore other = store(LEASE)) {
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
        try (RedisSessionStore a = store(Duration.ofSeconds(30)); RedisSessionStore b = store(Duration.ofSeconds(30))) {
            String id = id();
            try (StoreLock held = a.lock(id, TTL, Duration.ZERO)) {
                long start = System.nanoTime();
                SessionLockTimeoutException e = assertThrows(SessionLockTimeoutException.class,
                        () -> b.lock(id, TTL, Duration.ofMillis(300)));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Duration.ofMillis(300), e.waited());
                assertTrue(elapsedMs < 5_000, "waited " + elapsedMs + " ms for a 300 ms wait");
                assertTrue(held.data().isEmpty());
            }
            try (StoreLock after = b.lock(id, TTL, Duration.ZERO)) {
                assertTrue(after.data().isEmpty());
            }
        }
    }

    @Test
    @DisplayName("through the engine, a session locked by another instance fails with SessionLockTimeoutException after lockWait")
    void engineSeesTheOtherInstancesLock() {
        try (RedisSessionStore mine = store(Duration.ofSeconds(30)); RedisSessionStore theirs = store(Duration.ofSeconds(30));
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
            assertNotEquals(null, browser.cookie("SESSION").orElse(null));
        }
    }
}
