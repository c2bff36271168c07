package dev.cookies.bench;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * Counts the {@code 200} answers of one path, from the server's side, for the contended-session
 * benchmark: the final count of a shared session is compared with how many increments the server
 * answered {@code 200}. The server's own count is exact; {@code wrk}'s is not, since it drops the
 * requests still in flight when its run ends, which the server may still complete.
 *
 * <p>It is the outermost filter (prepended to every other), so a request is counted after every
 * session filter has committed its session: ours, and Spring Session's, which saves in a
 * {@code finally} after the chain.
 */
final class OkCounter implements Filter {

    private final LongAdder ok = new LongAdder();

    /** Installs the counter in front of every other filter, for exactly {@code path}. */
    static OkCounter install(ServletContextHandler handler, String path) {
        OkCounter counter = new OkCounter();
        FilterHolder holder = new FilterHolder(counter);
        holder.setName("ok-counter " + path);
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName(holder.getName());
        mapping.setPathSpec(path);
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        handler.getServletHandler().addFilter(holder);
        handler.getServletHandler().prependFilterMapping(mapping);
        return counter;
    }

    /** The {@code 200} answers so far. */
    long ok() {
        return ok.sum();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (((HttpServletResponse) response).getStatus() == 200) {
            ok.increment();
        }
    }
}
