package dev.cookies.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.store.memory.MemorySessionStore;
import dev.cookies.testkit.DeadStores;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import dev.cookies.testkit.SetCookie;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.RedirectHandler;
import io.undertow.server.handlers.error.SimpleErrorPageHandler;
import io.undertow.util.Headers;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.XnioIoThread;

/**
 * What is particular to Undertow: which threads run handlers, store calls and commits, and every way an
 * Undertow response can commit, including when the commit fails and the core answers from inside
 * Undertow's own commit path.
 */
class SessionHandlerTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Every store call of the test's sessions, with whether it ran on an XNIO I/O thread. */
    private final List<String> storeCalls = new CopyOnWriteArrayList<>();
    /** Where the test's handlers ran. */
    private final List<String> handlerThreads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static boolean onIoThread() {
        return Thread.currentThread() instanceof XnioIoThread;
    }

    private static String where() {
        return (onIoThread() ? "io:" : "worker:") + Thread.currentThread().getName();
    }

    /** A memory store that records the thread of every call. */
    private ServerSideStore recording() {
        MemorySessionStore store = MemorySessionStore.create();
        return new ServerSideStore() {
            @Override
            public Optional<byte[]> load(String id, Duration ttl) {
                storeCalls.add("load@" + where());
                return store.load(id, ttl);
            }

            @Override
            public void save(String id, byte[] data, Duration ttl) {
                storeCalls.add("save@" + where());
                store.save(id, data, ttl);
            }

            @Override
            public void delete(String id) {
                storeCalls.add("delete@" + where());
                store.delete(id);
            }

            @Override
            public void touch(String id, Duration ttl) {
                storeCalls.add("touch@" + where());
                store.touch(id, ttl);
            }

            @Override
            public String description() {
                return "recording memory store";
            }
        };
    }

    private Sessions sessions(Consumer<SessionManager.Builder> store) {
        SessionManager.Builder session = SessionManager.builder(ReferenceApp.SESSION).lockPolicy(LockPolicy.OFF);
        SessionManager.Builder auth = SessionManager.builder(ReferenceApp.AUTH);
        store.accept(session);
        store.accept(auth);
        Sessions s = Sessions.of(session.build(), auth.build());
        resources.add(s);
        return s;
    }

    private Sessions recorded() {
        return sessions(b -> b.store(recording()));
    }

    private ReferenceServer start(Sessions sessions, Consumer<RoutingHandler> routes) {
        ReferenceServer server = UndertowReferenceApp.start(sessions, null, routes);
        resources.add(server);
        return server;
    }

    private HttpTestClient serve(Sessions sessions, Consumer<RoutingHandler> routes) {
        return new HttpTestClient(start(sessions, routes).baseUri());
    }

    private static String liveSession(HttpTestClient.Response r) {
        SetCookie c = r.cookie("SESSION");
        assertFalse(c.isExpired(), r::toString);
        return c.value();
    }

    private static String count(HttpTestClient http, String id) {
        return http.get("/counter", "SESSION=" + id).body();
    }

    private void assertNoStoreCallOnIoThread() {
        assertFalse(storeCalls.isEmpty(), "the scenario made no store call to check");
        assertTrue(storeCalls.stream().noneMatch(c -> c.contains("@io:")), storeCalls::toString);
    }

    private static void send(HttpServerExchange ex, String body) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        ex.getResponseSender().send(body);
    }

    @Test
    @DisplayName("a non-blocking style handler (Sender, no dispatch of its own) runs on a worker, and so do its store calls and its commit")
    void handlersAndStoreOffIoThread() {
        HttpTestClient http = serve(recorded(), r -> r.post("/plain", ex -> {
            handlerThreads.add(where() + (ex.isInIoThread() ? " in-io" : ""));
            // Unlocked: saved by the commit, which runs when send() commits the response.
            UndertowReferenceApp.session(ex).put("count", 5);
            send(ex, "sent");
        }));
        HttpTestClient.Response r = http.post("/plain", null);
        assertEquals("sent", r.body());
        assertEquals("{\"count\":5}", count(http, liveSession(r)));
        assertEquals(1, handlerThreads.size());
        assertTrue(handlerThreads.get(0).startsWith("worker:"), handlerThreads::toString);
        assertTrue(storeCalls.stream().anyMatch(c -> c.startsWith("save@")), storeCalls::toString);
        assertNoStoreCallOnIoThread();

        http.post("/counter/increment", null, "SESSION=" + liveSession(r));
        http.post("/login", "{\"user\":\"alice\"}");
        assertNoStoreCallOnIoThread();
    }

    @Test
    @DisplayName("a response sent from the I/O thread after a locked write on the worker carries its Set-Cookie, and no store call runs on the I/O thread")
    void responseFromIoThread() {
        HttpTestClient http = serve(recorded(), r -> r.post("/from-io", ex -> {
            ReferenceApp.increment(UndertowReferenceApp.session(ex));
            ex.dispatch(ex.getIoThread(), () -> {
                handlerThreads.add(where());
                send(ex, "from io");
            });
        }));
        HttpTestClient.Response r = http.post("/from-io", null);
        assertEquals("from io", r.body());
        assertEquals(List.of(true), handlerThreads.stream().map(t -> t.startsWith("io:")).toList());
        assertEquals("{\"count\":1}", count(http, liveSession(r)));
        assertNoStoreCallOnIoThread();
    }

    @Test
    @DisplayName("an unlocked write answered from the I/O thread still carries its Set-Cookie (the commit runs there)")
    void unlockedWriteFromIoThread() {
        HttpTestClient http = serve(recorded(), r -> r.post("/unlocked-io", ex -> {
            UndertowReferenceApp.session(ex).put("count", 7);
            ex.dispatch(ex.getIoThread(), () -> send(ex, "late"));
        }));
        HttpTestClient.Response r = http.post("/unlocked-io", null);
        assertEquals("late", r.body());
        assertEquals("{\"count\":7}", count(http, liveSession(r)));
    }

    @Test
    @DisplayName("a handler that continues on its own executor and responds there sends its cookie, committed on that thread")
    void ownExecutor() {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "app-pool"));
        resources.add(pool::shutdownNow);
        HttpTestClient http = serve(recorded(), r -> r.post("/pool", ex -> ex.dispatch(pool, () -> {
            handlerThreads.add(where());
            UndertowReferenceApp.reply(ex, ReferenceApp.increment(UndertowReferenceApp.session(ex)));
        })));
        HttpTestClient.Response r = http.post("/pool", null);
        assertEquals("{\"count\":1}", r.body());
        assertEquals(List.of("worker:app-pool"), handlerThreads);
        assertEquals("{\"count\":1}", count(http, liveSession(r)));
        assertNoStoreCallOnIoThread();
    }

    @Test
    @DisplayName("a handler that returns without responding still sends its cookie")
    void returnsWithoutResponding() {
        HttpTestClient http = serve(recorded(), r -> r.post("/silent", ex -> {
            ReferenceApp.increment(UndertowReferenceApp.session(ex));
            ex.setStatusCode(204);
        }));
        HttpTestClient.Response r = http.post("/silent", null);
        assertEquals(204, r.status(), r::toString);
        assertEquals("{\"count\":1}", count(http, liveSession(r)));
        assertNoStoreCallOnIoThread();
    }

    @Test
    @DisplayName("handlers reach the same session through the accessors, the OpenSessions and the exchange's attribute map")
    void accessors() {
        HttpTestClient http = serve(recorded(), r -> r.post("/lookup", ex -> {
            Session session = SessionHandler.session(ex, ReferenceApp.SESSION);
            assertSame(session, SessionHandler.sessions(ex).session(ReferenceApp.SESSION));
            assertSame(session, ex.getAttachment(SessionHandler.ATTRIBUTES).get(ReferenceApp.SESSION));
            assertSame(SessionHandler.sessions(ex), ex.getAttachment(SessionHandler.ATTRIBUTES).get(OpenSessions.ATTRIBUTE));
            assertSame(SessionHandler.session(ex, ReferenceApp.AUTH), SessionHandler.auth(ex, ReferenceApp.AUTH).session());
            UndertowReferenceApp.reply(ex, ReferenceApp.increment(session));
        }));
        HttpTestClient.Response r = http.post("/lookup", null);
        assertEquals("{\"count\":1}", r.body(), r::toString);
        assertEquals("{\"count\":1}", count(http, liveSession(r)));
    }

    @Test
    @DisplayName("Cookie headers Undertow's own cookie parser refuses (too many cookies) or that are huge never give a 5xx, and with the store down give 503")
    void hostileHeaders() {
        HttpTestClient http = serve(recorded(), r -> { });
        HttpTestClient down = serve(sessions(DeadStores::configureDown), r -> { });
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            many.append("c").append(i).append("=v; ");
        }
        List<String> hostile = List.of(many + "SESSION=junk", "SESSION=" + "A".repeat(60 * 1024), "SESSION=\"",
                "=; ;=;SESSION", "$Version=1; AUTH=\"x\"; $Path=/", "SESSION=a\\\"b; AUTH=%00");
        for (String h : hostile) {
            for (String path : List.of("/counter", "/me", "/")) {
                HttpTestClient.Response r = http.get(path, h);
                assertTrue(r.status() < 500, () -> path + ": " + r);
                HttpTestClient.Response d = down.get(path, h);
                assertTrue(d.status() < 500, () -> "store down, " + path + ": " + d);
            }
            HttpTestClient.Response w = http.post("/counter/increment", null, h);
            assertEquals("{\"count\":1}", w.body(), w::toString);
            HttpTestClient.Response d = down.post("/counter/increment", null, h);
            assertEquals(503, d.status(), d::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, d.body());
        }
    }

    // ---------------------------------------------------------------- a commit that fails

    /**
     * Routes that each write the {@code session} session without the lock (a small value, or with
     * {@code ?big} one too large to save) and then commit the response in one of Undertow's ways, so the
     * save runs (and fails) inside that commit path.
     */
    private void unlockedWriteThenCommit(RoutingHandler r, ExecutorService pool) {
        r.post("/send", ex -> {
            write(ex);
            send(ex, "not this");
        });
        r.post("/blocking-send", ex -> {
            write(ex);
            ex.startBlocking();
            send(ex, "not this");
        });
        r.post("/stream-flush", ex -> {
            write(ex);
            ex.startBlocking();
            OutputStream out = ex.getOutputStream();
            out.write("not this".getBytes(StandardCharsets.UTF_8));
            out.flush();
        });
        r.post("/stream-close", ex -> {
            write(ex);
            ex.startBlocking();
            try (OutputStream out = ex.getOutputStream()) {
                out.write("not this".getBytes(StandardCharsets.UTF_8));
            }
        });
        r.post("/redirect-unlocked", ex -> {
            write(ex);
            new RedirectHandler("/counter").handleRequest(ex);
        });
        r.post("/end", ex -> {
            write(ex);
            ex.setStatusCode(202);
            ex.endExchange();
        });
        r.post("/error-page", new SimpleErrorPageHandler(ex -> {
            write(ex);
            ex.setStatusCode(409);
            ex.endExchange();
        }));
        r.post("/returns", SessionHandlerTest::write);
        r.post("/throws", ex -> {
            write(ex);
            throw new IllegalStateException("the handler failed on purpose");
        });
        r.post("/pool-send", ex -> ex.dispatch(pool, () -> {
            write(ex);
            send(ex, "not this");
        }));
        r.post("/io-send", ex -> {
            write(ex);
            ex.dispatch(ex.getIoThread(), () -> send(ex, "not this"));
        });
    }

    private static void write(HttpServerExchange ex) {
        boolean big = ex.getQueryParameters().containsKey("big");
        UndertowReferenceApp.session(ex).put("k", big ? "x".repeat(ReferenceApp.BIG_CHARS) : "v");
    }

    private static final String COMMIT_PATHS = "/send, /blocking-send, /stream-flush, /stream-close, /redirect-unlocked, "
            + "/end, /error-page, /returns, /throws, /pool-send, /io-send";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/send", "/blocking-send", "/stream-flush", "/stream-close", "/redirect-unlocked", "/end",
        "/error-page", "/returns", "/throws", "/pool-send", "/io-send"})
    @DisplayName("an unlocked write whose save fails in the commit path, store down: 503 with the short body, whole, and the connection stays usable")
    void commitStoreDown(String path) throws Exception {
        ExecutorService pool = pool();
        ReferenceServer server = start(sessions(DeadStores::configureDown), r -> unlockedWriteThenCommit(r, pool));
        for (RawHttp.Response r : RawHttp.twice(server.baseUri(), "POST", path)) {
            assertEquals(503, r.status(), () -> path + ": " + r);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body(), () -> path + ": " + r);
            assertEquals(OpenSessions.JSON, r.header("Content-Type"), () -> path + ": " + r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/send", "/blocking-send", "/stream-flush", "/stream-close", "/redirect-unlocked", "/end",
        "/error-page", "/returns", "/throws", "/pool-send", "/io-send"})
    @DisplayName("an unlocked write too large to save, in the commit path: 500 with the short body, no cookie, and the connection stays usable")
    void commitTooLarge(String path) throws Exception {
        ExecutorService pool = pool();
        ReferenceServer server = start(recorded(), r -> unlockedWriteThenCommit(r, pool));
        for (RawHttp.Response r : RawHttp.twice(server.baseUri(), "POST", path + "?big")) {
            assertEquals(500, r.status(), () -> path + ": " + r);
            assertEquals(OpenSessions.TOO_LARGE_BODY, r.body(), () -> path + ": " + r);
            assertEquals(OpenSessions.JSON, r.header("Content-Type"), () -> path + ": " + r);
            assertEquals(null, r.header("Set-Cookie"), () -> path + ": " + r);
        }
    }

    @Test
    @DisplayName("the same commit paths with a working store save the write and send its cookie")
    void commitPathsSave() {
        ExecutorService pool = pool();
        HttpTestClient http = serve(recorded(), r -> unlockedWriteThenCommit(r, pool));
        for (String path : COMMIT_PATHS.split(", ")) {
            storeCalls.clear();
            HttpTestClient.Response r = http.post(path, null);
            assertEquals(path.equals("/throws") ? 500 : path.equals("/error-page") ? 409 : path.equals("/redirect-unlocked") ? 302
                    : path.equals("/end") ? 202 : path.equals("/returns") ? 200 : 200, r.status(), () -> path + ": " + r);
            liveSession(r);
            assertTrue(storeCalls.stream().anyMatch(c -> c.startsWith("save@")), () -> path + ": " + storeCalls);
        }
    }

    private ExecutorService pool() {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "app-pool"));
        resources.add(pool::shutdownNow);
        return pool;
    }
}
