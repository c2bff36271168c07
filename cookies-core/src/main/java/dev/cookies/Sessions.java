package dev.cookies;

import dev.cookies.internal.DefaultSessionManager;
import dev.cookies.internal.Each;
import dev.cookies.internal.OpenSessionsImpl;
import dev.cookies.spi.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The session managers an application runs, side by side, each with its own cookie. This is what an
 * adapter is given.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.of(
 *         SessionManager.builder("session").store("memory:").build(),
 *         SessionManager.builder("auth").store("memory:").build());
 * }</pre>
 *
 * @since 0.1
 */
public final class Sessions implements AutoCloseable {

    private final List<SessionManager> managers;

    private Sessions(List<SessionManager> managers) {
        this.managers = managers;
    }

    /**
     * Groups session managers.
     *
     * @param managers at least one; names and cookies must differ
     * @return the group
     * @throws SessionConfigException if two managers share a name or a cookie
     */
    public static Sessions of(SessionManager... managers) {
        return of(List.of(managers));
    }

    /**
     * Groups session managers.
     *
     * @param managers at least one; names and cookies must differ
     * @return the group
     * @throws SessionConfigException if two managers share a name or a cookie
     */
    public static Sessions of(List<? extends SessionManager> managers) {
        List<SessionManager> list = List.copyOf(managers);
        if (list.isEmpty()) {
            throw SessionConfigException.of("sessions", "at least one session manager is needed");
        }
        Set<String> names = new HashSet<>();
        Set<String> cookies = new HashSet<>();
        for (SessionManager m : list) {
            if (!(m instanceof DefaultSessionManager)) {
                throw SessionConfigException.of("sessions", "managers must come from SessionManager.builder()");
            }
            if (!names.add(m.name())) {
                throw SessionConfigException.of("sessions", "two session managers are named '" + m.name() + "'");
            }
            CookieSettings c = m.cookie();
            if (!cookies.add(c.name() + ";" + c.domain() + ";" + c.path())) {
                throw SessionConfigException.of("sessions", "two session managers use the cookie '" + c.name()
                        + "' (same domain and path); give each its own cookie name");
            }
        }
        return new Sessions(list);
    }

    /**
     * Opens the sessions of a request: reads its cookies once, attaches a lazy {@link Session} under
     * each manager's name and the {@link OpenSessions} under {@link OpenSessions#ATTRIBUTE}. No store
     * is called. Opening a request twice returns the sessions opened first (a forward or include
     * passing through the adapter again).
     *
     * @param request the request
     * @return the request's sessions; commit them before the response commits
     * @throws NullPointerException if {@code request} is null
     * @throws IllegalStateException if another {@code Sessions} already opened this request
     */
    public OpenSessions open(RequestContext request) {
        Objects.requireNonNull(request, "request");
        Optional<Object> existing = request.attribute(OpenSessions.ATTRIBUTE);
        if (existing.isPresent() && existing.get() instanceof OpenSessionsImpl) {
            OpenSessionsImpl open = (OpenSessionsImpl) existing.get();
            if (open.owner() != this) {
                throw new IllegalStateException("this request's sessions were already opened by another Sessions "
                        + "object; install one adapter filter or handler per application, with one Sessions");
            }
            return open;
        }
        List<DefaultSessionManager> impls = new ArrayList<>(managers.size());
        for (SessionManager m : managers) {
            impls.add((DefaultSessionManager) m);
        }
        OpenSessions open = OpenSessionsImpl.open(this, impls, request);
        request.setAttribute(OpenSessions.ATTRIBUTE, open);
        return open;
    }

    /**
     * Returns the managers, in the order given.
     *
     * @return the managers
     */
    public List<SessionManager> managers() {
        return managers;
    }

    /**
     * Returns a manager by name.
     *
     * @param name the name
     * @return the manager
     * @throws IllegalArgumentException if none has that name
     */
    public SessionManager manager(String name) {
        for (SessionManager m : managers) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no session manager named '" + name + "'");
    }

    /** Closes every manager (and so the stores they created from URIs). */
    @Override
    public void close() {
        Each.run(managers, SessionManager::close);
    }
}
