package dev.cookies;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Login, logout and the current user, on top of a {@link Session} (usually one of its own, such as
 * the reference app's {@code auth} session with cookie {@code AUTH}).
 *
 * <pre>{@code
 * AuthSession auth = AuthSession.of(open.session("auth"));   // or the adapter's accessor
 * auth.login(new User("alice"), LoginOptions.rememberMe(Duration.ofDays(30)));
 * Optional<User> user = auth.user(User.class);
 * auth.logout();
 * }</pre>
 *
 * <p>{@link #login} rotates the session id and deletes the old one from the master and every mirror,
 * so a session id planted before login is worthless after it (session fixation). {@link #logout}
 * deletes the session and expires its cookie. The user is any JSON-serializable value (a record, a
 * map, a string, a number), stored under {@value #USER_KEY}.
 *
 * <p>Each adapter offers a login-required guard in its own idiom; they all decide with
 * {@link #permits(Session, String)}.
 *
 * @since 0.1
 */
public final class AuthSession {

    /** The session key the current user is stored under. */
    public static final String USER_KEY = "current_user";

    private final Session session;

    private AuthSession(Session session) {
        this.session = session;
    }

    /**
     * Wraps a session.
     *
     * @param session the request's auth session
     * @return the auth view of it
     * @throws NullPointerException if {@code session} is null
     */
    public static AuthSession of(Session session) {
        return new AuthSession(Objects.requireNonNull(session, "session"));
    }

    /**
     * Decides the login-required guard: OPTIONS requests (CORS preflight) pass, others pass only when
     * a user is logged in.
     *
     * @param session the request's auth session
     * @param method the request method
     * @return {@code true} to let the request through
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    public static boolean permits(Session session, String method) {
        return "OPTIONS".equalsIgnoreCase(method) || of(session).isLoggedIn();
    }

    /**
     * Logs a user in with the default options ({@link LoginOptions#defaults()}).
     *
     * @param user any JSON-serializable value
     * @throws IllegalArgumentException if the user cannot be serialized
     * @throws StoreUnavailableException if the store failed
     */
    public void login(Object user) {
        login(user, LoginOptions.defaults());
    }

    /**
     * Logs a user in: under the session's lock, optionally drops the anonymous data, stores the user,
     * applies the options, saves the session under a new id and deletes the old id everywhere.
     *
     * @param user any JSON-serializable value
     * @param options remember-me, duration and reset
     * @throws IllegalArgumentException if the user cannot be serialized
     * @throws StoreUnavailableException if the store failed
     * @throws SessionLockTimeoutException if the lock could not be had
     */
    public void login(Object user, LoginOptions options) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(options, "options");
        AbstractSession s = (AbstractSession) session;
        SessionManager manager = s.manager;
        Object plain = manager.toPlain(USER_KEY, user);
        String principal = principalOf(manager, user);
        Consumer<Map<String, Object>> change = data -> {
            if (options.resetSession()) {
                data.clear();
            }
            data.put(USER_KEY, plain);
        };
        Duration ttl = options.duration().isZero() ? null : options.duration();
        // A remember-me login lasts as long as it says, even past the manager's absolute lifetime.
        Duration absolute = options.rememberMe() && ttl != null && ttl.compareTo(manager.absoluteTimeout()) > 0
                ? ttl : Duration.ZERO;
        s.rotate(change, m -> m.withOverrides(ttl, options.rememberMe(), absolute).withPrincipal(principal), true);
        manager.fire(SessionEvent.Kind.LOGGED_IN, s.currentId(), principal);
        int cap = manager.config().users().maxSessions();
        if (cap > 0 && principal != null) {
            manager.capSessions(principal, cap, s.currentId());
        }
    }

    private static String principalOf(SessionManager manager, Object user) {
        try {
            return manager.config().users().principal().apply(user);
        } catch (RuntimeException e) {
            SessionManager.LOG.warn("session '{}': the principal function failed; the login is not indexed", manager.name(), e);
            return null;
        }
    }

    /**
     * Logs out: deletes the session from the master and every mirror and expires its cookie, whether
     * or not anyone was logged in.
     *
     * @throws StoreUnavailableException if the store failed
     */
    public void logout() {
        AbstractSession s = (AbstractSession) session;
        AbstractSession.Ended ended = s.end();
        if (ended.loggedIn()) {
            s.manager.fire(SessionEvent.Kind.LOGGED_OUT, ended.id(), ended.principal());
        }
    }

    /**
     * Logs out only if a user is logged in; an anonymous session and its data are left alone.
     *
     * @return {@code true} if a user was logged out
     * @throws StoreUnavailableException if the store failed
     */
    public boolean logoutIfLoggedIn() {
        if (!isLoggedIn()) {
            return false;
        }
        logout();
        return true;
    }

    /**
     * Returns whether a user is logged in.
     *
     * @return {@code true} if the session holds a user
     * @throws StoreUnavailableException if the store failed
     */
    public boolean isLoggedIn() {
        return session.get(USER_KEY).isPresent();
    }

    /**
     * Returns the current user as stored (plain JSON types).
     *
     * @return the user, or empty when nobody is logged in
     */
    public Optional<Object> user() {
        return session.get(USER_KEY);
    }

    /**
     * Returns the current user, converted to a type.
     *
     * @param type for example a record class
     * @param <T> the type
     * @return the user, or empty when nobody is logged in
     * @throws IllegalArgumentException if the stored user does not convert to {@code type}
     */
    public <T> Optional<T> user(Class<T> type) {
        return session.get(USER_KEY, type);
    }

    /**
     * Returns the current user, converted to a generic type.
     *
     * @param type for example {@code new TypeReference<Map<String, Object>>() {}}
     * @param <T> the type
     * @return the user, or empty when nobody is logged in
     * @throws IllegalArgumentException if the stored user does not convert to {@code type}
     */
    public <T> Optional<T> user(TypeReference<T> type) {
        return session.get(USER_KEY, type);
    }

    /**
     * Lists the sessions of the logged-in user: where they are signed in, with when each session was
     * created and last used. No session data and no id is exposed, only a handle.
     *
     * @return the user's live sessions, oldest first; empty when nobody is logged in
     * @throws IllegalStateException if the store keeps no index of sessions by user (a client-side
     *     store, or a server-side store that does not implement {@link dev.cookies.spi.SessionIndex})
     * @throws StoreUnavailableException if the store failed
     */
    public List<SessionInfo> sessions() {
        AbstractSession s = (AbstractSession) session;
        String principal = s.principal();
        if (principal == null || !isLoggedIn()) {
            return List.of();
        }
        return s.manager.sessions(principal, s.currentId());
    }

    /**
     * Signs the logged-in user out everywhere: every one of their sessions ends, this one too (its
     * cookie is expired). With a client-side store, every logged-in cookie of the user issued until now
     * stops counting (this needs {@link SessionManager.Builder#revocations(dev.cookies.spi.ServerSideStore)}).
     *
     * @throws IllegalStateException if the store keeps no index of sessions by user, or, for a
     *     client-side store, no revocation store is configured; the message says how to configure one
     * @throws StoreUnavailableException if a store failed
     * @throws SessionLockTimeoutException if a session's lock could not be had
     */
    public void signOutEverywhere() {
        AbstractSession s = (AbstractSession) session;
        String principal = s.principal();
        if (principal == null || !isLoggedIn()) {
            return;
        }
        s.manager.signOutEverywhere(principal, null);
        logout();
    }

    /**
     * Signs the logged-in user out of every session but this one.
     *
     * @throws IllegalStateException as for {@link #signOutEverywhere()}
     * @throws StoreUnavailableException if a store failed
     * @throws SessionLockTimeoutException if a session's lock could not be had
     */
    public void signOutEverywhereElse() {
        AbstractSession s = (AbstractSession) session;
        String principal = s.principal();
        if (principal == null || !isLoggedIn()) {
            return;
        }
        s.manager.signOutEverywhere(principal, s.currentId());
        if (s.manager.isClientSide()) {
            // Every cookie issued before now is revoked: give this one a new issue time.
            s.rotate(null, m -> m, true);
        }
    }

    /**
     * Returns the underlying session, for data kept beside the user.
     *
     * @return the session
     */
    public Session session() {
        return session;
    }
}
