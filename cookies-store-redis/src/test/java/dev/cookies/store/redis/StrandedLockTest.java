package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The red team's "stranded Redis locks": Redis hung ({@code SIGSTOP}) past the client's read timeout
 * while a lock's acquire or final write was in flight. The client gave up with a 503, Redis ran what it
 * had queued when it woke, and the lock stayed under a token nobody would release, for the whole lease.
 *
 * <p>The stores here keep a lock's expiry at {@link #KEEP_ALIVE} (10 s), longer than {@link #FREED_WITHIN}
 * (3 s): a lock that is gone within that deadline was released by its token, not left to expire. The
 * lease is the default 30 s the red team saw. Redis is a process of this class's own, with an ACL user,
 * so that a new connection has to log in (see {@link #finalWriteTimedOut}).
 */
class StrandedLockTest {

    private static final String PASSWORD = "str4nded-Pw";
    private static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    private static final Duration LEASE = RedisSessionStore.DEFAULT_LOCK_LEASE;
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    /** "Within a few seconds": well under both the keep-alive and the lease. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(3);
    private static final Duration TTL = Duration.ofMinutes(10);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.localProcess("--user", "app", "on", ">" + PASSWORD, "~*", "+@all");

    private RedisServer server;

    @BeforeEach
    void setUp() {
        server = REDIS.server();
    }

    private RedisSessionStore store(Duration keepAlive) {
        return RedisSessionStore.builder().uri(server.uri().replace("redis://", "redis://app:" + PASSWORD + "@"))
                .timeout(READ_TIMEOUT).lockLease(LEASE).lockKeepAlive(keepAlive).build();
    }

    private static String id() {
        return "stranded-" + UUID.randomUUID();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    private long exists(byte[] key) {
        return (Long) server.command("EXISTS", new String(key, StandardCharsets.UTF_8));
    }

    private long pttl(byte[] key) {
        return (Long) server.command("PTTL", new String(key, StandardCharsets.UTF_8));
    }

    /** Asserts that Redis holds no lock for the key beyond the keep-alive: gone (-2) or short-lived. */
    private void assertNoLongLock(byte[] lockKey) {
        long pttl = pttl(lockKey);
        assertTrue(pttl == -2 || (pttl > 0 && pttl <= KEEP_ALIVE.toMillis()),
                "Redis holds the lock for another " + pttl + " ms (lease " + LEASE + ")");
    }

    /** A new lock is had at once, a locked write goes through, and a locked delete (logout) too. */
    private void assertSessionUsable(RedisSessionStore store, String id, String expected) {
        try (StoreLock again = store.lock(id, TTL, Duration.ZERO)) {
            assertEquals(expected, text(again.data()));
            again.save(bytes("after"), TTL);
        }
        assertEquals("after", text(store.load(id, TTL)));
        try (StoreLock logout = store.lock(id, TTL, Duration.ZERO)) {
            logout.delete();
        }
        assertEquals(0L, exists(store.dataKey(id)), "the locked delete left the session");
        assertEquals(0L, exists(store.lockKey(id)), "the locked delete left its lock");
    }

    @Test
    @DisplayName("an acquire that timed out and that Redis ran on waking leaves no lock: released by its token within seconds")
    void acquireTimedOut() {
        try (RedisSessionStore store = store(KEEP_ALIVE)) {
            String id = id();
            byte[] lockKey = store.lockKey(id);
            // Also leaves a logged-in pooled connection, so that the acquire itself is sent to the hung server.
            store.save(id, bytes("v1"), TTL);
            server.pause();
            try {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> store.lock(id, TTL, Duration.ofSeconds(5)));
                assertEquals("lock", e.operation());
            } finally {
                server.resume();
            }
            // Redis has now run the queued acquire (it was read before this command). Whatever it set
            // lives no longer than the keep-alive, never the lease...
            assertNoLongLock(lockKey);
            // ...and the store releases it by its token with no further request needed.
            Await.until(FREED_WITHIN, "the stranded lock to be released", () -> exists(lockKey) == 0L);
            assertSessionUsable(store, id, "v1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"save", "delete"})
    @DisplayName("a save or delete through the lock that timed out before reaching Redis leaves no lock: released by its token")
    void finalWriteTimedOut(String operation) {
        try (RedisSessionStore store = store(KEEP_ALIVE)) {
            String id = id();
            byte[] lockKey = store.lockKey(id);
            store.save(id, bytes("v1"), TTL);
            StoreLock lock = store.lock(id, TTL, Duration.ZERO);
            server.pause();
            try {
                // A read times out first and takes the only pooled connection with it, so the final
                // write needs a new connection, whose login times out: the write never reaches Redis
                // and its lock, held under a live token, is not released by it.
                assertThrows(StoreUnavailableException.class, () -> store.load(id(), TTL));
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> finish(lock, operation));
                assertEquals(operation, e.operation());
                lock.close(); // what the engine does after a failed write
            } finally {
                server.resume();
            }
            assertNoLongLock(lockKey);
            Await.until(FREED_WITHIN, "the lock of the failed " + operation + " to be released", () -> exists(lockKey) == 0L);
            assertEquals("v1", text(store.load(id, TTL)), "the failed " + operation + " was made");
            assertSessionUsable(store, id, "v1");
        }
    }

    private static void finish(StoreLock lock, String operation) {
        if (operation.equals("save")) {
            lock.save(bytes("v2"), TTL);
        } else {
            lock.delete();
        }
    }

    @Test
    @DisplayName("through the engine: an increment times out while Redis hangs; once it is back, logout works at once and the user is gone")
    void logoutAsSoonAsRedisIsBack() {
        try (RedisSessionStore store = store(KEEP_ALIVE);
             SessionManager manager = SessionManager.builder("auth").store(store).lockPolicy(LockPolicy.STRICT)
                     .lockWait(Duration.ofSeconds(2)).build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));
            String id = browser.cookie("AUTH").orElseThrow();
            assertEquals(Optional.of("alice"), me(browser));

            server.pause();
            try {
                assertThrows(StoreUnavailableException.class, () -> browser.request("POST",
                        open -> open.session("auth").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1))));
            } finally {
                server.resume();
            }
            assertNoLongLock(store.lockKey(id));

            // Logout right away: its lock wait (2 s) is far shorter than the keep-alive (10 s), so it
            // succeeds only because the stranded lock is released by its token.
            browser.request("POST", open -> AuthSession.of(open.session("auth")).logout());
            assertEquals(Optional.empty(), me(browser));
            assertEquals(0L, exists(store.dataKey(id)), "the logged-out session is still in Redis");
            assertEquals(0L, exists(store.lockKey(id)));
            assertFalse(browser.cookie("AUTH").isPresent(), "logout did not expire the cookie");
        }
    }

    // ---- what a client sees of a save that timed out (docs/redis-store.md, "When Redis stalls")

    @Test
    @DisplayName("a save that timed out but reached Redis is applied when Redis catches up within the keep-alive: the next read shows it")
    void timedOutSaveAppliedWhenRedisCatchesUpInTime() {
        try (RedisSessionStore store = store(KEEP_ALIVE)) {
            String id = id();
            store.save(id, bytes("v1"), TTL);
            StoreLock lock = store.lock(id, TTL, Duration.ZERO);
            server.pause();
            try {
                // Sent on the pooled connection the lock just used, so Redis has it.
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> lock.save(bytes("v2"), TTL));
                assertEquals("save", e.operation());
            } finally {
                server.resume();
            }
            // The client got a 503, yet the write was made: what the next request reads.
            assertEquals("v2", text(store.load(id, TTL)));
            assertEquals(0L, exists(store.lockKey(id)), "the late save did not release its lock");
            Await.until(FREED_WITHIN, "the keeper to drop the token", () -> store.strandedLocks() == 0);
            assertSessionUsable(store, id, "v2");
        }
    }

    @Test
    @DisplayName("a save that timed out is not applied if Redis catches up only after the lock's keep-alive: the next read shows the old value")
    void timedOutSaveDroppedWhenTheLockExpiredFirst() {
        Duration keepAlive = Duration.ofSeconds(1);
        try (RedisSessionStore store = store(keepAlive)) {
            String id = id();
            store.save(id, bytes("v1"), TTL);
            StoreLock lock = store.lock(id, TTL, Duration.ZERO);
            long pausedAt = System.nanoTime();
            server.pause();
            try {
                assertThrows(StoreUnavailableException.class, () -> lock.save(bytes("v2"), TTL));
                // The stall itself, the condition under test: Redis stays hung until the lock, last
                // renewed before the pause, has expired by Redis's clock.
                stallUntil(pausedAt + keepAlive.plusMillis(500).toNanos());
            } finally {
                server.resume();
            }
            // The late save found the lock expired and wrote nothing, though the client could not know.
            assertEquals("v1", text(store.load(id, TTL)));
            assertEquals(0L, exists(store.lockKey(id)));
            assertSessionUsable(store, id, "v1");
        }
    }

    private static void stallUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static Optional<Object> me(FakeBrowser browser) {
        Object[] user = new Object[1];
        browser.request("GET", open -> user[0] = AuthSession.of(open.session("auth")).user().orElse(null));
        return Optional.ofNullable(user[0]);
    }
}
