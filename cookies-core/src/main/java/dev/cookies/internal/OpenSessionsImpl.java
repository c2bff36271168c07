package dev.cookies.internal;

import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.spi.CookieJar;
import dev.cookies.spi.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The sessions of one request. */
public final class OpenSessionsImpl implements OpenSessions {

    private final Object owner;
    private final List<AbstractSession> sessions;
    private final AtomicBoolean committed = new AtomicBoolean();

    private OpenSessionsImpl(Object owner, List<AbstractSession> sessions) {
        this.owner = owner;
        this.sessions = sessions;
    }

    /** Returns the {@code Sessions} object that opened these sessions. */
    public Object owner() {
        return owner;
    }

    /**
     * Opens every manager's session on a request, reading its cookie headers once.
     *
     * @param owner the {@code Sessions} object opening them
     * @param managers the managers
     * @param request the request
     * @return the open sessions
     */
    public static OpenSessions open(Object owner, List<DefaultSessionManager> managers, RequestContext request) {
        Set<String> names = new HashSet<>();
        for (DefaultSessionManager m : managers) {
            names.add(m.cookie().name());
        }
        List<String> headers = request.cookieHeaders();
        Map<String, List<String>> values = CookieHeaders.values(headers == null ? List.of() : headers, names,
                64, DefaultSessionManager.MAX_COOKIE_VALUE);
        List<AbstractSession> sessions = new ArrayList<>(managers.size());
        for (DefaultSessionManager m : managers) {
            List<String> mine = values.get(m.cookie().name());
            AbstractSession session = m.open(mine == null ? List.of() : mine, mine != null);
            sessions.add(session);
            request.setAttribute(m.name(), session);
        }
        return new OpenSessionsImpl(owner, List.copyOf(sessions));
    }

    @Override
    public Session session(String name) {
        Objects.requireNonNull(name, "name");
        for (AbstractSession s : sessions) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no session named '" + name + "' is open on this request");
    }

    @Override
    public List<Session> all() {
        return List.copyOf(sessions);
    }

    @Override
    public void commit(CookieJar jar) {
        Objects.requireNonNull(jar, "jar");
        if (!committed.compareAndSet(false, true)) {
            return;
        }
        Each.run(sessions, s -> s.commit(jar));
    }

    @Override
    public boolean isCommitted() {
        return committed.get();
    }
}
