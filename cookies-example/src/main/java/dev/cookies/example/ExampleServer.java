package dev.cookies.example;

import dev.cookies.Sessions;
import java.net.URI;

/**
 * The reference app running on one adapter.
 *
 * @since 0.1
 */
public interface ExampleServer extends AutoCloseable {

    /**
     * Returns where the app listens.
     *
     * @return for example {@code http://localhost:7070}
     */
    URI baseUri();

    /** Stops the server; the sessions are the caller's to close. */
    @Override
    void close();

    /**
     * Starts the app.
     *
     * @param adapter {@code javalin}, {@code servlet} or {@code undertow}
     * @param sessions the {@code session} and {@code auth} sessions
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param routes which routes to serve
     * @return the running server
     * @throws Exception if the server does not start
     */
    static ExampleServer start(String adapter, Sessions sessions, String host, int port, Routes routes) throws Exception {
        return switch (adapter) {
            case "servlet" -> ServletServer.start(sessions, host, port, routes);
            case "undertow" -> UndertowServer.start(sessions, host, port, routes);
            default -> JavalinServer.start(sessions, host, port, routes);
        };
    }

    /**
     * Which routes the app serves beyond the reference-app contract.
     *
     * @param contractTests also serve {@code /counter/clear}, {@code /redirect}, {@code /error} and
     *     {@code /stream}, which the adapter contract uses
     * @param loginRedirect answer anonymous requests to {@code /me} with a redirect to {@code /login}
     *     instead of 401
     * @since 0.1
     */
    record Routes(boolean contractTests, boolean loginRedirect) {
        /** The reference-app contract alone. */
        public static final Routes APP = new Routes(false, false);
    }

    /**
     * Returns the URL to print for a listening address: a wildcard address is shown as {@code localhost}.
     *
     * @param host the address listened on
     * @param port the port bound
     * @return the base URI
     */
    static URI baseUri(String host, int port) {
        String shown = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "localhost" : host;
        return URI.create("http://" + shown + ":" + port);
    }

    /** Bytes written by {@code POST /stream}: 1 MiB. */
    int STREAM_BYTES = 1 << 20;
}
