/**
 * Cookies on Jakarta Servlet 6: {@link dev.cookies.servlet.SessionFilter} and the guards. The Servlet
 * API is the container's, and always present where a filter runs, so it is required (and passed on:
 * the filters' signatures use it), though Maven declares it {@code provided}. Jetty 12 ({@code ee10})
 * is read only where it is the container, to list the session listeners of a context.
 */
module dev.cookies.servlet {
    requires transitive dev.cookies;
    requires transitive jakarta.servlet;
    requires org.slf4j;
    requires static org.eclipse.jetty.ee10.servlet;
    requires static org.eclipse.jetty.util;

    exports dev.cookies.servlet;
}
