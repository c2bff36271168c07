/**
 * An application on the module path: plain requires of the API, the servlet adapter and Jetty. The
 * memory store is not required: its module is found through the core's uses clause, as a URI picks it.
 */
module it.app {
    requires dev.cookies;
    requires dev.cookies.servlet;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.ee10.servlet;

    // Jackson reads and writes the application's own records in sessions.
    opens it.app to com.fasterxml.jackson.databind;
}
