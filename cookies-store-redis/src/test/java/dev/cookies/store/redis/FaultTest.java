package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Redis going away and coming back, on a redis-server process of this class's own (so it can stop it
 * even when {@code REDIS_URL} names another). The store logs in as an ACL user, so that every message can be
 * checked for the password.
 */
class FaultTest {

    private static final String PASSWORD = "s3cret-Pa55";
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Generous: connect and read timeouts, twice when a dead pooled connection is retried, plus slack. */
    private static final long BOUND_MS = 5_000;
    private static final Duration TTL = Duration.ofMinutes(10);

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.localProcess("--user", "app", "on", ">" + PASSWORD, "~*", "+@all");

    private RedisServer server;

    @BeforeEach
    void setUp() {
        server = REDIS.server();
    }

    private String uri() {
        return server.uri().replace("redis://", "redis://app:" + PASSWORD + "@");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    private static Consumer<OpenSessions> increment() {
        return open -> open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
    }

    private static int count(FakeBrowser browser) {
        int[] n = new int[1];
        browser.request("GET", open -> n[0] = open.session("session").get("count", Integer.class).orElse(-1));
        return n[0];
    }

    /** Runs a call that must fail with StoreUnavailableException for {@code operation} within the bound. */
    private static StoreUnavailableException assertUnavailable(String operation, Executable call) {
        long start = System.nanoTime();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call, operation);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < BOUND_MS, operation + " took " + ms + " ms to fail; the bound is " + BOUND_MS + " ms");
        assertEquals(operation, e.operation());
        assertFalse(e.store().contains(PASSWORD));
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(PASSWORD), "the password leaked into an exception:\n" + trace);
        return e;
    }

    @Test
    @DisplayName("Redis stopped: every call fails fast with StoreUnavailableException; restarted: the same store serves again, nothing half-written")
    void stoppedThenRestarted() {
        try (RedisSessionStore store = RedisSessionStore.builder().uri(uri()).timeout(TIMEOUT)
                .lockLease(Duration.ofSeconds(1)).build();
             SessionManager manager = SessionManager.builder("session").store(store).lockPolicy(LockPolicy.STRICT).build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", increment());
            assertEquals(1, count(browser));
            String other = "fault-" + UUID.randomUUID();
            store.save(other, bytes("v1"), TTL);
            StoreLock midway = store.lock(other, TTL, Duration.ZERO);

            server.stop();

            assertUnavailable("load", () -> store.load(other, TTL));
            assertUnavailable("save", () -> store.save("fault-" + UUID.randomUUID(), bytes("x"), TTL));
            assertUnavailable("delete", () -> store.delete(other));
            assertUnavailable("touch", () -> store.touch(other, TTL));
            assertUnavailable("lock", () -> store.lock(other, TTL, Duration.ofSeconds(30)));
            assertUnavailable("save", () -> midway.save(bytes("v2"), TTL));
            // Through the engine, the request fails with the typed exception an adapter turns into 503:
            // an update reads the session first (then compares-and-sets), so the read is what fails.
            assertUnavailable("load", () -> browser.request("POST", increment()));
            assertUnavailable("load", () -> count(browser));

            server.restart();

            // The same store object serves again; what failed while Redis was down was not written.
            assertEquals("v1", text(store.load(other, TTL)));
            assertEquals(1, count(browser));
            browser.request("POST", increment());
            assertEquals(2, count(browser));
            // The lock the failed write could not release is released by its token now that Redis
            // answers (or expires within its keep-alive, here the 1 s lease).
            try (StoreLock again = store.lock(other, TTL, Duration.ofSeconds(10))) {
                assertEquals("v1", text(again.data()));
                again.save(bytes("v3"), TTL);
            }
            assertEquals("v3", text(store.load(other, TTL)));
        }
    }

    @Test
    @DisplayName("Redis restarted between requests: the next call succeeds on a fresh connection, not on a dead pooled one")
    void restartedWhileIdle() {
        try (RedisSessionStore store = RedisSessionStore.builder().uri(uri()).timeout(TIMEOUT).build()) {
            String id = "fault-" + UUID.randomUUID();
            store.save(id, bytes("kept"), TTL);
            server.stop();
            server.restart();
            // Nobody called the store while Redis was down, so its pooled connection is dead. Every call
            // here must still succeed (the retry on a fresh connection), with the data kept by Redis.
            assertEquals("kept", text(store.load(id, TTL)));
            try (StoreLock lock = store.lock(id, TTL, Duration.ZERO)) {
                lock.save(bytes("changed"), TTL);
            }
            assertEquals("changed", text(store.load(id, TTL)));
        }
    }

    @Test
    @DisplayName("Redis hung (SIGSTOP): calls fail with StoreUnavailableException after the read timeout; resumed: the store serves again")
    void hungThenResumed() {
        try (RedisSessionStore store = RedisSessionStore.builder().uri(uri()).timeout(TIMEOUT)
                .lockLease(Duration.ofSeconds(1)).build()) {
            String id = "fault-" + UUID.randomUUID();
            store.save(id, bytes("v1"), TTL);
            server.pause();
            try {
                StoreUnavailableException e = assertUnavailable("load", () -> store.load(id, TTL));
                assertTrue(hasCause(e, SocketTimeoutException.class), "not a read timeout: " + e);
                assertUnavailable("save", () -> store.save(id, bytes("v2"), TTL));
                assertUnavailable("lock", () -> store.lock("fault-" + UUID.randomUUID(), TTL, Duration.ofSeconds(30)));
            } finally {
                server.resume();
            }
            // A write that timed out may still run once Redis wakes (it had the command): the session is
            // then wholly the old value or wholly the new one, never a mix.
            assertTrue(Set.of("v1", "v2").contains(text(store.load(id, TTL))));
            store.save(id, bytes("v3"), TTL);
            assertEquals("v3", text(store.load(id, TTL)));
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
