package dev.cookies.spi;

import java.util.List;
import java.util.Optional;

/**
 * The incoming side of a request, as an adapter shows it to the core.
 *
 * <p>The core calls these methods on the request's thread: {@link #cookieHeaders()} once per request
 * when sessions open, the attribute methods whenever a session is looked up. The core parses the
 * {@code Cookie} headers itself, so that every adapter treats hostile headers the same way and none
 * depends on its framework's cookie parser.
 *
 * @since 0.1
 */
public interface RequestContext {

    /**
     * Returns the raw values of every {@code Cookie} header of the request, in the order received.
     *
     * @return the header values; empty if there is none
     */
    List<String> cookieHeaders();

    /**
     * Returns the request method.
     *
     * @return for example {@code "GET"} or {@code "OPTIONS"}
     */
    String method();

    /**
     * Returns a per-request attribute.
     *
     * @param key the attribute key
     * @return the value, or empty
     */
    Optional<Object> attribute(String key);

    /**
     * Sets a per-request attribute, visible to the application's handlers (for a servlet adapter, a
     * request attribute).
     *
     * @param key the attribute key
     * @param value the value
     */
    void setAttribute(String key, Object value);
}
