package dev.cookies;

import java.time.Duration;
import java.util.Objects;

/**
 * A session's lock could not be had within the configured wait
 * ({@link SessionManager.Builder#lockWait(Duration)}). Adapters answer it with 503.
 *
 * @since 0.1
 */
public final class SessionLockTimeoutException extends SessionUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String sessionName;
    private final Duration waited;

    private SessionLockTimeoutException(String sessionName, Duration waited) {
        super("lock on session '" + sessionName + "' not acquired within " + waited
                + " (another request holds it; see lockWait)", null);
        this.sessionName = sessionName;
        this.waited = waited;
    }

    /**
     * Creates the exception.
     *
     * @param sessionName the session manager's name
     * @param waited how long the caller waited
     * @return the exception, to throw
     * @throws NullPointerException if an argument is null
     */
    public static SessionLockTimeoutException of(String sessionName, Duration waited) {
        return new SessionLockTimeoutException(Objects.requireNonNull(sessionName, "sessionName"),
                Objects.requireNonNull(waited, "waited"));
    }

    /**
     * Returns the name of the session whose lock was not acquired.
     *
     * @return the session manager's name
     */
    public String sessionName() {
        return sessionName;
    }

    /**
     * Returns how long the caller waited before giving up.
     *
     * @return the wait
     */
    public Duration waited() {
        return waited;
    }
}
