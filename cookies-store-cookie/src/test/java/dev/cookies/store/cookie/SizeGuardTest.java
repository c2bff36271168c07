package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionTooLargeException;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import dev.cookies.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The 4096-byte Set-Cookie guard, through the real engine, and the largest session that fits for the
 * default cookie ({@code SESSION}, Path=/, HttpOnly, SameSite=Lax, persistent with the default
 * 30-minute idle timeout) — the figure documented in docs/cookie-store.md.
 */
class SizeGuardTest {

    /** The largest encoded session (the JSON object, the engine's "__meta" included) that fits. */
    static final int LARGEST_PAYLOAD_BYTES = 2927;
    /** Its Fernet token, in characters. */
    static final int LARGEST_TOKEN_CHARS = 3980;
    /** Its Set-Cookie header: "SESSION=" (8) + token + 85 bytes of default attributes. */
    static final int LARGEST_HEADER_BYTES = 4073;
    /** The longest ASCII string under a one-letter key that fits: {"v":"...","__meta":{"c":NNNNNNNNNN}}. */
    static final int LARGEST_SINGLE_STRING = 2879;
    /** The same for a browser-session cookie (no Max-Age or Expires). */
    static final int LARGEST_PAYLOAD_BYTES_BROWSER_SESSION = 2975;

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final CookieSessionStore store = Fixtures.store(clock, KEY1);
    private final Sessions sessions = Fixtures.sessions(store, clock, b -> b.lockPolicy(LockPolicy.OFF));

    private static String ascii(int length) {
        return "x".repeat(length);
    }

    @Test
    @DisplayName("a locked write that does not fit throws SessionTooLargeException, sends nothing, and the previous cookie stays good")
    void lockedWriteTooLarge() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        String previous = browser.cookie(COOKIE).orElseThrow();

        AtomicReference<SessionTooLargeException> thrown = new AtomicReference<>();
        var response = browser.request("POST", open -> thrown.set(assertThrows(SessionTooLargeException.class,
                () -> open.session(SESSION).update(s -> s.put("blob", ascii(3000))))));
        SessionTooLargeException e = thrown.get();
        assertEquals(SESSION, e.sessionName());
        assertEquals(4096, e.limit());
        assertTrue(e.size() > 4096, "size " + e.size());
        assertTrue(e.getMessage().contains("Set-Cookie"), e.getMessage());

        assertEquals(List.of(), response.setCookies(), "a cookie was sent after the failed save");
        assertEquals(previous, browser.cookie(COOKIE).orElseThrow());
        assertEquals(Map.of("user", "alice"), Fixtures.read(browser, s -> s.asMap()));
    }

    @Test
    @DisplayName("an unlocked write that does not fit fails at commit: no cookie, a 500 with a short body, the previous cookie kept")
    void unlockedWriteTooLarge() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        String previous = browser.cookie(COOKIE).orElseThrow();

        FakeExchange exchange = FakeExchange.request("POST").header("Cookie", COOKIE + "=" + previous);
        OpenSessions open = sessions.open(exchange);
        open.session(SESSION).put("blob", ascii(3000));
        SessionTooLargeException e = assertThrows(SessionTooLargeException.class, open::beforeCommit);
        assertTrue(e.size() > 4096);
        assertTrue(open.end(e), "the core answered it");
        assertEquals(List.of(), exchange.responseHeaders("Set-Cookie"));
        assertEquals(500, exchange.status());
        assertEquals("{\"error\":\"session too large\"}", exchange.body());

        OpenSessions next = sessions.open(FakeExchange.request("GET").header("Cookie", COOKIE + "=" + previous));
        assertEquals(Map.of("user", "alice"), next.session(SESSION).asMap());
    }

    @Test
    @DisplayName("a new session that does not fit sends no cookie at all")
    void newSessionTooLarge() {
        FakeBrowser browser = new FakeBrowser(sessions);
        AtomicReference<Exception> thrown = new AtomicReference<>();
        var response = browser.request("POST", open -> {
            try {
                open.session(SESSION).update(s -> s.put("blob", ascii(5000)));
            } catch (SessionTooLargeException e) {
                thrown.set(e);
            }
        });
        assertNotNull(thrown.get());
        assertEquals(List.of(), response.setCookies());
        assertTrue(browser.cookie(COOKIE).isEmpty());
    }

    /** Writes {"v": "x" * length} as a new session; returns the Set-Cookie header, or null if too large. */
    private String write(Sessions app, int length) {
        try {
            var response = new FakeBrowser(app).request("POST", open -> open.session(SESSION).update(s -> s.put("v", ascii(length))));
            return response.setCookies().get(0);
        } catch (SessionTooLargeException e) {
            return null;
        }
    }

    private int largestFitting(Sessions app) {
        int fits = 0;
        int fails = 4096;
        while (fails - fits > 1) {
            int mid = (fits + fails) >>> 1;
            if (write(app, mid) != null) {
                fits = mid;
            } else {
                fails = mid;
            }
        }
        return fits;
    }

    @Test
    @DisplayName("the largest session that fits the default SESSION cookie: 2927 bytes of JSON, a 3980-character token")
    void largestSessionThatFits() {
        int longest = largestFitting(sessions);
        assertEquals(LARGEST_SINGLE_STRING, longest);
        assertNull(write(sessions, longest + 1), "one more byte still fits");

        String header = write(sessions, longest);
        assertEquals(LARGEST_HEADER_BYTES, header.length());
        assertTrue(header.getBytes(StandardCharsets.UTF_8).length == header.length(), "the header is ASCII");
        String token = dev.cookies.testkit.SetCookie.parse(header).value();
        assertEquals(LARGEST_TOKEN_CHARS, token.length());
        assertEquals(LARGEST_PAYLOAD_BYTES, store.open(token).orElseThrow().payload().length);
        assertEquals(List.of("max-age", "expires", "path", "httponly", "samesite"),
                List.copyOf(dev.cookies.testkit.SetCookie.parse(header).attributes().keySet()),
                "the default attributes this figure is measured with");
    }

    @Test
    @DisplayName("a browser-session cookie (no Max-Age or Expires) holds a little more: 2975 bytes of JSON")
    void largestBrowserSessionCookie() {
        Sessions app = Fixtures.sessions(store, clock, b -> b.cookie(c -> c.persistent(false)));
        int longest = largestFitting(app);
        String token = dev.cookies.testkit.SetCookie.parse(write(app, longest)).value();
        assertEquals(LARGEST_PAYLOAD_BYTES_BROWSER_SESSION, store.open(token).orElseThrow().payload().length);
        assertNull(write(app, longest + 1));
    }
}
