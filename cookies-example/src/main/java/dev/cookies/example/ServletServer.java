package dev.cookies.example;

import static dev.cookies.example.ExampleSessions.AUTH;
import static dev.cookies.example.ExampleSessions.SESSION;

import dev.cookies.AuthSession;
import dev.cookies.CrossSiteGuard;
import dev.cookies.LockedSession;
import dev.cookies.Sessions;
import dev.cookies.servlet.CrossSiteFilter;
import dev.cookies.servlet.LoginRequiredFilter;
import dev.cookies.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The app as servlets behind {@link SessionFilter}, {@link CrossSiteFilter} and, on {@code /me},
 * {@link LoginRequiredFilter}, in embedded Jetty 12 (ee10): one small servlet per route, and an error
 * page that answers every error status with a short JSON body.
 */
final class ServletServer {

    /** Where Jetty sends every error status and every exception a servlet lets escape. */
    static final String ERROR_PAGE = "/error-page";

    private ServletServer() {
    }

    /**
     * What tests add to the app without the jar shipping it.
     *
     * @param servlets more servlets, mapped after the app's own
     * @param onLoginRequired the answer to an anonymous {@code GET /me}, or {@code null} for the filter's 401
     */
    record Extras(Consumer<ServletContextHandler> servlets, LoginRequiredFilter.NoAuthHandler onLoginRequired) {
        static final Extras NONE = new Extras(context -> { }, null);
    }

