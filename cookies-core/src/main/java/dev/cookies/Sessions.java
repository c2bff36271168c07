package dev.cookies;

import dev.cookies.spi.Exchange;
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
    /** Logs of the lifecycle's answers, one set per application, each at most every ten seconds. */
    final RateLimitedLog unavailableLog = new RateLimitedLog(OpenSessions.LOG);
    final RateLimitedLog tooLargeLog = new RateLimitedLog(OpenSessions.LOG);
    final RateLimitedLog lateLog = new RateLimitedLog(OpenSessions.LOG);
    final RateLimitedLog refusedLog = new RateLimitedLog(OpenSessions.LOG);

    /**
     * The managers' distinct cookie names, fixed at build: what a request's Cookie header is searched
     * for. Never changed.
     */
    final String[] cookieNames;
    /** For each manager, in order, the index of its cookie's name in {@link #cookieNames}. */
    final int[] cookieIndex;

    private Sessions(List<SessionManager> managers) {
        this.managers = managers;
        List<String> names = new java.util.ArrayList<>();
        this.cookieIndex = new int[managers.size()];
        for (int i = 0; i < cookieIndex.length; i++) {
            String name = managers.get(i).cookie().name();
            int at = names.indexOf(name);
            if (at < 0) {
                at = names.size();
                names.add(name);
            }
            cookieIndex[i] = at;
        }
        this.cookieNames = names.toArray(new String[0]);
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
            if (!names.add(m.name())) {
                throw SessionConfigException.of("sessions", "two session managers are named '" + m.name() + "'");
            }
            if (m.config().transport().headerName().isPresent()
                    && !cookies.add("header:" + m.config().transport().headerName().get().toLowerCase(java.util.Locale.ROOT))) {
                throw SessionConfigException.of("sessions", "two session managers carry their id in the header "
                        + m.config().transport().headerName().get() + "; give each its own");
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
     * Opens the sessions of a request: reads its {@code Cookie} headers once, attaches a lazy
     * {@link Session} under each manager's name and the {@link OpenSessions} under
     * {@link OpenSessions#ATTRIBUTE}. No store is called. Opening a request twice returns the sessions
     * opened first (a forward or include passing through the adapter again).
     *
     * @param exchange the request and its response, as the adapter shows them
     * @return the request's sessions and its life: call {@link OpenSessions#beforeCommit()} before the
     *     response commits and {@link OpenSessions#end(Throwable)} when the handler is done
     * @throws NullPointerException if {@code exchange} is null
     * @throws IllegalStateException if another {@code Sessions} already opened this request
     */
    public OpenSessions open(Exchange exchange) {
        Objects.requireNonNull(exchange, "exchange");
        Optional<Object> existing = exchange.attribute(OpenSessions.ATTRIBUTE);
        if (existing.isPresent() && existing.get() instanceof OpenSessions) {
            OpenSessions open = (OpenSessions) existing.get();
            if (open.owner() != this) {
                throw new IllegalStateException("this request's sessions were already opened by another Sessions "
                        + "object; install one adapter filter or handler per application, with one Sessions");
            }
            return open;
        }
        return OpenSessions.open(this, managers, exchange);
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
