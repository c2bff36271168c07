package dev.cookies.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cookies.CrossSiteGuard;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CrossSiteFilter} on Jetty: the core's decision reaches the client, and a refused request goes no further. */
class CrossSiteFilterTest {

    private Sessions sessions;
    private JettyApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        sessions.close();
    }

    /** Serves {@code /counter} and {@code /counter/increment} under a context path, behind the filters. */
    private URI start(String contextPath, CrossSiteFilter filter) throws Exception {
        sessions = Sessions.of(SessionManager.builder(ReferenceApp.SESSION).store("memory:").build());
        app = JettyApp.start(context -> {
            context.setContextPath(contextPath);
            context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            Routes routes = new Routes();
            for (String path : new String[] {"/counter/increment", "/webhooks/increment"}) {
                routes.on(contextPath.replaceAll("/$", "") + path,
                        (q, r) -> ServletReferenceApp.reply(r, ReferenceApp.increment(Routes.session(q))));
            }
            context.addServlet(new ServletHolder(routes), "/*");
        });
        return URI.create(app.baseUri() + contextPath.replaceAll("/$", ""));
    }

    @Test
    @DisplayName("a cross-site POST is refused 403 with the core's body before the handler runs; a same-origin one passes")
    void crossSiteRefused() throws Exception {
        URI base = start("/", new CrossSiteFilter(CrossSiteGuard.defaults()));
        HttpTestClient.Response refused = Fetch.send(base, "POST", "/counter/increment", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, refused.status(), refused::toString);
        assertEquals(OpenSessions.CROSS_SITE_BODY, refused.body());
        assertEquals(OpenSessions.JSON, refused.mediaType());
        assertFalse(refused.setsCookie("SESSION"), "the handler never ran: " + refused);

        HttpTestClient.Response same = Fetch.send(base, "POST", "/counter/increment", "Sec-Fetch-Site", "same-origin");
        assertEquals(200, same.status(), same::toString);
        assertEquals("{\"count\":1}", same.body());
    }

    @Test
    @DisplayName("without Sec-Fetch-Site, an Origin that is not the request's Host is refused and a matching one passes")
    void originAgainstHost() throws Exception {
        URI base = start("/", new CrossSiteFilter());
        assertEquals(403, Fetch.send(base, "POST", "/counter/increment", "Origin", "https://evil.example").status());
        HttpTestClient.Response same = Fetch.send(base, "POST", "/counter/increment",
                "Origin", "http://" + base.getHost() + ":" + base.getPort());
        assertEquals(200, same.status(), same::toString);
    }

    @Test
    @DisplayName("bypass paths are matched within the application, without its context path")
    void bypassUnderContextPath() throws Exception {
        URI base = start("/app", new CrossSiteFilter(CrossSiteGuard.builder().bypass("/webhooks/*").build()));
        assertEquals(200, Fetch.send(base, "POST", "/webhooks/increment", "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, Fetch.send(base, "POST", "/counter/increment", "Sec-Fetch-Site", "cross-site").status());
    }
}
