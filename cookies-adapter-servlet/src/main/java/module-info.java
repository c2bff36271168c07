/**
 * Cookies on Jakarta Servlet 6: {@link dev.cookies.servlet.SessionFilter} and the guards. The Servlet
 * API is the container's, and always present where a filter runs, so it is required (and passed on:
 * the filters' signatures use it), though Maven declares it {@code provided}.
 */
module dev.cookies.servlet {
    requires transitive dev.cookies;
    requires transitive jakarta.servlet;

    exports dev.cookies.servlet;
}
