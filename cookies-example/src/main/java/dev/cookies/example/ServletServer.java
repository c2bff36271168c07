package dev.cookies.example;

import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.servlet.LoginRequiredFilter;
import dev.cookies.servlet.SessionFilter;
import dev.cookies.testkit.ReferenceApp;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The reference app as a servlet behind {@link SessionFilter}, in embedded Jetty 12 (ee10). */
final class ServletServer {

    private ServletServer() {
    }

    static ExampleServer start(Sessions sessions, String host, int port, ExampleServer.Routes routes) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(64 * 1024);
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        EnumSet<DispatcherType> dispatches = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
        context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*", dispatches);
        LoginRequiredFilter guard = routes.loginRedirect()
                ? new LoginRequiredFilter(ReferenceApp.AUTH, (request, response) -> response.sendRedirect("/login"))
                : new LoginRequiredFilter(ReferenceApp.AUTH);
        context.addFilter(new FilterHolder(guard), "/me", dispatches);
        context.addServlet(new ServletHolder(new ReferenceServlet(routes)), "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        URI base = ExampleServer.baseUri(host, connector.getLocalPort());
        return new ExampleServer() {
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
        };
    }

    /** One servlet for every route, dispatching on method and path. */
    private static final class ReferenceServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ExampleServer.Routes routes;

        ReferenceServlet(ExampleServer.Routes routes) {
            this.routes = routes;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Session session = (Session) request.getAttribute(ReferenceApp.SESSION);
            Session auth = (Session) request.getAttribute(ReferenceApp.AUTH);
            String route = request.getMethod() + " " + request.getRequestURI();
            switch (route) {
                case "GET /" -> reply(response, ReferenceApp.page(session, auth));
                case "GET /counter" -> reply(response, ReferenceApp.counter(session));
                case "POST /counter/increment" -> reply(response, ReferenceApp.increment(session));
                case "POST /login" -> reply(response, ReferenceApp.login(auth,
                        new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
                case "POST /logout" -> reply(response, ReferenceApp.logout(auth));
                case "GET /me" -> reply(response, ReferenceApp.me(auth));
                case "OPTIONS /me" -> response.setStatus(204);
                default -> {
                    if (!routes.contractTests() || !contractRoute(route, session, response)) {
                        response.sendError(404);
                    }
                }
            }
        }

        private static boolean contractRoute(String route, Session session, HttpServletResponse response) throws IOException {
            switch (route) {
                case "POST /counter/clear" -> reply(response, ReferenceApp.clear(session));
                case "POST /redirect" -> {
                    ReferenceApp.increment(session);
                    response.sendRedirect("/counter");
                }
                case "POST /error" -> {
                    ReferenceApp.increment(session);
                    response.sendError(409);
                }
                case "POST /stream" -> {
                    ReferenceApp.increment(session);
                    Streams.megabyte(response.getOutputStream());
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private static void reply(HttpServletResponse response, ReferenceApp.Reply reply) throws IOException {
            response.setStatus(reply.status());
            response.setContentType(reply.contentType());
            response.getOutputStream().write(reply.body().getBytes(StandardCharsets.UTF_8));
        }
    }
}
