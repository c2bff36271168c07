package dev.cookies.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.javalin.legacy.LegacyShop;
import dev.cookies.javalin.legacy.SessionCounter;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Code that already uses sessions, on the store of each subclass, over HTTP: the unchanged
 * {@link LegacyShop}, written against {@code HttpSession} only, on plain Jetty and inside Javalin (its
 * listener counts checked against the requests made), and Javalin's own session methods. Every response
 * is checked for a {@code JSESSIONID}.
 */
abstract class HttpSessionContract {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** The store the shop's session lives in. */
    protected abstract ContractStore store();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Sessions sessions() {
        SessionManager.Builder b = SessionManager.builder("session").lockPolicy(LockPolicy.OFF);
        store().configure("session", b);
        Sessions sessions = Sessions.of(b.build());
        open.add(sessions);
        return sessions;
    }

    private ReferenceServer start(LegacyShopServers host, Sessions sessions, SessionCounter counter) throws Exception {
        ReferenceServer server = host.start(sessions, counter);
        open.add(server);
        return server;
    }

    @ParameterizedTest
    @EnumSource(LegacyShopServers.class)
    @DisplayName("cart, login with changeSessionId, preferences, logout with invalidate: the answers and the listener counts")
    void shopping(LegacyShopServers host) throws Exception {
        Sessions sessions = sessions();
        boolean clientSide = sessions.manager("session").isClientSide();
        SessionCounter counter = new SessionCounter();
        ReferenceServer server = start(host, sessions, counter);
        Browser browser = new Browser(server.baseUri());

        assertEquals("[]", browser.get("/cart").body());
        assertEquals("anonymous", browser.get("/whoami").body());
        assertNull(browser.cookie("SESSION"), "reading creates no session");
        assertEquals(counts(0, 0, 0, 0, 0, 0), counter.counts());

        assertEquals("1", browser.post("/cart/add?item=apple").body());
        assertEquals("2", browser.post("/cart/add?item=pear").body());
        assertEquals("[apple, pear]", browser.get("/cart").body(), "the live list, changed after setAttribute and after getAttribute");
        assertEquals(counts(1, 0, 1, 0, 0, 0), counter.counts());

        String beforeLogin = browser.cookie("SESSION");
        assertNotNull(beforeLogin);
        assertEquals("welcome", browser.post("/login?user=alice").body());
        assertNotEquals(beforeLogin, browser.cookie("SESSION"), "changeSessionId sends a new cookie");
        assertEquals("alice", browser.get("/whoami").body());
        assertEquals("[apple, pear]", browser.get("/cart").body());
        if (!clientSide) {
            Browser stale = new Browser(server.baseUri());
            stale.cookie("SESSION", beforeLogin);
            assertEquals("anonymous", stale.get("/whoami").body(), "the id from before login loads nothing");
            assertEquals("[]", stale.get("/cart").body());
        }
        assertEquals(counts(1, 0, 2, 0, 0, 1), counter.counts());

        browser.post("/prefs?name=theme&value=dark");
        browser.post("/prefs?name=theme&value=light");
        assertEquals("{cart=[apple, pear], theme=light, user=alice}", browser.get("/prefs").body());
        assertEquals(counts(1, 0, 3, 1, 0, 1), counter.counts());

        String beforeLogout = browser.cookie("SESSION");
        assertEquals("bye", browser.post("/logout").body());
        assertNull(browser.cookie("SESSION"), "invalidate expires the cookie");
        assertEquals("anonymous", browser.get("/whoami").body());
        assertEquals("[]", browser.get("/cart").body());
        if (!clientSide) {
            Browser stale = new Browser(server.baseUri());
            stale.cookie("SESSION", beforeLogout);
            assertEquals("anonymous", stale.get("/whoami").body(), "the invalidated id loads nothing");
        }
        assertEquals(counts(1, 1, 3, 1, 3, 1), counter.counts(), "destroyed once, each of its 3 attributes removed");
    }

