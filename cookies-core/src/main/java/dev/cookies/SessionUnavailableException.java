package dev.cookies;

import java.util.Optional;

/**
 * The session cannot be served right now: the store is unreachable, or its lock could not be had in
 * time. Adapters answer these with {@code 503 Service Unavailable} and a short body.
 *
 * @since 0.1
 */
public abstract sealed class SessionUnavailableException extends SessionException
        permits StoreUnavailableException, SessionLockTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and an optional cause.
     *
     * @param message what went wrong, for a human
     * @param cause the underlying failure, or {@code null}
     */
    SessionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Finds a {@code SessionUnavailableException} in a throwable's cause chain, as frameworks often
     * wrap what a handler threw.
     *
     * @param thrown what a handler or a commit threw
     * @return the first {@code SessionUnavailableException} in the chain, or empty
     * @throws NullPointerException if {@code thrown} is null
     */
    public static Optional<SessionUnavailableException> find(Throwable thrown) {
        int depth = 0;
        for (Throwable t = java.util.Objects.requireNonNull(thrown, "thrown"); t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SessionUnavailableException) {
                return Optional.of((SessionUnavailableException) t);
            }
        }
        return Optional.empty();
    }
}
