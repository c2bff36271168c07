package it.app;

import dev.cookies.AuthSession;
import dev.cookies.SessionConfigException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** {@code serve}: a counter and a login on Jetty, printing its port; {@code old}: asks for the old provider's store. */
public final class Main {

    /** A user as an application models one. */
    public record User(String name, Instant since) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("old")) {
            try {
                SessionManager.builder("session").store("old:").build();
                System.out.println("BUILT");
            } catch (SessionConfigException e) {
                System.out.println("REFUSED " + e.setting() + " " + e.getMessage());
            }
            return;
        }
        Sessions sessions = Sessions.of(SessionManager.builder("session").store("memory:").build(),
                SessionManager.builder("auth").store("memory:").build());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new App()), "/*");
        server.setHandler(context);
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    private static final class App extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            switch (request.getMethod() + " " + request.getRequestURI()) {
                case "POST /increment" -> body = "{\"count\":" + SessionFilter.session(request, "session").compute(s -> {
                    int n = s.get("count", Integer.class).orElse(0) + 1;
                    s.put("count", n);
                    return n;
                }) + "}";
                case "POST /login" -> {
                    AuthSession.of(SessionFilter.session(request, "auth")).login(new User("alice", Instant.parse("2026-11-30T00:00:00Z")));
                    body = "{}";
                }
                case "GET /me" -> body = AuthSession.of(SessionFilter.session(request, "auth")).user(User.class)
                        .map(u -> "{\"user\":\"" + u.name() + "\",\"since\":\"" + u.since() + "\"}").orElse("{\"user\":null}");
                default -> {
                    response.sendError(404);
                    return;
                }
            }
            response.setContentType("application/json");
            response.getWriter().write(body);
        }
    }
}
