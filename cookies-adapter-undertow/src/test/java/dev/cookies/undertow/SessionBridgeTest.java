package dev.cookies.undertow;

import static dev.cookies.undertow.ShopApp.json;
import static dev.cookies.undertow.ShopApp.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cookies.SessionEvent;
import dev.cookies.SessionManager;
import dev.cookies.spi.SessionObserver;
import dev.cookies.testkit.HttpTestClient;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionAttachmentHandler;
import io.undertow.server.session.SessionListener;
import io.undertow.util.Sessions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the bridge decides beyond Undertow's API: how values cross between Undertow's API and the
 * Cookies API, which values it refuses, when in-place changes are written back, which session it
 * works on, and what it costs. Over HTTP, on the memory store.
 */
class SessionBridgeTest {

    private final List<AutoCloseable> running = new ArrayList<>();
    /** Store loads, counted through the manager's observer. */
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable r : running) {
            r.close();
        }
    }

    private SessionManager.Builder manager(String name) {
        return SessionManager.builder(name).store("memory:").observer(new SessionObserver() {
            @Override
            public void storeCall(String sessionName, String store, String operation, Duration time, boolean failed) {
                if (operation.equals("load")) {
                    loads.incrementAndGet();
                }
            }
        });
    }

    /** Serves routes behind Undertow's session attachment (with the bridge) behind a SessionHandler. */
    private Browser start(SessionBridge bridge, Consumer<RoutingHandler> routes, SessionManager.Builder... managers) {
        List<SessionManager> built = new ArrayList<>();
        for (SessionManager.Builder b : managers.length == 0 ? new SessionManager.Builder[] {manager("session")} : managers) {
            built.add(b.build());
        }
        dev.cookies.Sessions sessions = dev.cookies.Sessions.of(built);
        RoutingHandler r = new RoutingHandler();
        routes.accept(r);
        Undertow server = SessionApiContract.serve(new SessionHandler(sessions,
                new SessionAttachmentHandler(r, bridge, bridge.sessionConfig())));
        running.add(() -> {
            server.stop();
            sessions.close();
        });
        return new Browser(SessionApiContract.base(server));
    }

    private static SessionBridge bridge() {
        return SessionBridge.builder()
                .attribute("cart", ShopApp.Cart.class)
                .attribute("userId", Long.class)
                .attribute("ids", new TypeReference<Set<Long>>() { })
                .attribute("bomb", Exploding.class)
                .build();
    }

    private static dev.cookies.Session cookies(HttpServerExchange ex) {
        return SessionHandler.session(ex, "session");
    }

    private static HttpTestClient.Response ok(HttpTestClient.Response r) {
        assertEquals(200, r.status(), r::toString);
        return r;
    }

    /** A value Jackson cannot write. */
    public static final class Exploding {
        public String getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    @DisplayName("an attribute set through Undertow's API reads back through the Cookies API, and the other way round")
    void bothWays() {
        Browser browser = start(bridge(), r -> r
                .post("/undertow/set", ex -> {
                    Session s = Sessions.getOrCreateSession(ex);
                    s.setAttribute("user", "alice");
                    s.setAttribute("tags", List.of("a", "b"));
                    json(ex, 200, "{\"sameRequest\":\"" + cookies(ex).get("user").orElseThrow() + cookies(ex).get("tags").orElseThrow() + "\"}");
                })
                .get("/cookies/get", ex -> json(ex, 200, "{\"user\":\"" + cookies(ex).get("user").orElse(null) + "\",\"tags\":\""
                        + cookies(ex).get("tags").orElse(null) + "\"}"))
                .post("/cookies/put", ex -> {
                    cookies(ex).put("visits", 5);
                    cookies(ex).put("profile", Map.of("name", "Al"));
                    cookies(ex).put("cart", Map.of("items", List.of("apple")));
                    json(ex, 200, "{\"sameRequest\":" + Sessions.getSession(ex).getAttribute("visits") + "}");
                })
                .get("/undertow/get", ex -> {
                    Session s = Sessions.getSession(ex);
                    json(ex, 200, "{\"visits\":" + s.getAttribute("visits") + ",\"profile\":\"" + s.getAttribute("profile")
                            + "\",\"cart\":\"" + ((ShopApp.Cart) s.getAttribute("cart")).items + "\"}");
                }));
        assertEquals("{\"sameRequest\":\"alice[a, b]\"}", ok(browser.post("/undertow/set")).body());
        assertEquals("{\"user\":\"alice\",\"tags\":\"[a, b]\"}", ok(browser.get("/cookies/get")).body());
        assertEquals("{\"sameRequest\":5}", ok(browser.post("/cookies/put")).body());
        assertEquals("{\"visits\":5,\"profile\":\"{name=Al}\",\"cart\":\"[apple]\"}", ok(browser.get("/undertow/get")).body());
    }

    @Test
    @DisplayName("getAttribute returns a registered attribute's type, plain JSON types otherwise, with Maps and Lists mutable")
    @SuppressWarnings("unchecked") // as an application casts what getAttribute returns
    void types() {
        Browser browser = start(bridge(), r -> r
                .post("/seed", ex -> {
                    cookies(ex).put("cart", Map.of("items", List.of("x")));
                    cookies(ex).put("userId", 7);
                    cookies(ex).put("ids", List.of(1, 2));
                    cookies(ex).put("prefs", Map.of("a", 1));
                    cookies(ex).put("recent", List.of("p"));
                    cookies(ex).put("visits", 3);
                    cookies(ex).put("ratio", 0.5);
                    json(ex, 200, "{}");
                })
                .get("/types", ex -> {
                    Session s = Sessions.getSession(ex);
                    StringBuilder out = new StringBuilder();
                    for (String name : List.of("cart", "userId", "ids", "prefs", "recent", "visits", "ratio")) {
                        out.append(name).append('=').append(s.getAttribute(name).getClass().getSimpleName()).append(' ');
                    }
                    ((Map<String, Object>) s.getAttribute("prefs")).put("b", 2);
                    ((List<Object>) s.getAttribute("recent")).add("q");
                    ((Set<Long>) s.getAttribute("ids")).add(3L);
                    json(ex, 200, "{\"types\":\"" + out.toString().trim() + "\"}");
                })
                .get("/after", ex -> json(ex, 200, "{\"prefs\":\"" + cookies(ex).get("prefs").orElseThrow() + "\",\"recent\":\""
                        + cookies(ex).get("recent").orElseThrow() + "\",\"ids\":\"" + cookies(ex).get("ids").orElseThrow() + "\"}")));
        ok(browser.post("/seed"));
        assertEquals("{\"types\":\"cart=Cart userId=Long ids=HashSet prefs=LinkedHashMap recent=ArrayList visits=Integer "
                + "ratio=Double\"}", ok(browser.get("/types")).body());
        assertEquals("{\"prefs\":\"{a=1, b=2}\",\"recent\":\"[p, q]\",\"ids\":\"[1, 2, 3]\"}", ok(browser.get("/after")).body(),
                "changes in place were written back");
    }

    @Test
    @DisplayName("setAttribute refuses, naming the attribute, a value that cannot be encoded or would not read back as itself")
    void refused() {
        Browser browser = start(bridge(), r -> r.post("/bad", ex -> {
            Session s = Sessions.getOrCreateSession(ex);
            Object value = switch (param(ex, "case")) {
                case "long" -> 5L;
                case "set" -> new HashSet<>(List.of("a"));
                case "object" -> new ShopApp.Cart();
                case "nested" -> Map.of("when", Instant.EPOCH);
                case "nan" -> Double.NaN;
                case "wrong" -> "not a cart";
                case "bomb" -> new Exploding();
                default -> throw new IllegalArgumentException();
            };
            String name = param(ex, "name");
            try {
                s.setAttribute(name, value);
                json(ex, 200, "{}");
            } catch (IllegalArgumentException e) {
                ex.setStatusCode(400);
                ex.getResponseSender().send(e.getMessage());
            }
        }).get("/names", ex -> json(ex, 200, "{\"names\":\"" + cookies(ex).keys() + "\"}")));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("long", "count");
        cases.put("set", "tags");
        cases.put("object", "basket");
        cases.put("nested", "event");
        cases.put("nan", "ratio");
        cases.put("wrong", "cart");
        cases.put("bomb", "bomb");
        cases.forEach((kind, name) -> {
            HttpTestClient.Response r = browser.post("/bad?case=" + kind + "&name=" + name);
            assertEquals(400, r.status(), kind + ": " + r);
            assertTrue(r.body().contains("'" + name + "'"), kind + ": " + r.body());
        });
        assertTrue(browser.post("/bad?case=long&name=count").body().contains("SessionBridge.builder().attribute(\"count\", type)"));
        assertTrue(browser.post("/bad?case=wrong&name=cart").body().contains("registered as " + ShopApp.Cart.class.getName()));
        assertEquals(200, browser.post("/bad?case=long&name=userId").status(), "a registered Long is taken");
    }

    @Test
    @DisplayName("an in-place change is written back only over the value it was read from: a later put or remove wins")
    @SuppressWarnings("unchecked") // as an application casts what getAttribute returns
    void laterWritesWin() {
        Browser browser = start(bridge(), r -> r
                .post("/init", ex -> {
                    Sessions.getOrCreateSession(ex).setAttribute("prefs", new LinkedHashMap<>(Map.of("theme", "dark")));
                    Sessions.getOrCreateSession(ex).setAttribute("recent", new ArrayList<>(List.of("a")));
                    json(ex, 200, "{}");
                })
                .post("/stale", ex -> {
                    Session s = Sessions.getSession(ex);
                    ((Map<String, Object>) s.getAttribute("prefs")).put("theme", "blue");
                    ((List<Object>) s.getAttribute("recent")).add("b");
                    cookies(ex).put("prefs", Map.of("theme", "green"));
                    cookies(ex).remove("recent");
                    json(ex, 200, "{}");
                })
                .get("/show", ex -> json(ex, 200, "{\"prefs\":\"" + cookies(ex).get("prefs").orElse(null) + "\",\"recent\":\""
                        + cookies(ex).get("recent").orElse(null) + "\"}")));
        ok(browser.post("/init"));
        ok(browser.post("/stale"));
        assertEquals("{\"prefs\":\"{theme=green}\",\"recent\":\"null\"}", ok(browser.get("/show")).body());
    }

    @Test
    @DisplayName("a stored value that no longer converts to its registered type can still be replaced or removed")
    void replacesUnconvertible() {
        SessionBridge bridge = bridge();
        ShopApp.Counts counts = new ShopApp.Counts();
        bridge.registerSessionListener(counts);
        Browser browser = start(bridge, r -> r
                .post("/old", ex -> {
                    cookies(ex).put("cart", "an old shape");
                    cookies(ex).put("userId", "not a number");
                    json(ex, 200, "{}");
                })
                .post("/replace", ex -> {
                    Session s = Sessions.getSession(ex);
                    ShopApp.Cart cart = new ShopApp.Cart();
                    cart.items.add("apple");
                    json(ex, 200, "{\"old\":\"" + s.setAttribute("cart", cart) + "\",\"removed\":\"" + s.removeAttribute("userId") + "\"}");
                }));
        ok(browser.post("/old"));
        assertEquals("{\"old\":\"an old shape\",\"removed\":\"not a number\"}", ok(browser.post("/replace")).body());
        assertEquals(Map.of("updated cart", 1, "removed userId", 1), counts.snapshot());
    }

    @Test
    @DisplayName("a request that never uses the session costs no store call, even with Undertow's end-of-request bookkeeping")
    void untouchedCostsNothing() {
        Browser browser = start(bridge(), r -> r
                .post("/visit", ex -> {
                    Sessions.getOrCreateSession(ex).setAttribute("visits", 1);
                    json(ex, 200, "{}");
                })
                .get("/static", ex -> json(ex, 200, "{}"))
                .get("/read", ex -> json(ex, 200, "{\"visits\":" + Sessions.getSession(ex).getAttribute("visits") + "}")));
        ok(browser.post("/visit"));
        int before = loads.get();
        ok(browser.get("/static"));
        assertEquals(before, loads.get(), "no load for a request that never used its session");
        assertEquals("{\"visits\":1}", ok(browser.get("/read")).body());
        assertEquals(before + 1, loads.get(), "one load for a request that read it");
    }

    @Test
    @DisplayName("a session created and left empty is not kept: Cookies saves no empty session")
    void emptyNotKept() {
        Browser browser = start(bridge(), r -> r
                .post("/create", ex -> json(ex, 200, "{\"new\":" + (Sessions.getOrCreateSession(ex) != null) + "}"))
                .get("/find", ex -> json(ex, 200, "{\"found\":" + (Sessions.getSession(ex) != null) + "}")));
        HttpTestClient.Response created = ok(browser.post("/create"));
        assertFalse(created.setsCookie("SESSION"));
        assertEquals("{\"found\":false}", ok(browser.get("/find")).body());
    }

    @Test
    @DisplayName("the bridge works on the session named in its configuration, else the only one, else the one named 'session'")
    void choosesItsSession() {
        Consumer<RoutingHandler> routes = r -> r.post("/set", ex -> {
            try {
                Sessions.getOrCreateSession(ex).setAttribute("x", "1");
                json(ex, 200, "{\"session\":" + SessionHandler.sessions(ex).all().stream()
                        .map(s -> s.name() + "=" + s.get("x").orElse(null)).toList().toString().replace('[', '"').replace(']', '"') + "}");
            } catch (IllegalStateException e) {
                ex.setStatusCode(500);
                ex.getResponseSender().send(e.getMessage());
            }
        });
        assertEquals("{\"session\":\"session=1, auth=null\"}",
                ok(start(bridge(), routes, manager("session"), manager("auth")).post("/set")).body());
        assertEquals("{\"session\":\"session=null, auth=1\"}",
                ok(start(SessionBridge.builder().session("auth").build(), routes, manager("session"), manager("auth")).post("/set")).body());
        assertEquals("{\"session\":\"shop=1\"}", ok(start(bridge(), routes, manager("shop")).post("/set")).body());
        HttpTestClient.Response ambiguous = start(bridge(), routes, manager("a"), manager("b")).post("/set");
        assertEquals(500, ambiguous.status());
        assertTrue(ambiguous.body().contains("SessionBridge.builder().session(name)"), ambiguous.body());
    }

    @Test
    @DisplayName("without a SessionHandler in front, Undertow's API fails saying so")
    void needsSessionHandler() {
        SessionBridge bridge = bridge();
        RoutingHandler routes = new RoutingHandler().get("/x", ex -> {
            try {
                Sessions.getOrCreateSession(ex);
            } catch (IllegalStateException e) {
                ex.getResponseSender().send(e.getMessage());
            }
        });
        Undertow server = SessionApiContract.serve(new SessionAttachmentHandler(routes, bridge, bridge.sessionConfig()));
        running.add(server::stop);
        assertTrue(new Browser(SessionApiContract.base(server)).get("/x").body().contains("put a SessionHandler in front"));
    }

    @Test
    @DisplayName("a max inactive interval of 'never' (zero or less) is the longest a session may be idle, 400 days")
    void neverTimesOut() {
        Browser browser = start(bridge(), r -> r.post("/never", ex -> {
            Session s = Sessions.getOrCreateSession(ex);
            s.setAttribute("x", "1");
            s.setMaxInactiveInterval(-1);
            json(ex, 200, "{\"maxInactive\":" + s.getMaxInactiveInterval() + "}");
        }));
        assertEquals("{\"maxInactive\":34560000}", ok(browser.post("/never")).body());
    }

    @Test
    @DisplayName("a listener that throws is logged; the request and the other listeners go on")
    void failingListener() {
        SessionBridge bridge = bridge();
        ShopApp.Counts counts = new ShopApp.Counts();
        bridge.registerSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session, HttpServerExchange exchange) {
                throw new IllegalStateException("listener failure");
            }
        });
        bridge.registerSessionListener(counts);
        Browser browser = start(bridge, r -> r.post("/visit", ex -> {
            Sessions.getOrCreateSession(ex).setAttribute("visits", 1);
            json(ex, 200, "{}");
        }));
        ok(browser.post("/visit"));
        assertEquals(Map.of("created", 1, "added visits", 1), counts.snapshot());
    }

    @Test
    @DisplayName("the expiry listener reports its own session's EXPIRED events only, as TIMEOUT with the id's handle")
    void expiryListener() {
        SessionBridge bridge = SessionBridge.builder().session("session").build();
        ShopApp.Counts counts = new ShopApp.Counts();
        bridge.registerSessionListener(counts);
        dev.cookies.SessionListener expiry = bridge.expiryListener();
        expiry.onEvent(new SessionEvent(SessionEvent.Kind.EXPIRED, "session", "h1", Optional.empty(), Instant.EPOCH));
        expiry.onEvent(new SessionEvent(SessionEvent.Kind.EXPIRED, "auth", "h2", Optional.empty(), Instant.EPOCH));
        expiry.onEvent(new SessionEvent(SessionEvent.Kind.INVALIDATED, "session", "h3", Optional.empty(), Instant.EPOCH));
        assertEquals(Map.of("destroyed TIMEOUT", 1), counts.snapshot());
        assertEquals(List.of("h1"), counts.destroyedIds);
    }

    @Test
    @DisplayName("the builder checks each setting as it is set")
    void builder() {
        assertThrows(IllegalStateException.class, () -> SessionBridge.builder().session("a").session("b"));
        assertThrows(IllegalStateException.class, () -> SessionBridge.builder().attribute("x", Long.class).attribute("x", String.class));
        assertThrows(IllegalArgumentException.class, () -> SessionBridge.builder().attribute("__meta", Long.class));
        assertThrows(NullPointerException.class, () -> SessionBridge.builder().attribute("x", (Class<?>) null));
    }

    @Test
    @DisplayName("outside a request there is nothing to find: no session by id, no lists, no statistics")
    void outsideRequests() {
        SessionBridge bridge = SessionBridge.builder().session("session").build();
        assertNull(bridge.getSession("any"));
        assertNull(bridge.getSession((HttpServerExchange) null, bridge.sessionConfig()));
        assertEquals(Set.of(), bridge.getAllSessions());
        assertEquals(Set.of(), bridge.getActiveSessions());
        assertNull(bridge.getStatistics());
        assertEquals("cookies:session", bridge.getDeploymentName());
        assertEquals("/cart", bridge.sessionConfig().rewriteUrl("/cart", "id"));
    }
}
