package dev.cookies.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.util.function.Supplier;

/**
 * A request whose session methods, with the {@link HttpSessionBridge} on, answer from the Cookies
 * session and never reach the container's own session handler (so it never issues a
 * {@code JSESSIONID}). With the bridge off they are the container's. The filter wraps the request in
 * it for the dispatch that opened the sessions ({@link SessionRequest}) and for the forward, include and
 * error dispatches it is mapped to.
 */
class BridgeRequest extends HttpServletRequestWrapper {

    /** Finds or makes the request's HttpSession side on first use; {@code null} when the bridge is off. */
    private final Supplier<BridgeState> source;
    private BridgeState bridge;

    BridgeRequest(HttpServletRequest request, Supplier<BridgeState> source) {
        super(request);
        this.source = source;
    }

    /**
     * The request's HttpSession side, made only when a session method is first called: most requests
     * never call one, and pay nothing for the bridge.
     */
    private synchronized BridgeState bridge() {
        if (bridge == null && source != null) {
            bridge = source.get();
        }
        return bridge;
    }

    @Override
    public HttpSession getSession(boolean create) {
        BridgeState state = bridge();
        return state == null ? super.getSession(create) : state.getSession(create);
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String changeSessionId() {
        BridgeState state = bridge();
        return state == null ? super.changeSessionId() : state.changeSessionId();
    }

    @Override
    public String getRequestedSessionId() {
        BridgeState state = bridge();
        return state == null ? super.getRequestedSessionId() : state.requestedSessionId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        BridgeState state = bridge();
        return state == null ? super.isRequestedSessionIdValid() : state.requestedSessionIdValid();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        BridgeState state = bridge();
        return state == null ? super.isRequestedSessionIdFromCookie() : state.requestedSessionIdFromCookie();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return bridge() == null && super.isRequestedSessionIdFromURL();
    }
}
