package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuthSessionTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);
    private final CountingStore mirror = new CountingStore(clock, "mirror");
    private final FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("auth").store(store)
            .mirror(mirror).clock(clock).lockPolicy(LockPolicy.STRICT).idleTimeout(Duration.ofMinutes(30)).build()));

    record User(String name, int level) {
    }

    private static AuthSession auth(OpenSessions open) {
        return AuthSession.of(open.session("auth"));
    }

    @Test
    @DisplayName("login rotates the id: the old id no longer loads, in the master or a mirror")
    void loginRotates() {
        browser.request("POST", open -> open.session("auth").update(s -> s.put("cart", List.of("book"))));
        String anonymous = browser.cookie("AUTH").orElseThrow();
        FakeBrowser.Response r = browser.request("POST", open -> auth(open).login("alice"));
        String loggedIn = r.cookie("AUTH").orElseThrow().value();
        assertNotEquals(anonymous, loggedIn);
        assertFalse(store.contains(anonymous));
        assertFalse(mirror.contains(anonymous));
        assertTrue(store.contains(loggedIn));
        browser.request("GET", open -> {
            assertEquals("alice", auth(open).user(String.class).orElseThrow());
            assertEquals(List.of("book"), open.session("auth").get("cart").orElseThrow(), "anonymous data is kept by default");
        });
        FakeBrowser replay = new FakeBrowser(Sessions.of(SessionManager.builder("auth")
                .store(store).clock(clock).build()));
        replay.setCookie("AUTH", anonymous);
        replay.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
    }

    @Test
    @DisplayName("a login planted by an attacker's id cannot be ridden: the victim's login moves to a new id")
    void fixation() {
        FakeBrowser attacker = new FakeBrowser(Sessions.of(SessionManager.builder("auth").store(store).clock(clock).build()));
        attacker.request("POST", open -> open.session("auth").update(s -> s.put("x", 1)));
        String planted = attacker.cookie("AUTH").orElseThrow();
        browser.setCookie("AUTH", planted);
        browser.request("POST", open -> auth(open).login("victim"));
        attacker.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
    }

    @Test
    @DisplayName("reset drops the anonymous data at login")
    void reset() {
        browser.request("POST", open -> open.session("auth").update(s -> s.put("cart", List.of("book"))));
        browser.request("POST", open -> auth(open).login("alice", LoginOptions.defaults().resettingSession()));
        browser.request("GET", open -> assertEquals(Map.of(AuthSession.USER_KEY, "alice"), open.session("auth").asMap()));
    }

    @Test
    @DisplayName("remember-me off gives a browser-session cookie; on with a duration, Max-Age and the store TTL are that duration")
    void rememberMe() {
        FakeBrowser.SetCookie session = browser.request("POST", open -> auth(open).login("alice")).cookie("AUTH").orElseThrow();
        assertFalse(session.has("Max-Age"));
        assertFalse(session.has("Expires"));
        assertEquals(Duration.ofMinutes(30), store.ttlOf(session.value()));

        FakeBrowser.SetCookie remembered = browser.request("POST", open -> auth(open).login("alice",
                LoginOptions.rememberMe(Duration.ofDays(30)))).cookie("AUTH").orElseThrow();
        assertEquals(String.valueOf(Duration.ofDays(30).getSeconds()), remembered.attribute("Max-Age").orElseThrow());
        assertTrue(remembered.has("Expires"));
        assertEquals(Duration.ofDays(30), store.ttlOf(remembered.value()));
        assertEquals(Duration.ofDays(30), mirror.ttlOf(remembered.value()));
    }

    @Test
    @DisplayName("a login's own duration survives later reads: the store TTL is kept, the session outlives the manager's timeout")
    void durationSurvivesReads() {
        browser.request("POST", open -> auth(open).login("alice", LoginOptions.rememberMe(Duration.ofDays(7))));
        String id = browser.cookie("AUTH").orElseThrow();
        clock.advance(Duration.ofHours(1));
        browser.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        assertEquals(Duration.ofDays(7).minusHours(1), store.ttlOf(id),
                "a read must not shrink the TTL to the manager's 30 minutes; the login's own 7 days count from the login");
        clock.advance(Duration.ofDays(2));
        browser.request("GET", open -> assertEquals("alice", auth(open).user(String.class).orElseThrow()));
    }

    @Test
    @DisplayName("logout deletes the session and expires the cookie; replaying the old cookie finds nobody")
    void logout() {
        browser.request("POST", open -> auth(open).login("alice"));
        String id = browser.cookie("AUTH").orElseThrow();
        FakeBrowser.Response r = browser.request("POST", open -> auth(open).logout());
        assertTrue(r.cookie("AUTH").orElseThrow().isExpired());
        assertFalse(store.contains(id));
        assertFalse(mirror.contains(id));
        browser.setCookie("AUTH", id);
        browser.request("GET", open -> assertFalse(auth(open).isLoggedIn()));
    }

    @Test
    @DisplayName("logoutIfLoggedIn leaves an anonymous session alone")
    void logoutIfLoggedIn() {
        browser.request("POST", open -> open.session("auth").update(s -> s.put("cart", 1)));
        FakeBrowser.Response r = browser.request("POST", open -> assertFalse(auth(open).logoutIfLoggedIn()));
        assertTrue(r.setCookies().isEmpty());
        browser.request("GET", open -> assertEquals(1, open.session("auth").get("cart", Integer.class).orElseThrow()));
        browser.request("POST", open -> auth(open).login("bob"));
        browser.request("POST", open -> assertTrue(auth(open).logoutIfLoggedIn()));
        browser.request("GET", open -> assertTrue(open.session("auth").isEmpty()));
    }

    @Test
    @DisplayName("the user is any JSON value: a record round-trips typed, a map and a number too")
    void typedUser() {
        browser.request("POST", open -> auth(open).login(new User("alice", 3)));
        browser.request("GET", open -> assertEquals(new User("alice", 3), auth(open).user(User.class).orElseThrow()));
        browser.request("POST", open -> auth(open).login(Map.of("id", 7)));
        browser.request("GET", open -> assertEquals(Map.of("id", 7), auth(open).user().orElseThrow()));
        browser.request("POST", open -> auth(open).login(42L));
        browser.request("GET", open -> assertEquals(42L, auth(open).user(Long.class).orElseThrow()));
    }

    @Test
    @DisplayName("the guard lets OPTIONS through and anonymous requests not; logged-in requests pass")
    void guard() {
        browser.request("GET", open -> {
            assertFalse(AuthSession.permits(open.session("auth"), "GET"));
            assertTrue(AuthSession.permits(open.session("auth"), "OPTIONS"));
        });
        browser.request("POST", open -> auth(open).login("alice"));
        browser.request("GET", open -> assertTrue(AuthSession.permits(open.session("auth"), "GET")));
    }

    @Test
    @DisplayName("login options are checked")
    void options() {
        assertThrows(IllegalArgumentException.class, () -> LoginOptions.rememberMe(Duration.ofDays(401)));
        assertThrows(IllegalArgumentException.class, () -> LoginOptions.rememberMe(Duration.ofMillis(5)));
    }

    @Test
    @DisplayName("every session has a finite absolute lifetime by default (12 hours); a remember-me login keeps its own")
    void defaultAbsoluteLifetime() {
        assertEquals(Duration.ofHours(12), SessionManager.builder("x").store(store).build().absoluteTimeout());
        assertEquals(Duration.ofDays(2), SessionManager.builder("x").store(store).idleTimeout(Duration.ofDays(2)).build()
                .absoluteTimeout(), "a longer idle timeout raises it");
        browser.request("POST", open -> auth(open).login("alice"));
        for (int i = 0; i < 24; i++) {   // used every 25 minutes: never idle for 30
            clock.advance(Duration.ofMinutes(25));
            browser.request("GET", open -> open.session("auth").get("current_user"));
        }
        clock.advance(Duration.ofMinutes(25));   // 10h25 since login: still in
        browser.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(25));
            browser.request("GET", open -> open.session("auth").get("current_user"));
        }
        browser.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "12 hours after login the session is over"));

        browser.request("POST", open -> auth(open).login("bob", LoginOptions.rememberMe(Duration.ofDays(30))));
        clock.advance(Duration.ofDays(3));
        browser.request("GET", open -> assertTrue(auth(open).isLoggedIn(), "a 30-day remember-me login outlives 12 hours"));
        clock.advance(Duration.ofDays(20));
        browser.request("GET", open -> assertTrue(auth(open).isLoggedIn()));
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        browser.request("GET", open -> assertFalse(auth(open).isLoggedIn(), "and ends 30 days after the login, used or not"));
    }
}
