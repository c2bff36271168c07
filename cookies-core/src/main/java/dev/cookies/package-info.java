/**
 * What an application touches: HTTP sessions and cookies for any Java web framework.
 *
 * <p>Start with {@link dev.cookies.SessionManager#builder(String)}: one manager per named session
 * (its cookie, its store, its timeouts). Put the managers an application runs into
 * {@link dev.cookies.Sessions#of(SessionManager...)} and hand that to an adapter (servlet filter,
 * Javalin plugin, Undertow handler). In a handler, reach the request's {@link dev.cookies.Session}
 * and change it inside {@code try (var s = session.lock()) { ... }} or with
 * {@link dev.cookies.Session#update(java.util.function.Consumer)}.
 *
 * <p>Errors are unchecked and typed: {@link dev.cookies.SessionException} is the root;
 * {@link dev.cookies.SessionUnavailableException} (store down, lock wait exceeded) is what adapters
 * answer with 503.
 *
 * <p>The session engine lives in this package too, package-private: nothing here that is public may
 * be left uncalled by users, and {@code SessionManager}, {@code Session} and {@code OpenSessions} are
 * closed to other implementations ({@code final} or {@code sealed}).
 *
 * @since 0.1
 */
package dev.cookies;
