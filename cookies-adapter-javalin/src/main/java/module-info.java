/**
 * Cookies on Javalin 7: {@link dev.cookies.javalin.SessionPlugin}, built on the servlet adapter's
 * filter. Javalin is the application's own dependency, always present where the plugin runs, so it is
 * required (and passed on: the plugin's signatures use it), though Maven declares it {@code provided}.
 */
module dev.cookies.javalin {
    requires transitive dev.cookies;
    requires transitive io.javalin;
    requires dev.cookies.servlet;
    requires org.eclipse.jetty.ee10.servlet;

    exports dev.cookies.javalin;
}
