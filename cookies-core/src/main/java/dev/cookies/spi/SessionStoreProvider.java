package dev.cookies.spi;

import java.util.Set;

/**
 * Creates a store from a URI, so that configuration alone picks it
 * ({@link dev.cookies.SessionManager.Builder#store(String)}).
 *
 * <p>Registered in {@code META-INF/services/dev.cookies.spi.SessionStoreProvider}. The core loads
 * providers with its own class loader when a store URI is resolved; the class must have a public
 * no-argument constructor that does no I/O. The real work happens in {@link #create}.
 *
 * @since 0.1
 */
public interface SessionStoreProvider {

    /** The SPI version this core implements. */
    int API_VERSION = 1;

    /**
     * Returns the SPI version this provider was written against. The core refuses a provider whose
     * version it does not know.
     *
     * @return {@link #API_VERSION} when compiled against this core
     */
    default int apiVersion() {
        return API_VERSION;
    }

    /**
     * Returns the URI schemes this provider serves, in lower case.
     *
     * @return for example {@code Set.of("redis", "rediss")}
     */
    Set<String> schemes();

    /**
     * Creates a store. May connect; must fail with {@link dev.cookies.SessionConfigException} naming
     * the setting at fault when the URI or configuration is wrong.
     *
     * @param context the URI, clock and configuration
     * @return a new store, owned by the caller
     */
    SessionStore create(StoreContext context);
}
