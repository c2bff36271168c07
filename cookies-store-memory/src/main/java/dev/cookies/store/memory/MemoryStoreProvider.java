package dev.cookies.store.memory;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Serves the scheme {@code memory:}. Two optional parameters set the bounds:
 * {@code maximumBytes}, a number of bytes with an optional binary unit {@code k}, {@code m} or
 * {@code g} as in {@code -Xmx} ({@code memory:?maximumBytes=256m}; default an eighth of the heap), and
 * {@code maximumSize}, a number of sessions ({@code memory:?maximumSize=100000}; default 1,000,000).
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
            String value = p.getValue();
            switch (p.getKey()) {
                case "maximumSize":
                    try {
                        builder.maximumSize(Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        throw SessionConfigException.of("store", "maximumSize must be a number, was '" + value + "'");
                    }
                    break;
                case "maximumBytes":
                    builder.maximumBytes(bytes(value));
                    break;
                default:
                    throw SessionConfigException.of("store", "unknown parameter '" + p.getKey()
                            + "' for memory:; the known ones are maximumBytes and maximumSize");
            }
        }
        if (!context.clock().equals(Clock.systemUTC())) {
            builder.clock(context.clock());
        }
        return builder.build();
    }

    /** Parses {@code 1048576}, {@code 1024k}, {@code 256m} or {@code 2g} (binary units, any case). */
    private static long bytes(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!text.isEmpty()) {
            switch (text.charAt(text.length() - 1)) {
                case 'k':
                    shift = 10;
                    break;
                case 'm':
                    shift = 20;
                    break;
                case 'g':
                    shift = 30;
                    break;
                default:
                    break;
            }
        }
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        try {
            if (digits.isEmpty() || !Character.isDigit(digits.charAt(0))) {
                throw new NumberFormatException(value);
            }
            long number = Long.parseLong(digits);
            if (number > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException(value);
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw SessionConfigException.of("store", "maximumBytes must be a number of bytes, optionally followed by"
                    + " k, m or g (for example 256m), was '" + value + "'");
        }
    }
}
