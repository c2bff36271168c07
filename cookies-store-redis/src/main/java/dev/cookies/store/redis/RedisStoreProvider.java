package dev.cookies.store.redis;

import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.util.Optional;
import java.util.Set;

/**
 * Serves the schemes {@code redis}, {@code rediss}, {@code redis-sentinel} and {@code redis-cluster}
 * for {@link dev.cookies.SessionManager.Builder#store(String)}; the URI forms and parameters are those
 * of {@link RedisSessionStore.Builder#uri(String)}.
 *
 * <p>The user and password may also come from configuration instead of the URI:
 * {@code cookies.redis.user} and {@code cookies.redis.password} (environment {@code COOKIES_REDIS_USER},
 * {@code COOKIES_REDIS_PASSWORD}); credentials in the URI win. The manager's clock dates the per-user
 * index ({@link RedisSessionStore.Builder#clock}); Redis expires entries by its own clock.
 *
 * @since 0.1
 */
public final class RedisStoreProvider implements SessionStoreProvider {

    /** The configuration key of the password, for when it should not sit in the URI. */
    public static final String PASSWORD_SETTING = "cookies.redis.password";
    /** The configuration key of the ACL user. */
    public static final String USER_SETTING = "cookies.redis.user";

    /** Creates the provider; does nothing else. */
    public RedisStoreProvider() {
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

    @Override
    public Set<String> schemes() {
        return RedisUri.SCHEMES;
    }

    @Override
    public SessionStore create(StoreContext context) {
        RedisSessionStore.Builder builder = RedisSessionStore.builder();
        Optional<String> password = context.setting(PASSWORD_SETTING);
        if (password.isPresent()) {
            builder.credentials(context.setting(USER_SETTING).orElse(null), password.get());
        }
        return builder.clock(context.clock()).uri(context.text()).build();
    }
}
