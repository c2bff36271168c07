package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The session id in a request header instead of a cookie (issue "Sessions for APIs and mobile clients"). */
class HeaderTransportTest {

    private static final String HEADER = "X-Auth-Token";

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);

    private Sessions sessions(IdTransport transport) {
        return Sessions.of(SessionManager.builder("auth").store(store).clock(clock).lockPolicy(LockPolicy.OFF)
                .transport(transport).build());
    }

    /** A client that keeps only the header: sends what the last response carried, never a cookie. */
    private static final class HeaderClient {
        final Sessions sessions;
        String token;

        HeaderClient(Sessions sessions) {
            this.sessions = sessions;
        }

        FakeExchange request(String method, Consumer<OpenSessions> handler) {
            FakeExchange exchange = new FakeExchange(method);
            if (token != null) {
                exchange.header(HEADER, token);
            }
            OpenSessions open = sessions.open(exchange);
            handler.accept(open);
            open.end(null);
            List<String> answered = exchange.responseHeaders(HEADER);
            if (!answered.isEmpty()) {
                token = answered.get(0).isEmpty() ? null : answered.get(0);
            }
            return exchange;
        }
    }

    private static AuthSession auth(OpenSessions open) {
        return AuthSession.of(open.session("auth"));
    }

    @Test
    @DisplayName("a client that keeps only the header writes, logs in, reads itself and logs out; no Set-Cookie ever")
    void wholeCycle() {
        HeaderClient client = new HeaderClient(sessions(IdTransport.header(HEADER)));
        FakeExchange first = client.request("POST", open -> open.session("auth").put("n", 1));
        assertEquals(List.of(), first.setCookies());
        String anonymous = client.token;
        assertTrue(anonymous != null && store.contains(anonymous), "the new id came back in the header");

        FakeExchange read = client.request("GET", open -> assertEquals(Optional.of(1), open.session("auth").get("n")));
        assertEquals(List.of(), read.responseHeaders(HEADER), "a read-only request sends nothing");
        assertEquals(List.of(HEADER), read.responseHeaders("Vary"));

        FakeExchange login = client.request("POST", open -> auth(open).login("alice"));
        assertNotEquals(anonymous, client.token, "login rotates the id, and the header carries the new one");
        assertFalse(store.contains(anonymous), "the old id is deleted");
        assertEquals(List.of("private"), login.responseHeaders("Cache-Control"));
        client.request("GET", open -> assertEquals(Optional.of("alice"), auth(open).user()));

        String loggedIn = client.token;
        FakeExchange logout = client.request("POST", open -> auth(open).logout());
        assertEquals(List.of(""), logout.responseHeaders(HEADER), "invalidation answers the header empty");
        assertFalse(store.contains(loggedIn));
        assertEquals(List.of(), logout.setCookies());
    }

    @Test
    @DisplayName("an unknown or forged header id is a fresh session; garbage never reaches the store")
    void forged() {
        Sessions sessions = sessions(IdTransport.header(HEADER));
        FakeExchange unknown = new FakeExchange("POST").header(HEADER, dev.cookies.spi.SessionIdGenerator.secureRandom().newId());
        OpenSessions open = sessions.open(unknown);
        assertTrue(open.session("auth").isNew());
        open.session("auth").put("n", 1);
        open.end(null);
        String issued = unknown.responseHeaders(HEADER).get(0);
        assertNotEquals(unknown.requestHeaders(HEADER).get(0), issued, "an unknown id is never adopted");

        store.resetCounts();
        for (String garbage : new String[] {"garbage", "", " , ,", "a".repeat(5000), issued + "x", "\u0000"}) {
            OpenSessions g = sessions.open(new FakeExchange("GET").header(HEADER, garbage));
            assertTrue(g.session("auth").isNew(), garbage);
            g.end(null);
        }
        assertEquals(0, store.calls(), "garbage reached the store");
    }

    @Test
    @DisplayName("header or cookie: the header wins when present, the answer goes back on the path the request came by")
    void headerOrCookie() {
        Sessions sessions = sessions(IdTransport.headerOrCookie(HEADER));
        FakeExchange neither = new FakeExchange("POST");
        OpenSessions open = sessions.open(neither);
        open.session("auth").put("n", 1);
        open.end(null);
        String id = neither.responseHeaders(HEADER).get(0);
        assertEquals(1, neither.setCookies().size(), "a request that brought neither gets both");
        assertTrue(neither.setCookies().get(0).startsWith("AUTH=" + id + ";"));
        assertEquals(List.of("Cookie, " + HEADER), neither.responseHeaders("Vary"));

        FakeExchange byHeader = new FakeExchange("POST").header(HEADER, id);
        OpenSessions viaHeader = sessions.open(byHeader);
        AuthSession.of(viaHeader.session("auth")).login("alice");
        viaHeader.end(null);
        assertEquals(List.of(), byHeader.setCookies(), "came by header, answered by header");
        String rotated = byHeader.responseHeaders(HEADER).get(0);

        FakeExchange byCookie = new FakeExchange("POST", "AUTH=" + rotated);
        OpenSessions viaCookie = sessions.open(byCookie);
        assertEquals(Optional.of("alice"), AuthSession.of(viaCookie.session("auth")).user());
        viaCookie.session("auth").rotateId();
        viaCookie.end(null);
        assertEquals(List.of(), byCookie.responseHeaders(HEADER), "came by cookie, answered by cookie");
        assertEquals(1, byCookie.setCookies().size());
    }

    @Test
    @DisplayName("a header needs a server-side store and a name of its own, checked at build time")
    void settings() {
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> SessionManager.builder("s")
                .store(new LifecycleTest.PlainCookieStore()).transport(IdTransport.header(HEADER)).build());
        assertEquals("transport", e.setting());
        for (String bad : new String[] {"Cookie", "set-cookie", "X Auth", "", "X-Auth:"}) {
            assertEquals("transport", assertThrows(SessionConfigException.class, () -> IdTransport.header(bad)).setting(), bad);
        }
        SessionManager a = SessionManager.builder("a").store(store).transport(IdTransport.header(HEADER)).build();
        SessionManager b = SessionManager.builder("b").store(store).transport(IdTransport.header("x-auth-token")).build();
        assertEquals("sessions", assertThrows(SessionConfigException.class, () -> Sessions.of(a, b)).setting());
    }
}
