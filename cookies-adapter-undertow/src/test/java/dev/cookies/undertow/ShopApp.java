package dev.cookies.undertow;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionAttachmentHandler;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionManager;
import io.undertow.util.Headers;
import io.undertow.util.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application written against Undertow's own session API only ({@link Sessions}, {@link Session},
 * {@link SessionListener}): nothing in it knows Cookies. The tests run it unchanged on Undertow's
 * {@code InMemorySessionManager} and on the {@link SessionBridge} over each store.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code POST /cart/add?item=x}</td><td>adds to the cart, a {@link Cart} changed in place</td></tr>
 *   <tr><td>{@code GET /cart}</td><td>the cart's items, without creating a session</td></tr>
 *   <tr><td>{@code POST /cart/clear}</td><td>removes the cart</td></tr>
 *   <tr><td>{@code POST /visit}</td><td>counts visits in an {@code Integer}</td></tr>
 *   <tr><td>{@code POST /login?user=x}</td><td>{@code changeSessionId}, then the user</td></tr>
 *   <tr><td>{@code GET /me}</td><td>the user, or 401</td></tr>
 *   <tr><td>{@code POST /logout}</td><td>{@code invalidate}</td></tr>
 *   <tr><td>{@code GET /session}</td><td>id, creation time and max inactive interval</td></tr>
 *   <tr><td>{@code POST /session/timeout?seconds=n}</td><td>{@code setMaxInactiveInterval}</td></tr>
 * </table>
 */
final class ShopApp {

    private ShopApp() {
    }

    /** A shopping cart: an application object, changed in place after it was put in the session. */
    public static final class Cart {
        public List<String> items = new ArrayList<>();
    }

    /** Counts every listener call by kind, and remembers the ids it was shown. */
    static final class Counts implements SessionListener {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final List<String> destroyedIds = java.util.Collections.synchronizedList(new ArrayList<>());

        private void count(String what) {
            calls.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void sessionCreated(Session session, HttpServerExchange exchange) {
            count("created");
        }

        @Override
        public void sessionDestroyed(Session session, HttpServerExchange exchange, SessionDestroyedReason reason) {
            count("destroyed " + reason);
            destroyedIds.add(session.getId());
        }

        @Override
        public void attributeAdded(Session session, String name, Object value) {
            count("added " + name);
        }

        @Override
        public void attributeUpdated(Session session, String name, Object newValue, Object oldValue) {
            count("updated " + name);
        }

        @Override
        public void attributeRemoved(Session session, String name, Object oldValue) {
            count("removed " + name);
        }

        @Override
        public void sessionIdChanged(Session session, String oldSessionId) {
            count("id changed");
        }

        /** The counts, sorted by kind. */
        Map<String, Integer> snapshot() {
            Map<String, Integer> m = new TreeMap<>();
            calls.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    /**
     * Returns the application behind Undertow's {@link SessionAttachmentHandler}, with the listener
     * registered on the session manager, as an Undertow application sets itself up.
     *
     * @param manager the session manager
     * @param config its session config
     * @param counts the listener
     * @param extra more routes, or {@code null}
     */
    static HttpHandler handler(SessionManager manager, SessionConfig config, SessionListener counts,
            java.util.function.Consumer<RoutingHandler> extra) {
        manager.registerSessionListener(counts);
        RoutingHandler routes = new RoutingHandler()
                .post("/cart/add", ex -> {
                    Session session = Sessions.getOrCreateSession(ex);
                    Cart cart = (Cart) session.getAttribute("cart");
                    if (cart == null) {
                        cart = new Cart();
                        session.setAttribute("cart", cart);
                    }
                    cart.items.add(param(ex, "item"));
                    items(ex, cart);
                })
                .get("/cart", ex -> {
                    Session session = Sessions.getSession(ex);
                    items(ex, session == null ? null : (Cart) session.getAttribute("cart"));
                })
                .post("/cart/clear", ex -> {
                    Sessions.getOrCreateSession(ex).removeAttribute("cart");
                    items(ex, null);
                })
                .post("/visit", ex -> {
                    Session session = Sessions.getOrCreateSession(ex);
                    Integer visits = (Integer) session.getAttribute("visits");
                    session.setAttribute("visits", visits == null ? 1 : visits + 1);
                    json(ex, 200, "{\"visits\":" + session.getAttribute("visits") + "}");
                })
                .post("/login", ex -> {
                    Session session = Sessions.getOrCreateSession(ex);
                    session.changeSessionId(ex, ex.getAttachment(SessionConfig.ATTACHMENT_KEY));
                    session.setAttribute("user", param(ex, "user"));
                    json(ex, 200, "{\"user\":\"" + session.getAttribute("user") + "\"}");
                })
                .get("/me", ex -> {
                    Session session = Sessions.getSession(ex);
                    Object user = session == null ? null : session.getAttribute("user");
                    json(ex, user == null ? 401 : 200, "{\"user\":" + (user == null ? "null" : "\"" + user + "\"") + "}");
                })
                .post("/logout", ex -> {
                    Session session = Sessions.getSession(ex);
                    if (session != null) {
                        session.invalidate(ex);
                    }
                    json(ex, 200, "{\"user\":null}");
                })
                .get("/session", ex -> {
                    Session session = Sessions.getOrCreateSession(ex);
                    json(ex, 200, "{\"id\":\"" + session.getId() + "\",\"created\":" + session.getCreationTime()
                            + ",\"maxInactive\":" + session.getMaxInactiveInterval() + "}");
                })
                .post("/session/timeout", ex -> {
                    Session session = Sessions.getOrCreateSession(ex);
                    session.setMaxInactiveInterval(Integer.parseInt(param(ex, "seconds")));
                    json(ex, 200, "{\"maxInactive\":" + session.getMaxInactiveInterval() + "}");
                });
        if (extra != null) {
            extra.accept(routes);
        }
        return new SessionAttachmentHandler(routes, manager, config);
    }

    static String param(HttpServerExchange ex, String name) {
        return ex.getQueryParameters().get(name).getFirst();
    }

    private static void items(HttpServerExchange ex, Cart cart) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        List<String> items = cart == null ? List.of() : cart.items;
        for (int i = 0; i < items.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(items.get(i)).append('"');
        }
        json(ex, 200, body.append("]}").toString());
    }

    static void json(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(body);
    }
}
