package dev.cookies.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.HttpTestClient;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ListenerInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A servlet application on Undertow's servlet container, using {@link HttpSession} only, with its
 * sessions on the {@link SessionBridge} (memory store): the deployment's session manager is the bridge
 * and its session config the bridge's. The same app on the container's own session manager is the
 * baseline the bridge must match, listener calls included.
 */
class ServletContainerTest {

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable r : running) {
            r.close();
        }
    }

    /** The servlet application: a cart changed in place, login with changeSessionId, logout with invalidate. */
    public static final class ShopServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String out;
            switch (req.getMethod() + " " + req.getPathInfo()) {
                case "POST /cart/add" -> {
                    HttpSession session = req.getSession();
                    ShopApp.Cart cart = (ShopApp.Cart) session.getAttribute("cart");
                    if (cart == null) {
                        cart = new ShopApp.Cart();
                        session.setAttribute("cart", cart);
                    }
                    cart.items.add(req.getParameter("item"));
                    out = "{\"items\":\"" + cart.items + "\"}";
                }
                case "GET /cart" -> {
                    HttpSession session = req.getSession(false);
                    ShopApp.Cart cart = session == null ? null : (ShopApp.Cart) session.getAttribute("cart");
                    out = "{\"items\":\"" + (cart == null ? List.of() : cart.items) + "\"}";
                }
                case "POST /login" -> {
                    req.getSession();
                    req.changeSessionId();
                    req.getSession().setAttribute("user", req.getParameter("user"));
                    out = "{\"user\":\"" + req.getSession().getAttribute("user") + "\"}";
                }
                case "GET /me" -> {
                    HttpSession session = req.getSession(false);
                    Object user = session == null ? null : session.getAttribute("user");
                    resp.setStatus(user == null ? 401 : 200);
                    out = "{\"user\":\"" + user + "\"}";
                }
                case "POST /visit" -> {
                    HttpSession session = req.getSession();
                    Integer visits = (Integer) session.getAttribute("visits");
                    session.setAttribute("visits", visits == null ? 1 : visits + 1);
                    out = "{\"visits\":" + session.getAttribute("visits") + "}";
                }
                case "POST /logout" -> {
                    HttpSession session = req.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    out = "{\"user\":null}";
                }
                case "GET /session" -> out = "{\"id\":\"" + req.getSession().getId() + "\"}";
                default -> {
                    resp.sendError(404);
                    return;
                }
            }
            resp.setContentType("application/json");
            resp.getWriter().write(out);
        }
    }

    /** Counts the servlet listener calls by kind. */
    static final class Listeners implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        private void count(String what) {
            calls.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override public void sessionCreated(HttpSessionEvent se) { count("created"); }
        @Override public void sessionDestroyed(HttpSessionEvent se) { count("destroyed"); }
        @Override public void attributeAdded(HttpSessionBindingEvent event) { count("added " + event.getName()); }
        @Override public void attributeRemoved(HttpSessionBindingEvent event) { count("removed " + event.getName()); }
        @Override public void attributeReplaced(HttpSessionBindingEvent event) { count("replaced " + event.getName()); }
        @Override public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) { count("id changed"); }

        Map<String, Integer> snapshot() {
            Map<String, Integer> m = new TreeMap<>();
            calls.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    private HttpHandler deploy(Listeners listeners, Consumer<DeploymentInfo> sessions) throws Exception {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(ServletContainerTest.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("shop.war")
                .addServlet(Servlets.servlet("shop", ShopServlet.class).addMapping("/*"))
                .addListener(new ListenerInfo(Listeners.class, new ImmediateInstanceFactory<>(listeners)));
        sessions.accept(info);
        DeploymentManager manager = Servlets.newContainer().addDeployment(info);
        manager.deploy();
        HttpHandler handler = manager.start();
        running.add(() -> {
            manager.stop();
            manager.undeploy();
        });
        return handler;
    }

    private Browser serve(HttpHandler handler) {
        Undertow server = SessionApiContract.serve(handler);
        running.add(server::stop);
        return new Browser(SessionApiContract.base(server));
    }

    /** The app on the bridge: the deployment's session manager and session config are the bridge's. */
    private Browser onBridge(Listeners listeners) throws Exception {
        SessionBridge bridge = SessionBridge.builder().attribute("cart", ShopApp.Cart.class).build();
        Sessions sessions = Sessions.of(SessionManager.builder("session").store("memory:").build());
        running.add(sessions);
        return serve(new SessionHandler(sessions, deploy(listeners, info -> info
                .setSessionManagerFactory(deployment -> bridge)
                .setSessionConfigWrapper((config, deployment) -> bridge.sessionConfig()))));
    }

    private static HttpTestClient.Response ok(HttpTestClient.Response r) {
        assertEquals(200, r.status(), r::toString);
        return r;
    }

    /** Cart, login, visits, logout; returns the browser. */
    private static Browser shop(Browser alice) {
        assertEquals("{\"items\":\"[apple]\"}", ok(alice.post("/cart/add?item=apple")).body());
        assertEquals("{\"items\":\"[apple, pear]\"}", ok(alice.post("/cart/add?item=pear")).body());
        String before = ok(alice.get("/session")).body();
        Browser oldTab = alice.tab();
        assertEquals("{\"user\":\"alice\"}", ok(alice.post("/login?user=alice")).body());
        assertNotEquals(before, ok(alice.get("/session")).body(), "changeSessionId gave a new id");
        assertEquals(401, oldTab.get("/me").status(), "the old id no longer loads the session");
        assertEquals("{\"items\":\"[apple, pear]\"}", ok(alice.get("/cart")).body());
        ok(alice.post("/visit"));
        assertEquals("{\"visits\":2}", ok(alice.post("/visit")).body());
        ok(alice.post("/logout"));
        assertEquals(401, alice.get("/me").status());
        assertEquals("{\"items\":\"[]\"}", ok(alice.get("/cart")).body());
        return alice;
    }

    @Test
    @DisplayName("the servlet app runs on the bridge as on the container's own sessions, with the same listener calls")
    void sameAsContainer() throws Exception {
        Listeners own = new Listeners();
        Browser baseline = shop(serve(deploy(own, info -> { })));
        assertEquals(java.util.Set.of("JSESSIONID"), baseline.cookiesEverSet());

        Listeners bridged = new Listeners();
        Browser alice = shop(onBridge(bridged));
        assertEquals(java.util.Set.of("SESSION"), alice.cookiesEverSet(), "no JSESSIONID, ever");
        assertNull(alice.cookie("SESSION"), "logout expired the session cookie");
        assertEquals(own.snapshot(), bridged.snapshot());
        // Undertow's container tells HttpSessionIdListeners twice per changeSessionId; invalidate removes
        // each attribute, so each is told removed.
        assertEquals(Map.of("created", 1, "added cart", 1, "id changed", 2, "added user", 1, "added visits", 1,
                "replaced visits", 1, "destroyed", 1, "removed cart", 1, "removed user", 1, "removed visits", 1),
                bridged.snapshot());
    }

    @Test
    @DisplayName("a stale JSESSIONID sent by the client is never answered with a JSESSIONID cookie")
    void staleJsessionid() throws Exception {
        Browser alice = onBridge(new Listeners());
        alice.cookie("JSESSIONID", "stale-id-from-before-the-migration");
        ok(alice.post("/cart/add?item=apple"));
        ok(alice.post("/login?user=alice"));
        ok(alice.post("/logout"));
        assertEquals(java.util.Set.of("SESSION"), alice.cookiesEverSet());
    }
}
