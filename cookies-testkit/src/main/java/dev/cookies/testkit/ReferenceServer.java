package dev.cookies.testkit;

import java.net.URI;

/**
 * The reference app running on an adapter under test, on a real server and a free loopback port.
 *
 * @since 0.1
 */
public interface ReferenceServer extends AutoCloseable {

    /**
     * Returns where the app listens.
     *
     * @return for example {@code http://127.0.0.1:41234}
     */
    URI baseUri();

    /** Stops the server. */
    @Override
    void close();
}
