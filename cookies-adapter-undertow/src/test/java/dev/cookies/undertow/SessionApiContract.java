package dev.cookies.undertow;

import static dev.cookies.undertow.ShopApp.json;
import static dev.cookies.undertow.ShopApp.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cookies.CookieSettings;
import dev.cookies.SessionManager;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.MutableClock;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.session.Session;
import io.undertow.util.Sessions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unchanged {@link ShopApp}, written against Undertow's session API, over real HTTP: on the
 * {@link SessionBridge} with a Cookies store (one subclass per store), and on Undertow's own
 * {@code InMemorySessionManager} ({@link UndertowOwnSessionsTest}), which shows the app and these
 * expectations are Undertow's, not Cookies'.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class SessionApiContract {

    /** The session's cookie: the only cookie a response may set (on the bridge, never Undertow's JSESSIONID). */
    protected String sessionCookie() {
        return "SESSION";
    }

    /** The store under test. */
    protected abstract ContractStore store();

    /** Whether the store keeps sessions on the server: an old id stops loading, concurrent requests merge. */
    protected boolean serverSide() {
        return true;
    }

    /** A running app. */
    record Running(URI base, ShopApp.Counts counts, MutableClock clock, AutoCloseable stop) {
    }

    /**
     * Starts the app on the bridge: one Cookies session {@code session} on {@link #store()}, with
     * {@code cart} registered as a {@link ShopApp.Cart}, and the bridge's expiry listener.
     */
    protected Running start(Consumer<RoutingHandler> extra, Consumer<SessionManager.Builder> tune) throws Exception {
        MutableClock clock = MutableClock.now();
        SessionBridge bridge = SessionBridge.builder().attribute("cart", ShopApp.Cart.class).build();
        SessionManager.Builder b = SessionManager.builder("session").clock(clock).listener(bridge.expiryListener());
        store().configure("session", b);
        tune.accept(b);
        dev.cookies.Sessions sessions = dev.cookies.Sessions.of(b.build());
        ShopApp.Counts counts = new ShopApp.Counts();
        Undertow server = serve(new SessionHandler(sessions, ShopApp.handler(bridge, bridge.sessionConfig(), counts, extra)));
        return new Running(base(server), counts, clock, () -> {
            server.stop();
            sessions.close();
        });
    }

    static Undertow serve(HttpHandler handler) {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        return server;
    }

    static URI base(Undertow server) {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    private final List<Browser> browsers = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    private Running app(Consumer<RoutingHandler> extra, Consumer<SessionManager.Builder> tune) throws Exception {
        Running r = start(extra, tune);
        running.add(r.stop());
        return r;
    }

    private Running app() throws Exception {
        return app(null, b -> { });
    }

    private Browser browser(Running app) {
        Browser b = new Browser(app.base());
        browsers.add(b);
        return b;
    }

    @AfterEach
    void noOtherCookies() throws Exception {
        try {
            for (Browser b : browsers) {
                Set<String> set = b.cookiesEverSet();
                assertTrue(Set.of(sessionCookie()).containsAll(set), "cookies set: " + set + ", allowed: " + sessionCookie());
            }
        } finally {
            for (AutoCloseable r : running) {
                r.close();
            }
        }
    }

    private static HttpTestClient.Response ok(HttpTestClient.Response r) {
        assertEquals(200, r.status(), r::toString);
        return r;
    }

    private static String field(HttpTestClient.Response r, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(r.body());
        assertTrue(m.find(), () -> name + " in " + r);
        return m.group(1);
    }

    @Test
    @DisplayName("a cart set, then changed in place, and changed in place again in later requests keeps every item")
    void cart() throws Exception {
        Running app = app();
        Browser alice = browser(app);
        assertEquals("{\"items\":[\"apple\"]}", ok(alice.post("/cart/add?item=apple")).body());
        assertEquals("{\"items\":[\"apple\",\"pear\"]}", ok(alice.post("/cart/add?item=pear")).body());
        assertEquals("{\"items\":[\"apple\",\"pear\"]}", ok(alice.get("/cart")).body());
        assertEquals("{\"items\":[]}", ok(browser(app).get("/cart")).body(), "another browser has its own session");
        assertEquals("{\"items\":[]}", ok(alice.post("/cart/clear")).body());
        assertEquals("{\"items\":[]}", ok(alice.get("/cart")).body());
    }

    @Test
    @DisplayName("login calls changeSessionId: the id changes, the data stays, the old id no longer loads (server-side)")
    void login() throws Exception {
        Running app = app();
        Browser alice = browser(app);
        ok(alice.post("/cart/add?item=apple"));
        String before = field(ok(alice.get("/session")), "id");
        Browser oldTab = alice.tab();
        assertEquals("{\"user\":\"alice\"}", ok(alice.post("/login?user=alice")).body());
        String after = field(ok(alice.get("/session")), "id");
        assertNotEquals(before, after);
        assertEquals("{\"user\":\"alice\"}", ok(alice.get("/me")).body());
        assertEquals("{\"items\":[\"apple\"]}", ok(alice.get("/cart")).body());
        if (serverSide()) {
            assertEquals(401, oldTab.get("/me").status(), "the id from before the login no longer loads the session");
            assertEquals("{\"items\":[]}", ok(oldTab.get("/cart")).body());
        }
    }

    @Test
    @DisplayName("logout calls invalidate: the cookie is expired and the session is gone")
    void logout() throws Exception {
        Running app = app();
        Browser alice = browser(app);
        ok(alice.post("/cart/add?item=apple"));
        ok(alice.post("/login?user=alice"));
        Browser oldTab = alice.tab();
        ok(alice.post("/logout"));
        assertNull(alice.cookie(sessionCookie()), "the session cookie was expired");
        assertEquals(401, alice.get("/me").status());
        assertEquals("{\"items\":[]}", ok(alice.get("/cart")).body());
        if (serverSide()) {
            assertEquals(401, oldTab.get("/me").status(), "the logged-out session no longer loads");
        }
    }

    @Test
    @DisplayName("session listeners are called once per event the requests made")
    void listenerCounts() throws Exception {
        Running app = app();
        Browser alice = browser(app);
        ok(alice.post("/cart/add?item=apple"));  // created, added cart
        ok(alice.post("/cart/add?item=pear"));   // a change in place: no event
        ok(alice.post("/login?user=alice"));     // id changed, added user
        ok(alice.post("/visit"));                // added visits
        ok(alice.post("/visit"));                // updated visits
        ok(alice.post("/cart/clear"));           // removed cart
        ok(alice.get("/me"));                    // reads: no event
        ok(alice.post("/logout"));               // destroyed
        assertEquals(401, alice.get("/me").status());
        assertEquals(Map.of("created", 1, "added cart", 1, "id changed", 1, "added user", 1, "added visits", 1,
                "updated visits", 1, "removed cart", 1, "destroyed INVALIDATED", 1), app.counts().snapshot());
    }

    @Test
    @DisplayName("the id and creation time hold across requests; the max inactive interval is 30 minutes and can be set")
    void sessionFacts() throws Exception {
        Running app = app();
        Browser alice = browser(app);
        ok(alice.post("/visit"));
        HttpTestClient.Response first = ok(alice.get("/session"));
        HttpTestClient.Response second = ok(alice.get("/session"));
        assertEquals(field(first, "id"), field(second, "id"));
        assertEquals(field(first, "created"), field(second, "created"));
        assertEquals("1800", field(first, "maxInactive"));
        assertEquals("{\"maxInactive\":7200}", ok(alice.post("/session/timeout?seconds=7200")).body());
        assertEquals("7200", field(ok(alice.get("/session")), "maxInactive"));
        assertEquals(field(first, "created"), field(ok(alice.get("/session")), "created"));
    }

    @Test
    @DisplayName("two concurrent requests setting different attributes on one session both persist, 100 times out of 100")
    void concurrentAttributes() throws Exception {
        assumeTrue(serverSide(), "concurrent requests on one client-side session are last-write-wins by nature");
        CyclicBarrier bothLoaded = new CyclicBarrier(2);
        Running app = app(routes -> routes
                .post("/race/set", ex -> {
                    Session s = Sessions.getOrCreateSession(ex);
                    s.setAttribute(param(ex, "name"), param(ex, "value"));
                    bothLoaded.await(30, TimeUnit.SECONDS);
                    json(ex, 200, "{}");
                })
                .get("/race/get", ex -> {
                    Session s = Sessions.getSession(ex);
                    json(ex, 200, "{\"a\":\"" + s.getAttribute("a") + "\",\"b\":\"" + s.getAttribute("b") + "\"}");
                }), b -> { });
        Browser alice = browser(app);
        ok(alice.post("/visit"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 100; i++) {
                String v = Integer.toString(i);
                Future<HttpTestClient.Response> a = pool.submit(() -> alice.tab().post("/race/set?name=a&value=" + v));
                Future<HttpTestClient.Response> b = pool.submit(() -> alice.tab().post("/race/set?name=b&value=" + v));
                ok(a.get(60, TimeUnit.SECONDS));
                ok(b.get(60, TimeUnit.SECONDS));
                assertEquals("{\"a\":\"" + v + "\",\"b\":\"" + v + "\"}", ok(alice.get("/race/get")).body(), "round " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a value only read is never written back, so it does not undo a concurrent change to it")
    void readOnlyWritesNothing() throws Exception {
        assumeTrue(serverSide(), "concurrent requests on one client-side session are last-write-wins by nature");
        CyclicBarrier bothLoaded = new CyclicBarrier(2);
        Running app = app(routes -> routes
                .post("/race/peek", ex -> {
                    assertNotNull(Sessions.getSession(ex).getAttribute("cart"));
                    bothLoaded.await(30, TimeUnit.SECONDS);
                    json(ex, 200, "{}");
                })
                .post("/race/add", ex -> {
                    ShopApp.Cart cart = (ShopApp.Cart) Sessions.getSession(ex).getAttribute("cart");
                    cart.items.add(param(ex, "item"));
                    bothLoaded.await(30, TimeUnit.SECONDS);
                    json(ex, 200, "{}");
                }), b -> { });
        Browser alice = browser(app);
        ok(alice.post("/cart/add?item=0"));
        StringBuilder expected = new StringBuilder("{\"items\":[\"0\"");
        raceReadsAgainstAdds(alice, "/race/peek", "/race/add");
        for (int i = 1; i <= 20; i++) {
            expected.append(",\"").append(i).append('"');
        }
        assertEquals(expected.append("]}").toString(), ok(alice.get("/cart")).body());
    }

    /**
     * Twenty times, a request to {@code peekPath} that only reads a value races one to {@code addPath}
     * that adds item {@code i} to it (1 to 20, in order); each route waits for the other after loading.
     */
    private static void raceReadsAgainstAdds(Browser alice, String peekPath, String addPath) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 1; i <= 20; i++) {
                String item = Integer.toString(i);
                Future<HttpTestClient.Response> peek = pool.submit(() -> alice.tab().post(peekPath));
                Future<HttpTestClient.Response> add = pool.submit(() -> alice.tab().post(addPath + "?item=" + item));
                ok(peek.get(60, TimeUnit.SECONDS));
                ok(add.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("an untyped map only read is never written back either, so it does not undo a concurrent change to it")
    @SuppressWarnings("unchecked")
    void untypedReadOnlyWritesNothing() throws Exception {
        assumeTrue(serverSide(), "concurrent requests on one client-side session are last-write-wins by nature");
        CyclicBarrier bothLoaded = new CyclicBarrier(2);
        Running app = app(routes -> routes
                .post("/prefs/init", ex -> {
                    Map<String, Object> prefs = new java.util.LinkedHashMap<>();
                    prefs.put("seen", new ArrayList<>(List.of("0")));
                    prefs.put("n", 1);
                    prefs.put("ratio", 0.5);
                    Sessions.getOrCreateSession(ex).setAttribute("prefs", prefs);
                    json(ex, 200, "{}");
                })
                .post("/prefs/peek", ex -> {
                    assertNotNull(Sessions.getSession(ex).getAttribute("prefs"));
                    bothLoaded.await(30, TimeUnit.SECONDS);
                    json(ex, 200, "{}");
                })
                .post("/prefs/add", ex -> {
                    Map<String, Object> prefs = (Map<String, Object>) Sessions.getSession(ex).getAttribute("prefs");
                    ((List<Object>) prefs.get("seen")).add(param(ex, "item"));
                    bothLoaded.await(30, TimeUnit.SECONDS);
                    json(ex, 200, "{}");
                })
                .get("/prefs", ex -> json(ex, 200, String.valueOf(Sessions.getSession(ex).getAttribute("prefs")))), b -> { });
        Browser alice = browser(app);
        ok(alice.post("/prefs/init"));
        StringBuilder expected = new StringBuilder("{seen=[0");
        raceReadsAgainstAdds(alice, "/prefs/peek", "/prefs/add");
        for (int i = 1; i <= 20; i++) {
            expected.append(", ").append(i);
        }
        assertEquals(expected.append("], n=1, ratio=0.5}").toString(), ok(alice.get("/prefs")).body());
    }

    @Test
    @DisplayName("a session past its lifetime, found expired by the core, is reported to listeners as destroyed by TIMEOUT")
    void expiry() throws Exception {
        assumeTrue(serverSide(), "a client-side store cannot report an expiry: the expired cookie is simply not used");
        Running app = app(null, b -> b.idleTimeout(Duration.ofMinutes(20)).absoluteTimeout(Duration.ofMinutes(30))
                .cookie(CookieSettings.builder("SESSION").persistent(false).build()));
        assumeTrue(app.clock() != null, "Undertow's own manager runs on its own clock");
        Browser alice = browser(app);
        String id = field(ok(alice.post("/login?user=alice")), "user");
        assertEquals("alice", id);
        String sessionId = field(ok(alice.get("/session")), "id");
        app.clock().advance(Duration.ofMinutes(15));
        ok(alice.get("/me"));                     // the store's idle timeout slides; the lifetime does not
        app.clock().advance(Duration.ofMinutes(16));
        assertEquals(401, alice.get("/me").status());
        assertEquals(1, app.counts().snapshot().getOrDefault("destroyed TIMEOUT", 0), app.counts().snapshot()::toString);
        String reported = app.counts().destroyedIds.get(0);
        assertFalse(reported.isEmpty());
        assertNotEquals(sessionId, reported, "listeners see the core's handle of the id, never the id");
        assertNull(app.counts().snapshot().get("destroyed INVALIDATED"));
    }
}
