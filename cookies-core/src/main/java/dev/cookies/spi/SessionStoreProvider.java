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

    /**
     * The version of the store SPI that this core defines. A provider returns it from
     * {@link #apiVersion()}, compiled into its own jar.
     */
    int API_VERSION = 2;

    /**
     * Returns the version of the store SPI this provider was built for. Implement it as
     * {@code return SessionStoreProvider.API_VERSION;}: the compiler copies the constant into the
     * provider's own class, so the number states the core the provider was built against, not the
     * core it runs with. The core refuses a provider whose version it cannot serve, naming the
     * provider's module.
     *
     * @return the SPI version this provider's jar was built for
     */
    int apiVersion();

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
