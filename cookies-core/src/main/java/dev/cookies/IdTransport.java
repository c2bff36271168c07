package dev.cookies;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a session's id travels between client and server: in its cookie (the default), in a request
 * header such as {@code X-Auth-Token} for API and mobile clients that keep no cookies, or either.
 *
 * <pre>{@code
 * SessionManager.builder("auth").store("redis://…").transport(IdTransport.header("X-Auth-Token"));
 * }</pre>
 *
 * <p>With a header, the response carries the id in the same header when a session is created or its
 * id rotates, and carries the header empty when the session is invalidated; a read-only request sends
 * nothing, and no {@code Set-Cookie} is ever sent. Every other rule is the cookie path's: an id the
 * store does not know is never adopted, garbage never reaches a store, locking and rotation work the
 * same. With {@link #headerOrCookie(String)} the header wins when a request has it, else the cookie,
 * and the response answers on the path the request came by (a request that brought neither gets both,
 * so a browser keeps the cookie and an API client reads the header).
 *
 * <p>Only server-side stores serve a header: a client-side (cookie store) session is its cookie, and a
 * sealed session in a header would be one that scripts keep and that no logout can revoke; building
 * one fails naming the setting {@code transport}.
 *
 * <p>A header id must travel only over TLS, and browsers on other origins read a response header only
 * if CORS exposes it ({@code Access-Control-Expose-Headers}); see the README.
 *
 * @since 0.2
 */
public final class IdTransport {

    private static final Set<String> RESERVED = Set.of("cookie", "set-cookie", "host", "origin", "content-length",
            "content-type", "transfer-encoding", "connection", "vary", "cache-control", "sec-fetch-site");

    private static final IdTransport COOKIE = new IdTransport(null, true);

    private final String header;
    private final boolean cookie;

    private IdTransport(String header, boolean cookie) {
        this.header = header;
        this.cookie = cookie;
    }

    /**
     * The id travels in the session's cookie. The default.
     *
     * @return the cookie transport
     */
    public static IdTransport cookie() {
        return COOKIE;
    }

    /**
     * The id travels in a request and response header, never in a cookie.
     *
     * @param name the header, for example {@code X-Auth-Token}: an RFC 9110 token, not one HTTP or this
     *     library already gives a meaning
     * @return the transport
     * @throws SessionConfigException ({@code transport}) if the name is not such a header
     */
    public static IdTransport header(String name) {
        return new IdTransport(check(name), false);
    }

    /**
     * The id travels in a header when the request has it, else in the cookie; the response answers on
     * the path the request came by.
     *
     * @param name the header, as for {@link #header(String)}
     * @return the transport
     * @throws SessionConfigException ({@code transport}) if the name is not such a header
     */
    public static IdTransport headerOrCookie(String name) {
        return new IdTransport(check(name), true);
    }

    /**
     * Returns the header the id travels in, if any.
     *
     * @return the header name, or empty for the cookie transport
     */
    public Optional<String> headerName() {
        return Optional.ofNullable(header);
    }

    /**
     * Returns whether the id may travel in the session's cookie.
     *
     * @return {@code false} only for {@link #header(String)}
     */
    public boolean acceptsCookie() {
        return cookie;
    }

    private static String check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !name.chars().allMatch(IdTransport::tokenChar)) {
            throw SessionConfigException.of("transport", "'" + name + "' is not a header name (an RFC 9110 token)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw SessionConfigException.of("transport", "the header " + name
                    + " already has a meaning in HTTP; use a name of your own, such as X-Auth-Token");
        }
        return name;
    }

    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    @Override
    public String toString() {
        return header == null ? "cookie" : cookie ? "header " + header + " or cookie" : "header " + header;
    }
}
