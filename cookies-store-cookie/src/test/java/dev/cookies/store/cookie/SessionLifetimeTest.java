package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.SetCookie;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Idle timeout and absolute lifetime of a cookie-store session, through the real engine: the idle
 * timeout counts from the token's own timestamp, and the absolute lifetime from the creation time the
 * engine keeps inside the sealed payload, which a fresh token timestamp cannot move.
 */
class SessionLifetimeTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = MutableClock.at(T0);
    private final CookieSessionStore store = Fixtures.store(clock, KEY1);

    private FakeBrowser loggedIn(Sessions sessions) {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        return browser;
    }

    private FakeBrowser copy(FakeBrowser from, Sessions sessions) {
        FakeBrowser b = new FakeBrowser(sessions);
        b.setCookie(COOKIE, from.cookie(COOKIE).orElseThrow());
        return b;
    }

    private boolean alive(FakeBrowser browser) {
        return !Fixtures.read(browser, s -> s.isNew());
    }

    @Test
    @DisplayName("idle timeout: a cookie not used for 30 minutes from its timestamp opens to a fresh session")
    void idleTimeout() {
        Sessions sessions = Fixtures.sessions(store, clock);
        FakeBrowser a = loggedIn(sessions);
        FakeBrowser b = copy(a, sessions);
        assertEquals(T0, store.open(a.cookie(COOKIE).orElseThrow()).orElseThrow().issuedAt());

        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertTrue(alive(a), "expired a second early");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(alive(b), "the untouched copy outlived its idle timeout");
        assertTrue(alive(a), "the copy used a second earlier was not refreshed");
    }

    @Test
    @DisplayName("sliding: a session read every 10 minutes lives on, each refresh sealing a new timestamp")
    void sliding() {
        Sessions sessions = Fixtures.sessions(store, clock);
        FakeBrowser browser = loggedIn(sessions);
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofMinutes(10));
            var response = browser.request("GET", open -> assertEquals("alice",
                    open.session(SESSION).get("user", String.class).orElse(null)));
            SetCookie refreshed = response.cookie(COOKIE).orElseThrow(() -> new AssertionError("no refresh"));
            assertEquals(clock.instant(), store.open(refreshed.value()).orElseThrow().issuedAt());
            assertEquals("1800", refreshed.attribute("Max-Age").orElseThrow());
        }
    }

    @Test
    @DisplayName("absolute lifetime: a session used every 10 minutes still ends 1 hour after it was created")
    void absoluteLifetime() {
        Sessions sessions = Fixtures.sessions(store, clock, b -> b.absoluteTimeout(Duration.ofHours(1)));
        FakeBrowser browser = loggedIn(sessions);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertTrue(alive(browser), "ended early, at " + (10 * i) + " min");
        }
        String atFifty = browser.cookie(COOKIE).orElseThrow();
        assertEquals(T0.plus(Duration.ofMinutes(50)), store.open(atFifty).orElseThrow().issuedAt(),
                "precondition: the token's timestamp is fresh");
        clock.advance(Duration.ofMinutes(10));
        assertFalse(alive(browser), "outlived its absolute lifetime");
    }

    @Test
    @DisplayName("absolute lifetime: the persistent cookie's Max-Age shrinks to what is left of it")
    void maxAgeFollowsAbsoluteLifetime() {
        Sessions sessions = Fixtures.sessions(store, clock, b -> b.absoluteTimeout(Duration.ofHours(1)));
        FakeBrowser browser = loggedIn(sessions);
        clock.advance(Duration.ofMinutes(25));
        assertTrue(alive(browser));
        clock.advance(Duration.ofMinutes(25));
        var response = browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        assertEquals("600", response.cookie(COOKIE).orElseThrow().attribute("Max-Age").orElseThrow());
    }

    @Test
    @DisplayName("absolute lifetime: re-sealing the payload with a fresh Fernet timestamp does not extend it")
    void freshTimestampCannotExtend() throws Exception {
        Sessions sessions = Fixtures.sessions(store, clock, b -> b.absoluteTimeout(Duration.ofHours(1)));
        FakeBrowser browser = loggedIn(sessions);
        byte[] payload = store.open(browser.cookie(COOKIE).orElseThrow()).orElseThrow().payload();
        Map<?, ?> json = new ObjectMapper().readValue(payload, Map.class);
        Map<?, ?> meta = (Map<?, ?>) json.get("__meta");
        assertEquals(T0.getEpochSecond(), ((Number) meta.get("c")).longValue(), "the creation time is in the payload");

        clock.advance(Duration.ofMinutes(59));
        browser.setCookie(COOKIE, store.seal(payload, clock.instant()));
        assertTrue(alive(browser));
        clock.advance(Duration.ofMinutes(1));
        browser.setCookie(COOKIE, store.seal(payload, clock.instant()));
        assertFalse(alive(browser), "a fresh timestamp extended the absolute lifetime");
    }

    @Test
    @DisplayName("a cookie without the engine's metadata (as Python writes it) counts its lifetime from its timestamp")
    void foreignPayloadWithoutMetadata() {
        Sessions sessions = Fixtures.sessions(store, clock, b -> b.absoluteTimeout(Duration.ofHours(1)));
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, store.seal(Fixtures.utf8("{\"user\":\"alice\"}"), clock.instant()));
        assertEquals(Map.of("user", "alice"), Fixtures.read(browser, s -> s.asMap()));
        clock.advance(Duration.ofMinutes(25));
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        clock.advance(Duration.ofMinutes(25));
        assertTrue(alive(browser));
        clock.advance(Duration.ofMinutes(10));
        assertFalse(alive(browser), "the absolute lifetime did not start at the foreign cookie's timestamp");
    }

    @Test
    @DisplayName("a browser-session cookie carries no Max-Age, and still expires after the idle timeout")
    void browserSessionCookie() {
        Sessions sessions = Fixtures.sessions(store, clock, b -> b.cookie(c -> c.persistent(false)));
        FakeBrowser browser = new FakeBrowser(sessions);
        var response = browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        SetCookie cookie = response.cookie(COOKIE).orElseThrow();
        assertEquals(List.of(false, false), List.of(cookie.has("Max-Age"), cookie.has("Expires")));
        clock.advance(Duration.ofMinutes(31));
        assertFalse(alive(browser));
    }
}
