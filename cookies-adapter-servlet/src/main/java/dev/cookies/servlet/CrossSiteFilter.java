package dev.cookies.servlet;

import dev.cookies.CrossSiteGuard;
import dev.cookies.OpenSessions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The cross-site request guard: refuses a state-changing request that another site made before it
 * reaches the application. The core decides ({@link OpenSessions#checkCrossSite}, by
 * {@code Sec-Fetch-Site}, else {@code Origin} against {@code Host}; see {@link CrossSiteGuard}) and
 * answers a refused request {@code 403} with {@link OpenSessions#CROSS_SITE_BODY}; the rest of the
 * chain does not run.
 *
 * <p>Map it after {@link SessionFilter}, to every path it protects (usually {@code /*}), for the
 * {@code REQUEST} dispatcher type:
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new CrossSiteFilter(CrossSiteGuard.builder()
 *         .bypass("/webhooks/*").build())), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>In {@code web.xml}, declare it without arguments for {@link CrossSiteGuard#defaults()}.
 *
 * @since 0.2
 */
public final class CrossSiteFilter implements Filter {

    private final CrossSiteGuard guard;

    /** For {@code web.xml}: guards with {@link CrossSiteGuard#defaults()} (no trusted origin, no bypass). */
    public CrossSiteFilter() {
        this(CrossSiteGuard.defaults());
    }

    /**
     * Guards with the given settings; for registering the filter in code.
     *
     * @param guard the trusted origins and bypass paths
     * @throws NullPointerException if {@code guard} is null
     */
    public CrossSiteFilter(CrossSiteGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * Lets the request through, or leaves it answered {@code 403}; called by the container for each
     * request mapped to this filter.
     *
     * @throws IllegalStateException if no {@link SessionFilter} opened the sessions in front of it
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (SessionFilter.openSessions(req).checkCrossSite(guard)) {
            chain.doFilter(req, res);
        }
    }
}
