/**
 * The encrypted client-side store: the session sealed into its cookie as a Fernet token, readable by
 * Python's sanic_cookies. Chosen by the URI {@code cookie:}; keys come from configuration.
 */
module dev.cookies.store.cookie {
    requires transitive dev.cookies;

    exports dev.cookies.store.cookie;

    provides dev.cookies.spi.SessionStoreProvider with dev.cookies.store.cookie.CookieStoreProvider;
}
