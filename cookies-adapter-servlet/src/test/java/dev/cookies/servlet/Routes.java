package dev.cookies.servlet;

import dev.cookies.Session;
import dev.cookies.testkit.ReferenceApp;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A servlet that runs one small handler per path, for the adapter's own tests. */
final class Routes extends HttpServlet {

    /** A handler. */
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private final Map<String, Handler> routes = new ConcurrentHashMap<>();

    Routes on(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    static Session session(HttpServletRequest request) {
        return SessionFilter.session(request, ReferenceApp.SESSION);
    }

    static int increment(HttpServletRequest request) {
        return Integer.parseInt(ReferenceApp.increment(session(request)).body().replaceAll("\\D", ""));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Handler handler = routes.get(request.getRequestURI());
        if (handler == null) {
            response.sendError(404);
            return;
        }
        try {
            handler.handle(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
