package dev.cookies;

/**
 * A session is too large to be saved: its encoded form exceeds the codec's bound, or, for a
 * client-side store, its {@code Set-Cookie} header would exceed what browsers accept. It is raised
 * when the session is saved, before the response is committed, and nothing is written: the client's
 * previous cookie and the store's previous copy stay as they were.
 *
 * @since 0.1
 */
public final class SessionTooLargeException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final String sessionName;
    private final int size;
    private final int limit;

    private SessionTooLargeException(String sessionName, String what, int size, int limit) {
        super("session '" + sessionName + "' too large: " + what + " is " + size + " bytes, limit " + limit, null);
        this.sessionName = sessionName;
        this.size = size;
        this.limit = limit;
    }

    /**
     * Creates the exception.
     *
     * @param sessionName the session manager's name
     * @param what what was measured, for example {@code "Set-Cookie header"}
     * @param size the size measured, in bytes
     * @param limit the limit exceeded, in bytes
     * @return the exception, to throw
     */
    public static SessionTooLargeException of(String sessionName, String what, int size, int limit) {
        return new SessionTooLargeException(sessionName, what, size, limit);
    }

    /**
     * Returns the name of the session that did not fit.
     *
     * @return the session manager's name
     */
    public String sessionName() {
        return sessionName;
    }

    /**
     * Returns the size measured.
     *
     * @return bytes
     */
    public int size() {
        return size;
    }

    /**
     * Returns the limit that was exceeded.
     *
     * @return bytes
     */
    public int limit() {
        return limit;
    }
}
