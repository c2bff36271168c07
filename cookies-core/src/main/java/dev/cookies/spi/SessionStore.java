package dev.cookies.spi;

/**
 * A place where sessions live. Implement one of its two kinds, never both:
 * <ul>
 *   <li>{@link ServerSideStore}: the cookie holds only an id and the data lives in the store;</li>
 *   <li>{@link ClientSideStore}: the cookie holds the sealed data itself.</li>
 * </ul>
 * Implementations are thread-safe; one instance serves every request.
 *
 * @since 0.1
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Describes the store for error messages and logs, without credentials.
     *
     * @return for example {@code "memory"} or {@code "redis://localhost:6379/0"}
     */
    String description();

    /**
     * Releases the store's resources (connections, threads). Called once, when the application stops,
     * for stores the core created from a URI; the application closes stores it created itself.
     */
    @Override
    default void close() {
    }
}
