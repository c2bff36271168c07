package dev.cookies.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * A request whose session methods, with the {@link HttpSessionBridge} on, answer from the Cookies
 * session and never reach the container's own session handler (so it never issues a
 * {@code JSESSIONID}). With the bridge off they are the container's. The filter wraps the request in
 * it for the dispatch that opened the sessions ({@link SessionRequest}) and for the forward, include and
 * error dispatches it is mapped to.
 */
class BridgeRequest extends HttpServletRequestWrapper {

    /** The request's HttpSession side, or {@code null} when the bridge is off. */
    private final BridgeState bridge;

    BridgeRequest(HttpServletRequest request, BridgeState bridge) {
        super(request);
        this.bridge = bridge;
    }

    @Override
    public HttpSession getSession(boolean create) {
        return bridge == null ? super.getSession(create) : bridge.getSession(create);
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String changeSessionId() {
        return bridge == null ? super.changeSessionId() : bridge.changeSessionId();
    }

    @Override
    public String getRequestedSessionId() {
        return bridge == null ? super.getRequestedSessionId() : bridge.requestedSessionId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return bridge == null ? super.isRequestedSessionIdValid() : bridge.requestedSessionIdValid();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return bridge == null ? super.isRequestedSessionIdFromCookie() : bridge.requestedSessionIdFromCookie();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return bridge == null && super.isRequestedSessionIdFromURL();
    }
}
