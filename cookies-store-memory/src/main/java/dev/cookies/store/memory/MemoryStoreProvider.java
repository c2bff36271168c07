package dev.cookies.store.memory;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Serves the scheme {@code memory:}. The only parameter is {@code maximumSize}
 * ({@code memory:?maximumSize=100000}).
 *
 * @since 0.1
 */
public final class MemoryStoreProvider implements SessionStoreProvider {

    /** Creates the provider; does nothing else. */
    public MemoryStoreProvider() {
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
        return Set.of("memory");
    }

    @Override
    public SessionStore create(StoreContext context) {
        MemorySessionStore.Builder builder = MemorySessionStore.builder();
        for (Map.Entry<String, String> p : context.parameters().entrySet()) {
            if (!p.getKey().equals("maximumSize")) {
                throw SessionConfigException.of("store", "unknown parameter '" + p.getKey()
                        + "' for memory:; the only one is maximumSize");
            }
            try {
                builder.maximumSize(Long.parseLong(p.getValue()));
            } catch (NumberFormatException e) {
                throw SessionConfigException.of("store", "maximumSize must be a number, was '" + p.getValue() + "'");
            }
        }
        if (!context.clock().equals(Clock.systemUTC())) {
            builder.clock(context.clock());
        }
        return builder.build();
    }
}
