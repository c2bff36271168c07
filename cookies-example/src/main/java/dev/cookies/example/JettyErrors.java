package dev.cookies.example;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page for requests Jetty answers itself, before any servlet runs (a malformed request
 * line, headers over the limit): the short JSON body of {@link Problem#bodyFor}, never Jetty's
 * message, its exception's text or a stack trace. Used by the servlet and Javalin servers, which both
 * run on Jetty.
 */
final class JettyErrors extends ErrorHandler {

    JettyErrors() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Problem.bodyFor(code).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
