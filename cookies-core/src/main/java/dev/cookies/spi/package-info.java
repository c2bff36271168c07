/**
 * What a store or adapter author implements. This package depends on nothing else of the library:
 * the API in {@code dev.cookies} uses it, never the other way round.
 *
 * <p><b>Adapters</b> implement one type, {@link dev.cookies.spi.Exchange}: a request's headers and
 * attributes in, its response headers out, whether it is committed, and a way to answer with a status
 * and a short body. They call {@code Sessions.open(exchange)} when a request arrives,
 * {@code OpenSessions.beforeCommit()} at every point where the response can commit, and
 * {@code OpenSessions.end(failure)} when the handler is done. Every session rule (which cookie to
 * send, when to save, what to lock, how a failure is answered) stays in the core.
 *
 * <p><b>Stores</b> implement {@link dev.cookies.spi.ServerSideStore} (the cookie holds an id, the data
 * lives in the store) or {@link dev.cookies.spi.ClientSideStore} (the cookie holds the sealed data),
 * and register a {@link dev.cookies.spi.SessionStoreProvider} so that a URI scheme picks them.
 *
 * <p>The codec ({@link dev.cookies.spi.SessionCodec}) and the id generator
 * ({@link dev.cookies.spi.SessionIdGenerator}) can be replaced through the session manager's builder;
 * their defaults live beside them.
 *
 * @since 0.1
 */
package dev.cookies.spi;
