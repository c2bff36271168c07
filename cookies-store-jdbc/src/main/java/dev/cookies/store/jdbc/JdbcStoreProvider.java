package dev.cookies.store.jdbc;

import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.util.Optional;
import java.util.Set;

/**
 * Serves the scheme {@code jdbc} for {@link dev.cookies.SessionManager.Builder#store(String)}: the URIs
 * {@code jdbc:postgresql://...} and {@code jdbc:h2:...}, with the forms and parameters of
 * {@link JdbcSessionStore.Builder#uri(String)}. The store opens its own small pool; the driver must be
 * on the class path.
 *
 * <p>The user and password may also come from configuration instead of the URI:
 * {@code cookies.jdbc.user} and {@code cookies.jdbc.password} (environment {@code COOKIES_JDBC_USER},
 * {@code COOKIES_JDBC_PASSWORD}); credentials in the URI win. The manager's clock dates the last use
 * that the index of sessions by user reports ({@link JdbcSessionStore.Builder#clock}); the database
 * keeps time for expiry and leases.
 *
 * @since 0.1
 */
public final class JdbcStoreProvider implements SessionStoreProvider {

    /** The configuration key of the password, for when it should not sit in the URI. */
    public static final String PASSWORD_SETTING = "cookies.jdbc.password";
    /** The configuration key of the database user. */
    public static final String USER_SETTING = "cookies.jdbc.user";

    /** Creates the provider; does nothing else. */
    public JdbcStoreProvider() {
    }

    /**
     * Returns the store SPI version this jar was built for.
     *
     * @return {@link SessionStoreProvider#API_VERSION} as compiled into this jar
     */
    @Override
    public int apiVersion() {
        return SessionStoreProvider.API_VERSION;
    }

    /**
     * Returns the one scheme this provider serves.
     *
     * @return {@code jdbc}
     */
    @Override
    public Set<String> schemes() {
        return Set.of("jdbc");
    }

    /**
     * Creates a store from the context's URI and the credentials settings.
     *
     * @param context the URI and configuration
     * @return a new store, owned by the caller
     * @throws dev.cookies.SessionConfigException if the URI or a setting is invalid, or the table is missing
     */
    @Override
    public SessionStore create(StoreContext context) {
        JdbcSessionStore.Builder builder = JdbcSessionStore.builder();
        Optional<String> password = context.setting(PASSWORD_SETTING);
        Optional<String> user = context.setting(USER_SETTING);
        if (password.isPresent()) {
            builder.credentials(user.orElse(null), password.get());
        }
        JdbcSessionStore.Builder configured = builder.clock(context.clock()).uri(context.text());
        return configured.build();
    }
}
