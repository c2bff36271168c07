package dev.cookies.javalin;

import dev.cookies.OpenSessions;
import dev.cookies.Sessions;
import dev.cookies.spi.AdapterSupport;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installed in front of Javalin's servlet: opens the sessions as the request arrives and hands Javalin
 * a response that commits them before its first byte, flush, redirect or error. The plugin's
 * after-handler commits in the normal case; this catches a handler that writes to the raw output
 * stream, and a request whose after-handlers were skipped.
 */
final class CommitFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(CommitFilter.class);

    private final Sessions sessions;

    CommitFilter(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        OpenSessions open = sessions.open(new ServletRequestContext(req));
        chain.doFilter(req, new CommittingResponse(res, open));
        if (!req.isAsyncStarted() && !open.isCommitted()) {
            commitAtEnd(open, res);
        }
    }

    /** Commits after Javalin returned without committing (its after-handlers were skipped). */
    private static void commitAtEnd(OpenSessions open, HttpServletResponse res) throws IOException {
        try {
            open.commit(new ServletCookieJar(res));
        } catch (RuntimeException e) {
            if (res.isCommitted()) {
                LOG.error("Sessions could not be committed and the response was already sent", e);
                return;
            }
            int status = AdapterSupport.statusFor(e);
            LOG.error("Sessions could not be committed; answering {}", status, e);
            res.reset();
            res.setStatus(status);
            if (status == 503) {
                res.setContentType(AdapterSupport.JSON);
                res.getOutputStream().write(AdapterSupport.UNAVAILABLE_BODY.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
