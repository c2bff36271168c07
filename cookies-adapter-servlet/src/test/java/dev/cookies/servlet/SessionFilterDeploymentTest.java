package dev.cookies.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Setting the filters up the way a deployment descriptor does, and setting them up wrong. */
class SessionFilterDeploymentTest {

    private Sessions sessions;
    private JettyApp app;

    @BeforeEach
    void sessions() {
        sessions = Sessions.of(SessionManager.builder(ReferenceApp.SESSION).store("memory:").build(),
                SessionManager.builder("account").store("memory:").build());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        sessions.close();
    }

    private static Routes routes() {
        return new Routes()
                .on("/login", (q, r) -> {
                    AuthSession.of(SessionFilter.session(q, "account")).login("alice");
                    r.setStatus(204);
                })
                .on("/account/me", (q, r) -> r.getWriter().write(String.valueOf(
                        AuthSession.of(SessionFilter.session(q, "account")).user().orElse(null))));
    }

    @Test
    @DisplayName("no-argument filters, as in web.xml: Sessions from a ServletContext attribute, the guard's session from an init parameter")
    void webXmlStyle() throws Exception {
        app = JettyApp.start(context -> {
            context.setAttribute(SessionFilter.SESSIONS_ATTRIBUTE, sessions);
            context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            FilterHolder guard = context.addFilter(LoginRequiredFilter.class, "/account/*", EnumSet.of(DispatcherType.REQUEST));
            guard.setInitParameter(LoginRequiredFilter.SESSION_PARAM, "account");
            context.addServlet(new ServletHolder(routes()), "/*");
        });
        HttpTestClient http = new HttpTestClient(app.baseUri());

        HttpTestClient.Response anonymous = http.get("/account/me");
        assertEquals(401, anonymous.status(), anonymous::toString);
        assertEquals(OpenSessions.LOGIN_REQUIRED_BODY, anonymous.body());

        HttpTestClient.Response login = http.post("/login", null);
        assertEquals(204, login.status(), login::toString);
        String cookie = "ACCOUNT=" + login.cookie("ACCOUNT").value();
        HttpTestClient.Response me = http.get("/account/me", cookie);
        assertEquals(200, me.status(), me::toString);
        assertEquals("alice", me.body());
    }

    @Test
    @DisplayName("the ServletContext attribute can be renamed with an init parameter")
    void renamedAttribute() throws Exception {
        app = JettyApp.start(context -> {
            context.setAttribute("my.sessions", sessions);
            FilterHolder filter = context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            filter.setInitParameter(SessionFilter.SESSIONS_ATTRIBUTE_PARAM, "my.sessions");
            context.addServlet(new ServletHolder(routes()), "/*");
        });
        HttpTestClient.Response login = new HttpTestClient(app.baseUri()).post("/login", null);
        assertEquals(204, login.status(), login::toString);
        assertTrue(login.setsCookie("ACCOUNT"), login::toString);
    }

    @Test
    @DisplayName("a SessionFilter without Sessions fails at start-up, naming the attribute to set")
    void missingSessions() {
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> app = JettyApp.start(context -> {
            context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(routes()), "/*");
        }));
        String messages = messages(failure);
        assertTrue(messages.contains("no dev.cookies.Sessions") && messages.contains(SessionFilter.SESSIONS_ATTRIBUTE), messages);
    }

    @Test
    @DisplayName("a LoginRequiredFilter without the SessionFilter in front fails the request clearly, never lets it through")
    void guardWithoutSessionFilter() throws Exception {
        app = JettyApp.start(context -> {
            context.addFilter(new FilterHolder(new LoginRequiredFilter("account")), "/account/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Routes().on("/account/me", (q, r) -> r.getWriter().write("secret"))), "/*");
        });
        HttpTestClient.Response r = new HttpTestClient(app.baseUri()).get("/account/me");
        assertEquals(500, r.status(), r::toString);
        assertTrue(!r.body().contains("secret"), r::toString);
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
            for (Throwable s : c.getSuppressed()) {
                b.append(messages(s));
            }
        }
        return b.toString();
    }
}
