package dev.cookies.store.cookie;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Serves the scheme {@code cookie:}. Keys never come from the URI: they are read from the setting
 * {@value #KEYS_SETTING} (the session manager builder's {@code setting(...)}, then the system property
 * {@code cookies.keys}, then the environment variable {@code COOKIES_KEYS}), a comma-separated list of
 * Fernet keys of which the first seals. The only URI parameter is {@code resealOnRead}
 * ({@code cookie:?resealOnRead=true}); see {@link CookieSessionStore.Builder#resealOnRead(boolean)}.
 *
 * @since 0.1
 */
public final class CookieStoreProvider implements SessionStoreProvider {

    /** The setting the keys are read from. */
    public static final String KEYS_SETTING = "cookies.keys";

    /** Parameter names that look like key material; refused without repeating their value. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("key", "keys", "secret", "secrets", "secret_key",
            "secretkey", "password", "token");

    /** Creates the provider; does nothing else. */
    public CookieStoreProvider() {
    }

    /**
     * Returns the scheme served.
     *
     * @return {@code cookie}
     */
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
        return Set.of("cookie");
    }

    /**
     * Creates a cookie store from {@code cookie:} and the keys in configuration, with the session
     * manager's clock.
     *
     * @param context the URI, clock and configuration
     * @return a new store
     * @throws SessionConfigException naming {@code store} if the URI has an address or an unknown or
     *     secret parameter, or naming {@value #KEYS_SETTING} if the keys are missing or malformed
     */
    @Override
    public SessionStore create(StoreContext context) {
        checkAddress(context);
        CookieSessionStore.Builder builder = CookieSessionStore.builder().clock(context.clock());
        for (Map.Entry<String, String> p : context.parameters().entrySet()) {
            String name = p.getKey();
            if (SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw SessionConfigException.of("store", "cookie: does not take keys in the URI (parameter '"
                        + name + "'): a URI ends up in logs and error messages. Set " + KEYS_SETTING
                        + " (system property) or COOKIES_KEYS (environment variable) instead");
            }
            if (!name.equals("resealOnRead")) {
                // A long name may be a key pasted in as "cookie:?<key>": do not repeat it.
                String shown = name.length() <= 24 ? "'" + name + "'" : "(" + name.length() + " characters, not shown)";
                throw SessionConfigException.of("store", "unknown parameter " + shown
                        + " for cookie:; the only one is resealOnRead (keys come from " + KEYS_SETTING + ")");
            }
            String value = p.getValue().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw SessionConfigException.of("store", "resealOnRead must be true or false, was '"
                        + p.getValue() + "'");
            }
            builder.resealOnRead(Boolean.parseBoolean(value));
        }
        String keys = context.setting(KEYS_SETTING).orElseThrow(() -> SessionConfigException.of(KEYS_SETTING,
                "no keys configured for cookie:; set the system property " + KEYS_SETTING
                        + " or the environment variable COOKIES_KEYS to one or more comma-separated Fernet keys, "
                        + "the first of which seals; " + KeyGen.HINT));
        List<String> list = new ArrayList<>();
        for (String k : keys.split(",", -1)) {
            list.add(k.strip());
        }
        return builder.keys(KEYS_SETTING, list).build();
    }

    /** {@code cookie:} has no host, path or opaque part; anything there might be a key pasted in. */
    private static void checkAddress(StoreContext context) {
        java.net.URI uri = context.uri();
        boolean hasAddress = uri.isOpaque()
                || uri.getRawAuthority() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawFragment() != null;
        if (hasAddress) {
            throw SessionConfigException.of("store", "cookie: takes no host, path or fragment (write just "
                    + "'cookie:' or 'cookie:?resealOnRead=true'); keys come from " + KEYS_SETTING
                    + " or COOKIES_KEYS, never from the URI");
        }
    }
}
