package dev.cookies.example;

import dev.cookies.Sessions;
import java.net.URI;

/**
 * The example app running on one adapter: {@code JavalinServer}, {@code ServletServer} or
 * {@code UndertowServer}, each written in its framework's own idiom.
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
     * Starts the app as configured: its adapter, address, port and login limits.
     *
     * @param config the settings
     * @param sessions the {@code session} and {@code auth} sessions, made from the same settings
     * @return the running server
     * @throws Exception if the server does not start
     */
    static ExampleServer start(ExampleConfig config, Sessions sessions) throws Exception {
        return start(config.adapter(), sessions, config.host(), config.port(), config.loginLimits());
    }

    /**
     * Starts the app with the default login limits.
     *
     * @param adapter {@code javalin}, {@code servlet} or {@code undertow}
     * @param sessions the {@code session} and {@code auth} sessions
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @return the running server
     * @throws Exception if the server does not start
     */
    static ExampleServer start(String adapter, Sessions sessions, String host, int port) throws Exception {
        return start(adapter, sessions, host, port, LoginRequest.Limits.DEFAULT);
    }

    private static ExampleServer start(String adapter, Sessions sessions, String host, int port,
                                       LoginRequest.Limits limits) throws Exception {
        return switch (adapter) {
            case "servlet" -> ServletServer.start(sessions, host, port, limits, ServletServer.Extras.NONE);
            case "undertow" -> UndertowServer.start(sessions, host, port, limits, UndertowServer.Extras.NONE);
            default -> JavalinServer.start(sessions, host, port, limits, JavalinServer.Extras.NONE);
        };
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
}
