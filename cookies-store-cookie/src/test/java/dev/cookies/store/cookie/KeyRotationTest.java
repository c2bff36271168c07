package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.KEY2;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Key rotation through the real engine: an app that seals with key 2 is redeployed with
 * [key 1, key 2], and later with [key 1] alone.
 */
class KeyRotationTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));

    private Sessions app(boolean resealOnRead, String... keys) {
        return Fixtures.sessions(CookieSessionStore.builder().keys(keys).resealOnRead(resealOnRead).clock(clock).build(), clock);
    }

    /** Writes {"user":"alice"} with an app that has only key 2, and moves the browser over to {@code next}. */
    private FakeBrowser sealedWithKey2(Sessions next) {
        FakeBrowser old = new FakeBrowser(app(false, KEY2));
        old.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        FakeBrowser browser = new FakeBrowser(next);
        browser.setCookie(COOKIE, old.cookie(COOKIE).orElseThrow());
        return browser;
    }

    private Instant issuedAt(String cookie, String... keys) {
        return Fixtures.store(clock, keys).open(cookie).orElseThrow().issuedAt();
    }

    @Test
    @DisplayName("with re-seal on read: a key-2 cookie opens under [key 1, key 2], and the re-sealed cookie opens under [key 1] alone, keeping its timestamp")
    void resealOnRead() {
        FakeBrowser browser = sealedWithKey2(app(true, KEY1, KEY2));
        String byKey2 = browser.cookie(COOKIE).orElseThrow();
        Instant sealedAt = clock.instant();
        assertTrue(Fixtures.store(clock, KEY1).open(byKey2).isEmpty(), "precondition: key 1 alone does not open it");

        clock.advance(Duration.ofMinutes(3));
        var response = browser.request("GET", open -> assertEquals(Map.of("user", "alice"), open.session(SESSION).asMap()));
        String resealed = response.cookie(COOKIE).orElseThrow(() -> new AssertionError("a read did not re-seal")).value();
        assertNotEquals(byKey2, resealed);
        assertEquals(sealedAt, issuedAt(resealed, KEY1), "the re-seal moved the timestamp");
        assertEquals("1620", response.cookie(COOKIE).orElseThrow().attribute("Max-Age").orElseThrow(),
                "Max-Age is what is left of the 30-minute idle timeout counted from the original seal time");
        assertTrue(Fixtures.store(clock, KEY2).open(resealed).isEmpty(), "the re-seal used key 2");

        FakeBrowser afterRetirement = new FakeBrowser(app(false, KEY1));
        afterRetirement.setCookie(COOKIE, browser.cookie(COOKIE).orElseThrow());
        assertEquals(Map.of("user", "alice"), Fixtures.read(afterRetirement, s -> s.asMap()));
        assertEquals(false, Fixtures.read(afterRetirement, s -> s.isNew()));

        var again = browser.request("GET", open -> open.session(SESSION).asMap());
        assertEquals(List.of(), again.setCookies(), "a cookie already under key 1 is re-sealed again");
    }

    @Test
    @DisplayName("without re-seal on read: a read sends nothing; the next write seals with key 1")
    void resealOnWrite() {
        FakeBrowser browser = sealedWithKey2(app(false, KEY1, KEY2));
        String byKey2 = browser.cookie(COOKIE).orElseThrow();
        clock.advance(Duration.ofMinutes(3));
        var read = browser.request("GET", open -> assertEquals(Map.of("user", "alice"), open.session(SESSION).asMap()));
        assertEquals(List.of(), read.setCookies());
        assertEquals(byKey2, browser.cookie(COOKIE).orElseThrow());

        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        String written = browser.cookie(COOKIE).orElseThrow();
        assertEquals(Map.of("user", "alice", "n", 1), Fixtures.read(browser, s -> s.asMap()));
        assertTrue(Fixtures.store(clock, KEY2).open(written).isEmpty(), "the write sealed with key 2");
        assertEquals(clock.instant(), issuedAt(written, KEY1), "a write is a use: it seals with the current time");
    }

    @Test
    @DisplayName("an expiry refresh that is due also moves a key-2 cookie to key 1")
    void resealOnRefresh() {
        FakeBrowser browser = sealedWithKey2(app(false, KEY1, KEY2));
        clock.advance(Duration.ofMinutes(10));
        var read = browser.request("GET", open -> open.session(SESSION).asMap());
        String refreshed = read.cookie(COOKIE).orElseThrow(() -> new AssertionError("no refresh")).value();
        assertEquals(clock.instant(), issuedAt(refreshed, KEY1));
    }

    @Test
    @DisplayName("a re-seal on read does not extend the idle timeout")
    void resealDoesNotExtend() {
        FakeBrowser browser = sealedWithKey2(app(true, KEY1, KEY2));
        clock.advance(Duration.ofMinutes(5));
        var read = browser.request("GET", open -> open.session(SESSION).asMap());
        assertTrue(read.cookie(COOKIE).isPresent(), "precondition: re-sealed on read");
        clock.advance(Duration.ofMinutes(25));
        assertEquals(true, Fixtures.read(browser, s -> s.isNew()), "the re-sealed cookie outlived the 30-minute idle timeout");
    }
}