    static ExampleServer start(Sessions sessions, String host, int port, LoginRequest.Limits limits, Extras extras)
            throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Oversized or garbage Cookie headers reach the core, which gives them a fresh session, rather
        // than ending in Jetty's 431 at its 8 KiB default.
        http.setRequestHeaderSize(64 * 1024);
        // Session ids are case-sensitive; Jetty's header cache otherwise matches Cookie lines ignoring case.
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new JettyErrors());

        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        context.addFilter(new FilterHolder(new CrossSiteFilter(CrossSiteGuard.defaults())), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        LoginRequiredFilter loginRequired = extras.onLoginRequired() == null
                ? new LoginRequiredFilter(AUTH) : new LoginRequiredFilter(AUTH, extras.onLoginRequired());
        FilterHolder guard = new FilterHolder(loginRequired);
        for (String path : new String[] {"/me", "/sessions", "/logout/everywhere", "/logout/everywhere-else"}) {
            context.addFilter(guard, path, EnumSet.of(DispatcherType.REQUEST));
        }

        context.addServlet(new ServletHolder(new PageServlet()), "");   // "" is the context root, "/" alone
        context.addServlet(new ServletHolder(new CounterServlet()), "/counter");
        context.addServlet(new ServletHolder(new IncrementServlet()), "/counter/increment");
        context.addServlet(new ServletHolder(new LoginServlet(limits)), "/login");
        context.addServlet(new ServletHolder(new LogoutServlet()), "/logout");
        context.addServlet(new ServletHolder(new MeServlet()), "/me");
        context.addServlet(new ServletHolder(new SessionsServlet()), "/sessions");
        context.addServlet(new ServletHolder(new EverywhereServlet(false)), "/logout/everywhere");
        context.addServlet(new ServletHolder(new EverywhereServlet(true)), "/logout/everywhere-else");

        ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true;   // Jetty's default gives only GET, POST and HEAD an error page
            }
        };
        errorPages.addErrorPage(400, 599, ERROR_PAGE);
        errorPages.addErrorPage(Throwable.class, ERROR_PAGE);
        context.setErrorHandler(errorPages);
        context.addServlet(new ServletHolder(new ErrorPageServlet()), ERROR_PAGE);
        extras.servlets().accept(context);

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

    static void json(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(HttpServletRequest request) {
        return SessionFilter.session(request, SESSION).get("count", Integer.class).orElse(0);
    }

    private static AuthSession auth(HttpServletRequest request) {
        return AuthSession.of(SessionFilter.session(request, AUTH));
    }

    /** {@code GET /}: the page. */
    private static final class PageServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html; charset=utf-8");
            response.getWriter().write(Page.render(count(request), auth(request).user()));
        }
    }

    /** {@code GET /counter}: read-only. */
    private static final class CounterServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            json(response, 200, Json.write(Map.of("count", count(request))));
        }
    }

    /** {@code POST /counter/increment}: a locked read-modify-write, saved when the block closes. */
    private static final class IncrementServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int count;
            try (LockedSession session = SessionFilter.session(request, SESSION).lock()) {
                count = session.get("count", Integer.class).orElse(0) + 1;
                session.put("count", count);
            }
            json(response, 200, Json.write(Map.of("count", count)));
        }
    }

    /** {@code POST /login}: the checked body, then the login; a refused body is answered here. */
    private static final class LoginServlet extends HttpServlet {
        private final LoginRequest.Limits limits;

        LoginServlet(LoginRequest.Limits limits) {
            this.limits = limits;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                LoginRequest login = LoginRequest.read(limits, request.getContentType(), request.getContentLengthLong(),
                        request.getInputStream());
                try {
                    auth(request).login(login.user(), login.options());
                } catch (IllegalArgumentException e) {
                    throw Problem.USER_NOT_STORABLE.exception();
                }
                json(response, 200, Json.write(Map.of("user", login.user())));
            } catch (ProblemException e) {
                ProblemLog.answered(e.problem(), "POST /login");
                if (e.problem() == Problem.BODY_TOO_LARGE) {
                    // A longer or chunked body was not read to its end: close the connection rather than read it to reuse it.
                    response.setHeader("Connection", "close");
                }
                json(response, e.problem().status(), e.problem().body());
            }
        }
    }

    /** {@code POST /logout}. */
    private static final class LogoutServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            auth(request).logout();
            json(response, 200, Json.object("user", null));
        }
    }

    /** {@code GET /me}, behind {@link LoginRequiredFilter}: only a logged-in user gets here. */
    private static final class MeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            json(response, 200, Json.object("user", auth(request).user().orElse(null)));
        }
    }

    /** {@code GET /sessions}, behind {@link LoginRequiredFilter}: the user's sessions, or 501 if the store cannot list them. */
    private static final class SessionsServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                json(response, 200, Json.write(UserSessions.list(auth(request))));
            } catch (ProblemException e) {
                problem(response, e, "GET /sessions");
            }
        }
    }

    /**
     * {@code POST /logout/everywhere} and {@code POST /logout/everywhere-else}, behind
     * {@link LoginRequiredFilter}; 501 if the store cannot sign a user out everywhere.
     */
    private static final class EverywhereServlet extends HttpServlet {
        private final boolean keepThisOne;

        EverywhereServlet(boolean keepThisOne) {
            this.keepThisOne = keepThisOne;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                AuthSession auth = auth(request);
                json(response, 200, Json.write(keepThisOne ? UserSessions.signOutEverywhereElse(auth)
                        : UserSessions.signOutEverywhere(auth)));
            } catch (ProblemException e) {
                problem(response, e, keepThisOne ? "POST /logout/everywhere-else" : "POST /logout/everywhere");
            }
        }
    }

    private static void problem(HttpServletResponse response, ProblemException e, String route) throws IOException {
        ProblemLog.answered(e.problem(), route);
        json(response, e.problem().status(), e.problem().body());
    }

    /**
     * The error page: every error status and every exception a servlet let escape, answered with the
     * status's short JSON body. Jetty's own page would show the exception's message, which can hold
     * session values.
     */
    private static final class ErrorPageServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
                json(response, 404, Problem.NOT_FOUND.body());   // asked for directly, not as an error page
                return;
            }
            // A servlet's exception is not logged here: Jetty has logged it already, with its stack trace.
            if (status == 404) {
                ProblemLog.answered(Problem.NOT_FOUND, "a request for an unknown path");
            } else if (status == 405) {
                ProblemLog.answered(Problem.METHOD_NOT_ALLOWED, "a request with an unsupported method");
            }
            json(response, status, Problem.bodyFor(status));
        }
    }
}
