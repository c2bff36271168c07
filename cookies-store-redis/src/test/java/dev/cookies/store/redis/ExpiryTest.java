package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expiry as Redis keeps it, through the engine. Redis is asked with {@code PTTL} and {@code EXISTS},
 * which neither read the value nor change its expiry.
 */
class ExpiryTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final Duration IDLE = Duration.ofSeconds(3);

    private RedisSessionStore store;
    private SessionManager manager;

    @BeforeEach
    void setUp() {
        store = RedisSessionStore.create(REDIS.server().uri());
        // A browser-session cookie: the engine then never re-saves a session to refresh its cookie, so
        // what slides the expiry here is the store's read (GETEX) alone.
        manager = SessionManager.builder("session").store(store).idleTimeout(IDLE).cookie(c -> c.persistent(false))
                .lockPolicy(LockPolicy.STRICT).build();
    }

    @AfterEach
    void tearDown() {
        manager.close();
        store.close();
    }

    private long pttl(String id) {
        return (Long) REDIS.server().command("PTTL", new String(store.dataKey(id), StandardCharsets.UTF_8));
    }

    private boolean exists(String id) {
        return (Long) REDIS.server().command("EXISTS", new String(store.dataKey(id), StandardCharsets.UTF_8)) == 1L;
    }

    private FakeBrowser newSession() {
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
        browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
        return browser;
    }

    @Test
    @DisplayName("a saved session expires in Redis at its idle timeout")
    void expiresAtTtl() {
        FakeBrowser browser = newSession();
        String id = browser.cookie("SESSION").orElseThrow();
        long pttl = pttl(id);
        assertTrue(pttl > IDLE.toMillis() - 1000 && pttl <= IDLE.toMillis(), "PTTL " + pttl + " is not the idle timeout");
        Await.until(IDLE.plusSeconds(3), "the session to expire", () -> !exists(id));
        boolean[] isNew = new boolean[1];
        browser.request("GET", open -> isNew[0] = open.session("session").isNew());
        assertTrue(isNew[0], "an expired session was found again");
    }

    @Test
    @DisplayName("a read slides the expiry: the session outlives its first deadline, then expires a timeout after the read")
    void readSlidesExpiry() {
        FakeBrowser browser = newSession();
        String id = browser.cookie("SESSION").orElseThrow();
        long firstDeadline = System.nanoTime() + pttl(id) * 1_000_000;
        Await.until(IDLE.plusSeconds(2), "half the timeout to pass", () -> pttl(id) < IDLE.toMillis() / 2);

        int[] n = new int[1];
        browser.request("GET", open -> n[0] = open.session("session").get("n", Integer.class).orElseThrow());
        assertEquals(1, n[0]);
        long slid = pttl(id);
        assertTrue(slid > IDLE.toMillis() / 2, "the read did not slide the expiry: PTTL " + slid);

        Await.until(IDLE.plusSeconds(2), "the first deadline to pass", () -> System.nanoTime() - firstDeadline > 100_000_000L);
        assertTrue(exists(id), "the session expired at its first deadline despite the read");
        Await.until(IDLE.plusSeconds(3), "the session to expire after the slid timeout", () -> !exists(id));
    }
}
