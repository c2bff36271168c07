/**
 * What a store or adapter author implements.
 *
 * <p><b>Adapters</b> implement {@link dev.cookies.spi.RequestContext} (the incoming side) and
 * {@link dev.cookies.spi.CookieJar} (the outgoing side), call {@link dev.cookies.Sessions#open} when a
 * request arrives and {@link dev.cookies.OpenSessions#commit} just before its response commits, and
 * register a {@link dev.cookies.spi.RequestContextProvider} through {@link java.util.ServiceLoader}.
 * Every session rule (which cookie to send, when to save, what to lock) stays in the core.
 *
 * <p><b>Stores</b> implement {@link dev.cookies.spi.ServerSideStore} (the cookie holds an id, the data
 * lives in the store) or {@link dev.cookies.spi.ClientSideStore} (the cookie holds the sealed data),
 * and register a {@link dev.cookies.spi.SessionStoreProvider} so that a URI scheme picks them.
 *
 * <p>The codec ({@link dev.cookies.spi.SessionCodec}) and the id generator
 * ({@link dev.cookies.spi.SessionIdGenerator}) can be replaced through the session manager's builder.
 *
 * @since 0.1
 */
package dev.cookies.spi;
