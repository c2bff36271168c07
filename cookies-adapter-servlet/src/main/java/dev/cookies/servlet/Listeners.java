package dev.cookies.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session listeners of one context: the bridge's own, then those registered in the
 * {@code ServletContext} where the container lets the adapter list them (Jetty 12 {@code ee10}). Read
 * at each event, so listeners added while the application starts are all seen. A listener that throws
 * is logged and the next one called, as the core does with its own listeners: a listener never fails a
 * request.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<EventListener> all;

    private Listeners(List<EventListener> all) {
        this.all = all;
    }

    static Listeners of(ServletContext context, List<EventListener> own) {
        List<EventListener> all = new ArrayList<>(own);
        for (EventListener l : JettyListeners.of(context)) {
            if (!all.contains(l)) {
                all.add(l);
            }
        }
        return new Listeners(all);
    }

    boolean has(Class<? extends EventListener> type) {
        for (EventListener l : all) {
            if (type.isInstance(l)) {
                return true;
            }
        }
        return false;
    }

    void created(HttpSession session) {
        HttpSessionEvent event = new HttpSessionEvent(session);
        each(HttpSessionListener.class, false, l -> l.sessionCreated(event));
    }

    /** In reverse order of registration, as containers tell a session's end. */
    void destroyed(HttpSession session) {
        HttpSessionEvent event = new HttpSessionEvent(session);
        each(HttpSessionListener.class, true, l -> l.sessionDestroyed(event));
    }

    void added(HttpSession session, String name, Object value) {
        HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
        each(HttpSessionAttributeListener.class, false, l -> l.attributeAdded(event));
    }

    /** {@code value} is the value replaced, as the Servlet API says. */
    void replaced(HttpSession session, String name, Object value) {
        HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
        each(HttpSessionAttributeListener.class, false, l -> l.attributeReplaced(event));
    }

    void removed(HttpSession session, String name, Object value) {
        HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
        each(HttpSessionAttributeListener.class, false, l -> l.attributeRemoved(event));
    }

    void idChanged(HttpSession session, String oldId) {
        HttpSessionEvent event = new HttpSessionEvent(session);
        each(HttpSessionIdListener.class, false, l -> l.sessionIdChanged(event, oldId));
    }

    static void bound(HttpSession session, String name, Object value) {
        if (value instanceof HttpSessionBindingListener listener) {
            call(listener, l -> l.valueBound(new HttpSessionBindingEvent(session, name, value)));
        }
    }

    static void unbound(HttpSession session, String name, Object value) {
        if (value instanceof HttpSessionBindingListener listener) {
            call(listener, l -> l.valueUnbound(new HttpSessionBindingEvent(session, name, value)));
        }
    }

    private <L> void each(Class<L> type, boolean reverse, Consumer<L> call) {
        for (int i = 0; i < all.size(); i++) {
            EventListener l = all.get(reverse ? all.size() - 1 - i : i);
            if (type.isInstance(l)) {
                call(type.cast(l), call);
            }
        }
    }

    private static <L> void call(L listener, Consumer<L> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("an HttpSession listener ({}) failed; the request goes on", listener.getClass().getName(), e);
        }
    }
}
