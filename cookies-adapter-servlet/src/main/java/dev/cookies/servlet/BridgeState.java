package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The {@code HttpSession} side of one request: which view is current, what the client asked for, and
 * the write-back of values changed in place. Made when the request first calls a session method (most
 * requests never do, and cost the bridge nothing), then kept as a request attribute, so that an
 * asynchronous or forwarded dispatch of the same request sees the same view. Every method holds this object's monitor:
 * the view may be used from several threads of one request, as the session is.
 */
final class BridgeState {

    static final String ATTRIBUTE = "dev.cookies.servlet.HttpSessionBridge.request";

    final HttpSessionBridge bridge;
    /** The manager the bridge shows, or {@code null} when the application's choice is ambiguous. */
    private final SessionManager manager;
    private final OpenSessions open;
    final ServletContext context;
    private final HttpServletRequest request;
    private Listeners listeners;

    /** The view handed out, valid or invalidated; {@code null} before the first look. */
    private SessionView view;
    private boolean arrivalKnown;
    private boolean existedAtArrival;
    private String arrivalId;
    private boolean idChanged;
    private boolean invalidated;

    BridgeState(HttpSessionBridge bridge, SessionManager manager, OpenSessions open, ServletContext context,
            HttpServletRequest request) {
        this.bridge = bridge;
        this.manager = manager;
        this.open = open;
        this.context = context;
        this.request = request;
    }

    /** The state an earlier dispatch of this request made, if any. */
    static BridgeState of(HttpServletRequest request) {
        Object found = request.getAttribute(ATTRIBUTE);
        return found instanceof BridgeState ? (BridgeState) found : null;
    }

    synchronized Listeners listeners() {
        if (listeners == null) {
            listeners = Listeners.of(context, bridge.ownListeners());
        }
        return listeners;
    }

    private Session session() {
        if (manager == null) {
            throw new IllegalStateException("HttpSession: the application has several Cookies sessions and none is named "
                    + "'session'; choose one with HttpSessionBridge.builder().session(name), the SessionFilter init parameter "
                    + HttpSessionBridge.SESSION_PARAM + ", or the Javalin plugin's httpSession(name)");
        }
        return open.session(manager.name());
    }

    synchronized HttpSession getSession(boolean create) {
        if (view != null && view.usable()) {
            return view;
        }
        Session session = session();
        arrival(session);
        if (view == null && !invalidated) {
            if (existedAtArrival) {
                view = new SessionView(this, session, false);
                return view;
            }
            // A new session the Cookies API already wrote to in this request: it will be saved, so it exists.
            create |= !session.isEmpty();
        }
        if (!create) {
            return null;
        }
        view = new SessionView(this, session, true);
        if (isWebSocketUpgrade()) {
            // Javalin asks every upgrade for its session attributes through getSession(). The 101 answer goes
            // out past the filter and cannot carry a new session's cookie, so nothing is created for it.
            return view;
        }
        session.put(HttpSessionBridge.CREATED_KEY, true);
        listeners().created(view);
        return view;
    }

    private boolean isWebSocketUpgrade() {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    synchronized String changeSessionId() {
        if (view == null || !view.usable()) {
            throw new IllegalStateException("changeSessionId: no session is associated with this request");
        }
        arrival(session());
        String id = view.changeId();
        idChanged = true;
        return id;
    }

    /** Called by the view as it invalidates itself, after its listeners. */
    synchronized void invalidating() {
        arrival(session());
        invalidated = true;
    }

    synchronized String requestedSessionId() {
        Session session = session();
        arrival(session);
        if (existedAtArrival) {
            if (arrivalId == null) {
                // A client-side session names itself by a token in its sealed data, set on first use.
                arrivalId = session.ensureId();
            }
            return arrivalId;
        }
        return manager.isClientSide() ? null : cookieValue();
    }

    synchronized boolean requestedSessionIdValid() {
        return requestedSessionId() != null && existedAtArrival && !invalidated && !idChanged;
    }

    synchronized boolean requestedSessionIdFromCookie() {
        return requestedSessionId() != null && cookieValue() != null;
    }

    /** Learns, once and before anything changes it, whether the client's session existed and its id. */
    private void arrival(Session session) {
        if (arrivalKnown) {
            return;
        }
        arrivalKnown = true;
        existedAtArrival = !session.isNew();
        arrivalId = existedAtArrival ? session.id().orElse(null) : null;
    }

    private String cookieValue() {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String name = manager.cookie().name();
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * Has the view's changed values written back just before the sessions commit. Called by the filter
     * when it makes this state (on the request's first session method call), outside this object's
     * monitor: the commit holds the request's commit lock while it runs the task, which takes this
     * monitor.
     */
    void registerWriteBack() {
        if (bridge.writeBack()) {
            try {
                open.beforeCommit(this::writeBack);
            } catch (IllegalStateException alreadyCommitted) {
                // First used after the sessions were committed: there is no commit left to write back at.
            }
        }
    }

    private synchronized void writeBack() {
        if (view != null) {
            view.writeBack();
        }
    }
}
