/**
 * The encrypted client-side session store: the session is sealed into its cookie as a Fernet token,
 * readable by the Python original (sanic_cookies) and by {@code cryptography.fernet.Fernet}.
 *
 * <p>Start with {@link dev.cookies.store.cookie.CookieSessionStore#builder()}, or configure the URI
 * {@code cookie:} with the keys in the system property {@code cookies.keys} or the environment
 * variable {@code COOKIES_KEYS} ({@link dev.cookies.store.cookie.CookieStoreProvider}). Make a key with
 * {@link dev.cookies.store.cookie.KeyGen} ({@code java -jar cookies-store-cookie.jar}).
 *
 * @since 0.1
 */
package dev.cookies.store.cookie;
