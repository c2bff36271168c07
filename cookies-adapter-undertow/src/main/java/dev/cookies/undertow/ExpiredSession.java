package dev.cookies.undertow;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionManager;
import java.util.Set;

/**
 * A session the store removed as expired, as Undertow listeners are shown it: named by the core's handle
 * of its id, with no attributes left. Reading its attributes finds none (a servlet deployment's
 * listener bridge removes each one it lists); anything else refuses, as for any invalidated session.
 */
final class ExpiredSession implements Session {

    private final SessionManager manager;
    private final String handle;

    ExpiredSession(SessionManager manager, String handle) {
        this.manager = manager;
        this.handle = handle;
    }

    @Override public String getId() { return handle; }
    @Override public SessionManager getSessionManager() { return manager; }
    @Override public void requestDone(HttpServerExchange exchange) { }
    @Override public Object getAttribute(String name) { return null; }
    @Override public Set<String> getAttributeNames() { return Set.of(); }
    @Override public Object removeAttribute(String name) { return null; }
    @Override public boolean isInvalid() { return true; }
    @Override public long getCreationTime() { throw gone(); }
    @Override public long getLastAccessedTime() { throw gone(); }
    @Override public void setMaxInactiveInterval(int interval) { throw gone(); }
    @Override public int getMaxInactiveInterval() { throw gone(); }
    @Override public Object setAttribute(String name, Object value) { throw gone(); }
    @Override public void invalidate(HttpServerExchange exchange) { throw gone(); }
    @Override public String changeSessionId(HttpServerExchange exchange, SessionConfig config) { throw gone(); }

    private static IllegalStateException gone() {
        return new IllegalStateException("the session expired; its data is gone");
    }
}
