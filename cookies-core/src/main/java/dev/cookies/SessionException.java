package dev.cookies;

/**
 * The root of every exception this library throws on purpose.
 *
 * <p>All are unchecked. Malformed client input (a garbage, tampered or expired cookie) is never an
 * exception: it gives a fresh, empty session.
 *
 * @since 0.1
 */
public abstract sealed class SessionException extends RuntimeException
        permits SessionConfigException, SessionUnavailableException, SessionTooLargeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and an optional cause.
     *
     * @param message what went wrong, for a human
     * @param cause the underlying failure, or {@code null}
     */
    SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
