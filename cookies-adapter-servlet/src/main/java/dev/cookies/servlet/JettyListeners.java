package dev.cookies.servlet;

import jakarta.servlet.ServletContext;
import java.util.EventListener;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The listeners registered in a Jetty 12 {@code ee10} context, whichever way they were: web.xml,
 * {@code @WebListener}, {@code ServletContext.addListener}, {@code ServletContextHandler.addEventListener}.
 * Jetty keeps them all on the context handler. The Servlet API itself cannot list a context's
 * listeners, and Jetty is an optional dependency: this class is touched only when the context is
 * Jetty's, and a Jetty that is absent or different gives no listeners rather than a failure.
 */
final class JettyListeners {

    private static final String JETTY_CONTEXT = "org.eclipse.jetty.ee10.servlet.";

    private JettyListeners() {
    }

    static List<EventListener> of(ServletContext context) {
        if (context == null || !context.getClass().getName().startsWith(JETTY_CONTEXT)) {
            return List.of();
        }
        try {
            return Jetty.listeners(context);
        } catch (LinkageError | RuntimeException notThisJetty) {
            return List.of();
        }
    }

    /** Loaded only once the context is known to be Jetty's. */
    private static final class Jetty {
        static List<EventListener> listeners(ServletContext context) {
            ServletContextHandler handler = ServletContextHandler.getServletContextHandler(context);
            return handler == null ? List.of() : List.copyOf(handler.getEventListeners());
        }
    }
}
