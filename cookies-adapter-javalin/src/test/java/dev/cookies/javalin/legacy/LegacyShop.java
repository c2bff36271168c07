package dev.cookies.javalin.legacy;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A shop written against the Servlet API only, the way applications use {@code HttpSession} in a
 * container: a cart kept as a live list (added to in place after {@code getAttribute}), a login that
 * changes the session id, a logout that invalidates, and preferences as attributes. It knows nothing of
 * Cookies; the tests deploy it unchanged on plain Jetty and inside Javalin, on each store.
 */
public final class LegacyShop extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Registers the application's session listener the standard way, {@code ServletContext.addListener}. */
    public static ServletContainerInitializer setup(SessionCounter counter) {
        return (Set<Class<?>> classes, ServletContext context) -> context.addListener(counter);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        switch (request.getMethod() + " " + path) {
            case "POST /cart/add" -> {
                HttpSession session = request.getSession();
                @SuppressWarnings("unchecked")
                List<String> cart = (List<String>) session.getAttribute("cart");
                if (cart == null) {
                    cart = new ArrayList<>();
                    session.setAttribute("cart", cart);
                }
                cart.add(request.getParameter("item"));
                text(response, String.valueOf(cart.size()));
            }
            case "GET /cart" -> {
                HttpSession session = request.getSession(false);
                Object cart = session == null ? null : session.getAttribute("cart");
                text(response, cart == null ? "[]" : cart.toString());
            }
            case "POST /login" -> {
                HttpSession session = request.getSession();
                request.changeSessionId();
                session.setAttribute("user", request.getParameter("user"));
                text(response, "welcome");
            }
            case "GET /whoami" -> {
                HttpSession session = request.getSession(false);
                Object user = session == null ? null : session.getAttribute("user");
                text(response, user == null ? "anonymous" : user.toString());
            }
            case "POST /logout" -> {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                text(response, "bye");
            }
            case "POST /prefs" -> {
                request.getSession().setAttribute(request.getParameter("name"), request.getParameter("value"));
                text(response, "ok");
            }
            case "GET /prefs" -> {
                HttpSession session = request.getSession(false);
                TreeMap<String, Object> all = new TreeMap<>();
                if (session != null) {
                    for (String name : Collections.list(session.getAttributeNames())) {
                        all.put(name, session.getAttribute(name));
                    }
                }
                text(response, all.toString());
            }
            default -> response.sendError(404);
        }
    }

    private static void text(HttpServletResponse response, String body) throws IOException {
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write(body);
    }
}
