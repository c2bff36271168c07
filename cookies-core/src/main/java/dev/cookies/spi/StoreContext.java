package dev.cookies.spi;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SessionStoreProvider} gets to create a store: the URI, the session manager's clock
 * and access to configuration.
 *
 * <p>A scheme-only URI such as {@code memory:} is given as {@code memory:/}. {@link #parameters()}
 * holds the query ({@code memory:?maximumSize=1000}), for opaque and hierarchical URIs alike.
 *
 * <p>{@link #setting(String)} looks a key up in the explicit settings first, then in the system
 * properties, then in the environment (the key upper-cased with dots as underscores:
 * {@code cookies.keys} is {@code COOKIES_KEYS}). Secrets such as keys come from here, never from the
 * URI.
 *
 * @since 0.1
 */
public final class StoreContext {
    private final String text;
    private final URI uri;
    private final Clock clock;
    private final Map<String, String> settings;

    private StoreContext(String text, URI uri, Clock clock, Map<String, String> settings) {
        this.text = Objects.requireNonNull(text, "text");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Map.copyOf(settings);
    }

    /**
     * Creates a context.
     *
     * @param uri the store URI
     * @param clock the clock the store should use for its own time rules
     * @param settings explicit settings, which win over system properties and the environment
     * @return the context
     * @throws NullPointerException if an argument is null
     */
    public static StoreContext of(URI uri, Clock clock, Map<String, String> settings) {
        return new StoreContext(uri.toString(), uri, clock, settings);
    }

    /**
     * Creates a context for a URI whose text {@link URI} cannot hold as it is (for example a host
     * list with IPv6 addresses, {@code redis-cluster://[::1]:7000,[::1]:7001}).
     *
     * @param text the URI exactly as configured
     * @param uri the same URI in a form {@link URI} accepts (with illegal characters quoted)
     * @param clock the clock the store should use for its own time rules
     * @param settings explicit settings, which win over system properties and the environment
     * @return the context
     * @throws NullPointerException if an argument is null
     */
    public static StoreContext of(String text, URI uri, Clock clock, Map<String, String> settings) {
        return new StoreContext(text, uri, clock, settings);
    }

    /**
     * Returns the URI exactly as configured. Providers with their own URI syntax parse this.
     *
     * @return the text, for example {@code redis-cluster://[::1]:7000,[::1]:7001}
     */
    public String text() {
        return text;
    }

    /**
     * Returns the store URI.
     *
     * @return the URI, for example {@code redis://localhost:6379/0}
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the URI's query parameters, decoded; a parameter given twice keeps its last value.
     *
     * @return the parameters, possibly empty
     */
    public Map<String, String> parameters() {
        String text = uri.toString();
        int q = text.indexOf('?');
        Map<String, String> params = new LinkedHashMap<>();
        if (q < 0) {
            return params;
        }
        String query = text.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    /**
     * Returns the clock.
     *
     * @return the session manager's clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Looks up a configuration value.
     *
     * @param key a dotted key, for example {@code cookies.keys}
     * @return the value, or empty
     */
    public Optional<String> setting(String key) {
        Objects.requireNonNull(key, "key");
        String value = settings.get(key);
        if (value == null) {
            value = System.getProperty(key);
        }
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Optional.ofNullable(value);
    }
}
