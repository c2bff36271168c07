package dev.cookies.servlet;

import dev.cookies.SessionEvent;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@code HttpSession} an {@code HttpSessionListener} is given for a session that expired: the core
 * reports an expiry with the session's handle, never its id nor its data, so this one has no
 * attributes, its id is the handle, and both its times are when the expiry was reported. Nothing can
 * be stored in it.
 */
final class ExpiredSession implements HttpSession {

    private final SessionEvent event;
    private final ServletContext context;

    ExpiredSession(SessionEvent event, ServletContext context) {
        this.event = event;
        this.context = context;
    }

    @Override
    public long getCreationTime() {
        return event.at().toEpochMilli();
    }

    @Override
    public String getId() {
        return event.handle();
    }

    @Override
    public long getLastAccessedTime() {
        return event.at().toEpochMilli();
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
    }

    @Override
    public int getMaxInactiveInterval() {
        return 0;
    }

    @Override
    public Object getAttribute(String name) {
        return null;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.emptyEnumeration();
    }

    @Override
    public void setAttribute(String name, Object value) {
        throw new IllegalStateException("setAttribute: the session expired");
    }

    @Override
    public void removeAttribute(String name) {
    }

    @Override
    public void invalidate() {
        throw new IllegalStateException("invalidate: the session expired");
    }

    @Override
    public boolean isNew() {
        return false;
    }

    @Override
    public String toString() {
        return "HttpSession[" + event.sessionName() + ", expired]";
    }
}
