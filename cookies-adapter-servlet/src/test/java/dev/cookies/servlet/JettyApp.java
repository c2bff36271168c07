package dev.cookies.servlet;

import dev.cookies.testkit.ReferenceServer;
import java.net.URI;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty 12 (ee10) server on a free loopback port, with one servlet context at {@code /}. */
final class JettyApp implements ReferenceServer {

    private final Server server;
    private final URI base;

    private JettyApp(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * Starts a server.
     *
     * @param setup adds filters and servlets to the context
     * @return the running server
     * @throws Exception if it cannot start
     */
    static JettyApp start(Consumer<ServletContextHandler> setup) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(64 * 1024); // the adapter contract sends 10 KB cookies
        // Jetty's per-connection header cache matches values case-insensitively by default, so a
        // "Cookie: session=x" could be read as an earlier "Cookie: SESSION=x" (see servlet-adapter.md).
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        setup.accept(context);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new JettyApp(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    @Override
    public URI baseUri() {
        return base;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
