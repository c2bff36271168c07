package dev.cookies.example;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceServer;
import java.net.URI;

/**
 * The adapter contract against the example app's own servers, with the contract's routes added from
 * test sources ({@link ContractApp}); subclasses pick the adapter and the store.
 */
abstract class ExampleContract extends AdapterContract {

    /** A fixed Fernet key for the cookie-store runs, so failures reproduce. */
    static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    @Override
    protected ReferenceServer start(Sessions sessions) throws Exception {
        return serve(sessions, false);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
        return serve(sessions, true);
    }

    private ReferenceServer serve(Sessions sessions, boolean loginRedirect) throws Exception {
        ExampleServer server = ContractApp.start(adapterName(), sessions, loginRedirect);
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
