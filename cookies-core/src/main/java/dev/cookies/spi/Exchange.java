package dev.cookies.spi;

import java.util.List;
import java.util.Optional;

/**
 * One HTTP request and its response, as an adapter shows them to the core: the one type an adapter
 * implements.
 *
 * <p>An adapter wraps its framework's request in an {@code Exchange} when the request arrives and
 * hands it to {@code Sessions.open(exchange)}, which returns the request's {@code OpenSessions}. It
 * then calls {@code OpenSessions.beforeCommit()} at every point where its framework can commit the
 * response (the first byte of the body, a flush, a redirect, an error page, the end of the handler)
 * and {@code OpenSessions.end(failure)} once when the handler is done. Everything else is decided by
 * the core: which cookies and cache headers to send, what a failed handler keeps, how a store outage
 * or a session too large for its cookie is answered.
 *
 * <p>The core calls these methods on the thread that calls {@code open}, {@code beforeCommit} or
 * {@code end} (or on a handler's thread when it reads a session): {@link #requestHeaders} a few times
 * per request, the attribute methods when sessions are opened and looked up, the response methods
 * from {@code beforeCommit} and {@code end} only. Implementations need not be thread-safe beyond what
 * the framework's own request object is.
 *
 * @since 0.2
 */
public interface Exchange {

    /**
     * Returns the request method.
     *
     * @return for example {@code "GET"} or {@code "OPTIONS"}, as received
     */
    String method();

    /**
     * Returns the request's path within the application, without the query string, as received
     * (not decoded): for a servlet, the request URI without the context path. The core matches it
     * against configured paths (the cross-site guard's bypass patterns).
     *
     * @return for example {@code /login}; {@code /} for the application's root
     */
    String path();

    /**
     * Returns the raw values of every request header with a name, in the order received. The core
     * parses them itself ({@code Cookie}, a session-id header, {@code Sec-Fetch-Site}, {@code Origin},
     * {@code Host}), so that every adapter treats hostile headers the same way: never use the
     * framework's cookie parser here.
     *
     * @param name a header name; matched without regard to case, as HTTP does
     * @return one entry per header line (or per value, if the framework splits them); empty if none
     */
    List<String> requestHeaders(String name);

    /**
     * Returns a per-request attribute: the core keeps each session under its name and the
     * {@code OpenSessions} under {@code OpenSessions.ATTRIBUTE}.
     *
     * @param key the attribute key
     * @return the value, or empty
     */
    Optional<Object> attribute(String key);

    /**
     * Sets a per-request attribute, visible to the application's handlers where the framework has
     * request attributes (for a servlet adapter, a request attribute).
     *
     * @param key the attribute key
     * @param value the value
     */
    void setAttribute(String key, Object value);

    /**
     * Returns the values of a response header set so far, by the handler or by the core.
     *
     * @param name a header name, matched without regard to case
     * @return the values; empty if none
     */
    List<String> responseHeaders(String name);

    /**
     * Adds a response header, keeping any already there with the same name. The core renders every
     * value ({@code Set-Cookie}, {@code Vary}, {@code Cache-Control}); the adapter writes it as it is.
     * Called only while {@link #isCommitted()} is {@code false}.
     *
     * @param name the header name
     * @param value the complete value
     */
    void addResponseHeader(String name, String value);

    /**
     * Returns whether the response's status and headers were already sent, so that a header added now
     * would be lost.
     *
     * @return {@code true} once the response is committed
     */
    boolean isCommitted();

    /**
     * Answers the request with a status and a short body instead of what the handler wrote: discards
     * any body buffered so far, sets the status and {@code Content-Type}, keeps the headers already
     * set (the session cookies among them) except those that describe the discarded answer
     * ({@code Content-Length}, {@code Content-Encoding}, {@code Location}), and sends the body. Called at most once per request, only while
     * {@link #isCommitted()} is {@code false}: for a store outage (503), a session too large for its
     * cookie (500), or a guard's refusal (401, 403).
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}, for example {@code application/json}
     * @param body the body; short, never exception text
     */
    void respond(int status, String contentType, String body);
}
