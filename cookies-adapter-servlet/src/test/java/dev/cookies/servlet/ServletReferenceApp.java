package dev.cookies.servlet;

import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The reference app ({@link AdapterContract}'s routes) as a plain servlet behind the session filter and the guard. */
final class ServletReferenceApp extends HttpServlet {

    private ServletReferenceApp() {
    }

    static ReferenceServer start(Sessions sessions, LoginRequiredFilter.NoAuthHandler noAuth) throws Exception {
        return JettyApp.start(context -> {
            context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            FilterHolder guard = new FilterHolder(new LoginRequiredFilter(ReferenceApp.AUTH, noAuth));
            for (String path : new String[] {"/me", "/sessions", "/logout/everywhere", "/logout/everywhere-else"}) {
                context.addFilter(guard, path, EnumSet.of(DispatcherType.REQUEST));
            }
            context.addServlet(new ServletHolder(new ServletReferenceApp()), "/*");
        });
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Session session = SessionFilter.session(request, ReferenceApp.SESSION);
        Session auth = (Session) request.getAttribute(ReferenceApp.AUTH);
        switch (request.getMethod() + " " + request.getRequestURI()) {
            case "GET /counter" -> reply(response, ReferenceApp.counter(session));
            case "POST /counter/increment" -> reply(response, ReferenceApp.increment(session));
            case "POST /counter/clear" -> reply(response, ReferenceApp.clear(session));
            case "POST /login" -> reply(response, ReferenceApp.login(auth,
                    new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
            case "POST /logout" -> reply(response, ReferenceApp.logout(auth));
            case "GET /me" -> reply(response, ReferenceApp.me(auth));
            case "OPTIONS /me" -> response.setStatus(204);
            case "GET /" -> reply(response, ReferenceApp.page(session, auth));
            case "GET /sessions" -> reply(response, ReferenceApp.sessions(auth));
            case "POST /logout/everywhere" -> reply(response, ReferenceApp.signOutEverywhere(auth));
            case "POST /logout/everywhere-else" -> reply(response, ReferenceApp.signOutEverywhereElse(auth));
            case "POST /redirect" -> {
                ReferenceApp.increment(session);
                response.sendRedirect("/counter");
            }
            case "POST /error" -> {
                ReferenceApp.increment(session);
                response.sendError(409);
            }
            case "POST /fail" -> reply(response, ReferenceApp.fail(session));
            case "POST /big" -> reply(response, ReferenceApp.big(session));
            case "POST /stream" -> {
                ReferenceApp.increment(session);
                ServletOutputStream out = response.getOutputStream();
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < AdapterContract.STREAM_BYTES; sent += chunk.length) {
                    out.write(chunk);
                    out.flush();
                }
            }
            default -> response.sendError(404);
        }
    }

    static void reply(HttpServletResponse response, ReferenceApp.Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
