package dev.cookies.example;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceServer;
import java.net.URI;

/** The adapter contract against the example app's own servers; subclasses pick the adapter and the store. */
abstract class ExampleContract extends AdapterContract {

    /** A fixed Fernet key for the cookie-store runs, so failures reproduce. */
    static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    abstract String adapter();

    @Override
    protected ReferenceServer start(Sessions sessions) throws Exception {
        return serve(sessions, new ExampleServer.Routes(true, false));
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
        return serve(sessions, new ExampleServer.Routes(true, true));
    }

    private ReferenceServer serve(Sessions sessions, ExampleServer.Routes routes) throws Exception {
        ExampleServer server = ExampleServer.start(adapter(), sessions, "127.0.0.1", 0, routes);
        return new ReferenceServer() {
            @Override
            public URI baseUri() {
                return server.baseUri();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