    @ParameterizedTest
    @EnumSource(LegacyShopServers.class)
    @DisplayName("two concurrent requests setting different attributes on one session both persist, 100 rounds out of 100")
    void concurrentAttributes(LegacyShopServers host) throws Exception {
        Sessions sessions = sessions();
        assumeFalse(sessions.manager("session").isClientSide(),
                "a client-side session travels in its cookie: two concurrent requests with one cookie are last-write-wins");
        SessionCounter counter = new SessionCounter();
        ReferenceServer server = start(host, sessions, counter);
        Browser browser = new Browser(server.baseUri());
        browser.post("/prefs?name=start&value=0");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int bothKept = 0;
        try {
            for (int round = 0; round < 100; round++) {
                CountDownLatch go = new CountDownLatch(1);
                String a = "a" + round;
                String b = "b" + round;
                Future<HttpTestClient.Response> first = pool.submit(() -> {
                    go.await();
                    return browser.post("/prefs?name=" + a + "&value=x");
                });
                Future<HttpTestClient.Response> second = pool.submit(() -> {
                    go.await();
                    return browser.post("/prefs?name=" + b + "&value=y");
                });
                go.countDown();
                assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
                assertEquals(200, second.get(30, TimeUnit.SECONDS).status());
                String all = browser.get("/prefs").body();
                if (all.contains(a + "=x") && all.contains(b + "=y")) {
                    bothKept++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, bothKept);
        assertEquals(counts(1, 0, 201, 0, 0, 0), counter.counts());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("Javalin's sessionAttribute, consumeSessionAttribute, cachedSessionAttribute, sessionAttributeMap and "
            + "req().getSession() are the Cookies session, both ways")
    void javalinSessionMethods() {
        Sessions sessions = sessions();
        ReferenceServer server = startJavalin(sessions, config -> {
            config.routes.post("/set", ctx -> {
                ctx.sessionAttribute("legacy", "x");
                ctx.cachedSessionAttribute("cached", List.of(1, 2));
                ctx.req().getSession().setAttribute("servlet", Map.of("k", "v"));
                ctx.result(SessionPlugin.session(ctx, "session").get("legacy").orElse(null) + " "
                        + SessionPlugin.session(ctx, "session").get("servlet").orElse(null));
            });
            config.routes.post("/cookies", ctx -> {
                SessionPlugin.session(ctx, "session").put("fromCookies", 5);
                ctx.result(String.valueOf((Object) ctx.sessionAttribute("fromCookies")));
            });
            config.routes.get("/get", ctx -> ctx.result(ctx.<String>sessionAttribute("legacy") + " "
                    + ctx.cachedSessionAttribute("cached") + " " + ctx.sessionAttribute("fromCookies") + " "
                    + ctx.req().getSession(false).getAttribute("servlet") + " "
                    + new java.util.TreeSet<>(ctx.sessionAttributeMap().keySet())));
            config.routes.post("/consume", ctx -> ctx.result(ctx.<String>consumeSessionAttribute("legacy") + " "
                    + SessionPlugin.session(ctx, "session").get("legacy").isPresent()));
            config.routes.get("/anonymous", ctx -> ctx.result(ctx.sessionAttribute("legacy") + " " + (ctx.req().getSession(false) == null)));
        });
        Browser browser = new Browser(server.baseUri());
        assertEquals("null true", browser.get("/anonymous").body());
        assertEquals("x {k=v}", browser.post("/set").body());
        assertEquals("5", browser.post("/cookies").body());
        assertEquals("x [1, 2] 5 {k=v} [cached, fromCookies, legacy, servlet]", browser.get("/get").body());
        assertEquals("x false", browser.post("/consume").body());
        assertEquals("null [1, 2] 5 {k=v} [cached, fromCookies, servlet]", browser.get("/get").body());
    }

    private ReferenceServer startJavalin(Sessions sessions, java.util.function.Consumer<io.javalin.config.JavalinConfig> routes) {
        io.javalin.Javalin app = io.javalin.Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.registerPlugin(new SessionPlugin(sessions));
            routes.accept(config);
        }).start("127.0.0.1", 0);
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + app.port());
        ReferenceServer server = new ReferenceServer() {
            @Override
            public java.net.URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                app.stop();
            }
        };
        open.add(server);
        return server;
    }

    private static Map<String, Integer> counts(int created, int destroyed, int added, int replaced, int removed, int idChanged) {
        return new java.util.TreeMap<>(Map.of("created", created, "destroyed", destroyed, "added", added,
                "replaced", replaced, "removed", removed, "idChanged", idChanged));
    }
}
