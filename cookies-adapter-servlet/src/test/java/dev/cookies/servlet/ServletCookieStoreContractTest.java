package dev.cookies.servlet;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;
import java.util.Map;

/** The servlet adapter on Jetty passes the adapter contract with the client-side cookie store. */
class ServletCookieStoreContractTest extends AdapterContract {

    /** A fixed Fernet key, so failures reproduce. */
    private static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        // Sign out everywhere needs somewhere to note who signed out when: an in-process memory store.
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY)).revocations(b -> b.revocations("memory:"));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) throws Exception {
        return ServletReferenceApp.start(sessions, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
        return ServletReferenceApp.start(sessions, (request, response) -> response.sendRedirect(LOGIN_PAGE));
    }
}
