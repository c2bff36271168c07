package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.ClientSideStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The one request lifecycle every adapter runs: commit, failures, answers and cache headers, decided here. */
class LifecycleTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);

    private Sessions sessions(SessionManager.Builder... builders) {
        SessionManager[] managers = new SessionManager[builders.length];
        for (int i = 0; i < builders.length; i++) {
            managers[i] = builders[i].build();
        }
        return Sessions.of(managers);
    }

    private SessionManager.Builder manager(String name) {
        return SessionManager.builder(name).store(store).clock(clock).lockPolicy(LockPolicy.OFF);
    }

    /** A client-side store that seals the payload as plain base64url and its seal time, enough for the core's rules. */
    static final class PlainCookieStore implements ClientSideStore {
        @Override
        public Optional<Unsealed> open(String cookieValue) {
            try {
                int dot = cookieValue.lastIndexOf('.');
                return Optional.of(new Unsealed(Base64.getUrlDecoder().decode(cookieValue.substring(0, dot)),
                        Instant.ofEpochSecond(Long.parseLong(cookieValue.substring(dot + 1))), false));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public String seal(byte[] payload, Instant issuedAt) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + issuedAt.getEpochSecond();
        }

        @Override
        public String description() {
            return "plain";
        }
    }

    @Nested
    @DisplayName("a failed handler")
    class FailedHandler {

        @Test
        @DisplayName("keeps its unlocked writes: they are saved, the cookie is sent, and the failure is the framework's")
        void unlockedWritesSurvive() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session")));
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> browser.request("POST", open -> {
                open.session("session").put("cart", List.of("book"));
                throw boom;
            }));
            assertSame(boom, thrown, "the application's own failure is passed on");
            String id = browser.cookie("SESSION").orElseThrow(() -> new AssertionError("no cookie was sent"));
            assertTrue(store.contains(id));
            browser.request("GET", open -> assertEquals(List.of("book"), open.session("session").get("cart").orElseThrow()));
        }

        @Test
        @DisplayName("a store outage anywhere in its cause chain is answered 503 with the short body, and not passed on")
        void outage() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session")));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            store.down = true;
            FakeBrowser.Response r = browser.request("GET", open -> {
                try {
                    open.session("session").get("n");
                } catch (StoreUnavailableException e) {
                    throw new RuntimeException("wrapped by a framework", e);
                }
            });
            assertEquals(503, r.status());
            assertEquals("{\"error\":\"session store unavailable\"}", r.exchange().body);
            assertEquals(List.of(), r.setCookies());
        }
    }

    @Nested
    @DisplayName("a session too large")
    class TooLarge {

        @Test
        @DisplayName("for its cookie: 500 with a short body, nothing sent, the previous cookie kept, logged once with the name")
        void clientSide() {
            FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("session")
                    .store(new PlainCookieStore()).clock(clock).build()));
            browser.request("POST", open -> open.session("session").put("n", 1));
            String before = browser.cookie("SESSION").orElseThrow();
            String log = stderr(() -> {
                FakeBrowser.Response r = browser.request("POST", open -> open.session("session").put("big", "x".repeat(5000)));
                assertEquals(500, r.status());
                assertEquals("{\"error\":\"session too large\"}", r.exchange().body);
                assertEquals(List.of(), r.setCookies());
                assertFalse(r.exchange().body.contains("Exception"));
            });
            assertEquals(before, browser.cookie("SESSION").orElseThrow());
            assertEquals(1, count(log, "session 'session' is too large"), log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);
        }

        @Test
        @DisplayName("to save, in a locked block: the same 500, and the stored copy unchanged")
        void serverSideLocked() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session").maxSessionBytes(2048)));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            FakeBrowser.Response r = browser.request("POST", open -> open.session("session")
                    .update(s -> s.put("big", "x".repeat(4000))));
            assertEquals(500, r.status());
            assertEquals("{\"error\":\"session too large\"}", r.exchange().body);
            browser.request("GET", open -> {
                assertEquals(Optional.of(1), open.session("session").get("n"));
                assertEquals(Optional.empty(), open.session("session").get("big"));
            });
        }
    }

    @Nested
    @DisplayName("commit")
    class Commit {

        @Test
        @DisplayName("runs once however many commit paths call it; end commits when no path did")
        void once() {
            FakeExchange exchange = new FakeExchange("POST");
            OpenSessions open = sessions(manager("session")).open(exchange);
            open.session("session").put("n", 1);
            open.beforeCommit();
            open.beforeCommit();
            assertTrue(open.end(null));
            assertEquals(1, exchange.setCookies().size());
            assertEquals(1, store.saves.get());

            FakeExchange other = new FakeExchange("POST");
            OpenSessions second = sessions(manager("session")).open(other);
            second.session("session").put("n", 2);
            second.end(null);
            assertEquals(1, other.setCookies().size(), "end committed");
        }

        @Test
        @DisplayName("after the response committed: saved, nothing thrown, one warning naming the cookie")
        void late() {
            FakeExchange exchange = new FakeExchange("POST");
            OpenSessions open = sessions(manager("session")).open(exchange);
            open.session("session").put("n", 1);
            exchange.committed = true;
            String log = stderr(() -> assertTrue(open.end(null)));
            assertEquals(1, store.size());
            assertEquals(List.of(), exchange.setCookies());
            assertEquals(1, count(log, "could not be sent"), log);
            assertTrue(log.contains("[SESSION]"), log);
        }

        @Test
        @DisplayName("a store outage during commit answers 503 and throws, so the write that triggered it stops")
        void outageAtCommit() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session")));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            FakeExchange exchange = new FakeExchange("POST", browser.cookieHeader().orElseThrow());
            OpenSessions open = sessions(manager("session")).open(exchange);
            open.session("session").get("n");
            open.session("session").put("n", 2);
            store.down = true;
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, open::beforeCommit);
            assertEquals(503, exchange.status);
            assertTrue(open.end(e), "the failure was answered");
            assertTrue(open.end(e), "ending twice changes nothing");
            assertEquals(503, exchange.status);
        }
    }

    @Nested
    @DisplayName("cache headers")
    class CacheHeaders {

        @Test
        @DisplayName("a response with a session cookie is Cache-Control: private, and Vary: Cookie")
        void privateWithCookie() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session")));
            FakeBrowser.Response r = browser.request("POST", open -> open.session("session").put("n", 1));
            assertEquals(List.of("private"), r.exchange().responseHeaders("Cache-Control"));
            assertEquals(List.of("Cookie"), r.exchange().responseHeaders("Vary"));
        }

        @Test
        @DisplayName("the handler's own Cache-Control wins; a Vary that already names Cookie is left alone")
        void handlersOwn() {
            FakeExchange exchange = new FakeExchange("POST");
            exchange.addResponseHeader("Cache-Control", "no-store");
            exchange.addResponseHeader("Vary", "Accept-Encoding, cookie");
            OpenSessions open = sessions(manager("session")).open(exchange);
            open.session("session").put("n", 1);
            open.end(null);
            assertEquals(List.of("no-store"), exchange.responseHeaders("Cache-Control"));
            assertEquals(List.of("Accept-Encoding, cookie"), exchange.responseHeaders("Vary"));
        }

        @Test
        @DisplayName("a read-only request varies on Cookie but is not made private; an untouched one gets neither")
        void readOnlyAndUntouched() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session"), manager("auth")));
            browser.request("POST", open -> open.session("session").put("n", 1));
            FakeBrowser.Response read = browser.request("GET", open -> open.session("session").get("n"));
            assertEquals(List.of(), read.exchange().responseHeaders("Cache-Control"));
            assertEquals(List.of("Cookie"), read.exchange().responseHeaders("Vary"));
            FakeBrowser.Response untouched = browser.request("GET", open -> { });
            assertEquals(List.of(), untouched.exchange().responseHeaders("Vary"));
            assertEquals(List.of(), untouched.exchange().responseHeaders("Cache-Control"));
        }

        @Test
        @DisplayName("both can be changed or turned off per session")
        void settings() {
            FakeBrowser browser = new FakeBrowser(sessions(manager("session").cacheControl("no-store").vary(false)));
            FakeBrowser.Response r = browser.request("POST", open -> open.session("session").put("n", 1));
            assertEquals(List.of("no-store"), r.exchange().responseHeaders("Cache-Control"));
            assertEquals(List.of(), r.exchange().responseHeaders("Vary"));
            FakeBrowser off = new FakeBrowser(sessions(manager("session").cacheControl("")));
            assertEquals(List.of(), off.request("POST", open -> open.session("session").put("n", 1))
                    .exchange().responseHeaders("Cache-Control"));
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> manager("x").cacheControl("private\r\nSet-Cookie: a=b"));
            assertEquals("cacheControl", e.setting());
        }
    }

    @Nested
    @DisplayName("the login-required guard")
    class Guard {

        @Test
        @DisplayName("refuses anonymous requests with the default 401 body, lets OPTIONS and logged-in users through")
        void guard() {
            Sessions sessions = sessions(manager("auth"));
            FakeExchange anonymous = new FakeExchange("GET");
            OpenSessions open = sessions.open(anonymous);
            assertFalse(open.permitsLogin("auth"));
            open.answerLoginRequired();
            assertEquals(401, anonymous.status);
            assertEquals("{\"error\":\"login required\"}", anonymous.body);
            assertTrue(sessions.open(new FakeExchange("OPTIONS")).permitsLogin("auth"));

            FakeBrowser browser = new FakeBrowser(sessions);
            browser.request("POST", o -> AuthSession.of(o.session("auth")).login("alice"));
            browser.request("GET", o -> assertTrue(o.permitsLogin("auth")));
        }
    }

    private static String stderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
