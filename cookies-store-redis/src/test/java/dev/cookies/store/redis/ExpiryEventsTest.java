package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionEvent;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expiry events from Redis keyspace notifications, against a redis-server of this class's own started
 * with {@code --notify-keyspace-events Ex} (the store never sets it): heard through the engine, only
 * for the store's own session keys, again after Redis restarted, and a close that does not wait on a
 * hung Redis.
 */
class ExpiryEventsTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.localProcess("--notify-keyspace-events", "Ex");

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final String prefix = "cookies:events-test:" + UUID.randomUUID() + ":";
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private RedisServer server;
    private RedisSessionStore store;

    @BeforeEach
    void setUp() {
        server = REDIS.server();
        store = RedisSessionStore.builder().uri(server.uri() + "?expiryEvents=true&timeout=500ms").keyPrefix(prefix).build();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private void listen() {
        store.onExpiry((id, data) -> {
            assertEquals(Optional.empty(), data);
            heard.add(id);
        });
        Await.until(DEADLINE, "the subscription", () -> store.expiryEvents().subscribed() == 1);
    }

    /** Lets a key expire now: a command on a key past its expiry makes Redis expire it, and publish that. */
    private void expireNow(String key) {
        server.command("SET", key, "x", "PX", "1");
        Await.until(DEADLINE, key + " to expire", () -> (Long) server.command("EXISTS", key) == 0L);
    }

    @Test
    @DisplayName("a session with a 1 s idle timeout expires in Redis, and the manager's listener hears EXPIRED for it")
    void throughTheEngine() {
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (SessionManager manager = SessionManager.builder("session").store(store).idleTimeout(Duration.ofSeconds(1))
                .lockPolicy(LockPolicy.STRICT).listener(events::add).build()) {
            Await.until(DEADLINE, "the subscription", () -> store.expiryEvents() != null
                    && store.expiryEvents().subscribed() == 1);
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            String handle = events.stream().filter(e -> e.kind() == SessionEvent.Kind.CREATED).findFirst()
                    .orElseThrow().handle();
            Await.until(DEADLINE, "an EXPIRED event for the session", () -> events.stream()
                    .anyMatch(e -> e.kind() == SessionEvent.Kind.EXPIRED && e.handle().equals(handle)));
        }
    }

    @Test
    @DisplayName("only the store's own session keys are reported: not their locks, not users' indexes, not other keys")
    void onlySessions() {
        listen();
        expireNow("other:key");
        expireNow(prefix + "{abc}:lock");
        expireNow(new String(store.userKey("alice"), StandardCharsets.UTF_8));
        expireNow("another:prefix:{abc}");
        String id = UUID.randomUUID().toString();
        expireNow(new String(store.dataKey(id), StandardCharsets.UTF_8));
        // One connection delivers in order: the session's event comes after the others.
        Await.until(DEADLINE, "the session's expiry", () -> heard.contains(id));
        assertEquals(List.of(id), heard);
    }

    @Test
    @DisplayName("after Redis restarts, the subscription is made again with backoff and expiries are heard again")
    void reconnects() {
        listen();
        server.stop();
        server.restart();
        // Expiries before the new subscription are lost (notifications are not kept): expire a new session
        // until one is heard. The backoff after a short outage is 1 to 2 s, at most 30 s.
        Await.until(Duration.ofSeconds(40), "an expiry heard after the restart", () -> {
            expireNow(new String(store.dataKey(UUID.randomUUID().toString()), StandardCharsets.UTF_8));
            return !heard.isEmpty();
        });
        assertEquals(1, store.expiryEvents().subscribed());
    }

    @Test
    @DisplayName("close() returns at once while Redis hangs, and the store's threads end")
    void closeDoesNotHang() {
        listen();
        ExpiryEvents events = store.expiryEvents();
        server.pause();
        try {
            long start = System.nanoTime();
            store.close();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 2_000, "close() took " + tookMs + " ms");
            Await.until(DEADLINE, "the expiry threads to end", events::stopped);
        } finally {
            server.resume();
        }
    }

    @Test
    @DisplayName("the store reads notify-keyspace-events but never changes it; without expiryEvents nothing subscribes")
    void leavesServerConfigAlone() {
        server.command("CONFIG", "SET", "notify-keyspace-events", "");
        try {
            listen();
            assertEquals(List.of("notify-keyspace-events", ""), server.command("CONFIG", "GET", "notify-keyspace-events"));
        } finally {
            server.command("CONFIG", "SET", "notify-keyspace-events", "Ex");
        }
        try (RedisSessionStore plain = RedisSessionStore.builder().uri(server.uri()).keyPrefix(prefix).build()) {
            plain.onExpiry((id, data) -> heard.add(id));
            assertNull(plain.expiryEvents());
        }
    }
}
