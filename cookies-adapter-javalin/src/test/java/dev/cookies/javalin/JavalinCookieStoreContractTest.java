package dev.cookies.javalin;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;
import java.util.Map;

/** The adapter contract on Javalin with the client-side cookie store. */
class JavalinCookieStoreContractTest extends AdapterContract {

    /** A fixed Fernet key, so failures reproduce. */
    private static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    @Override
    protected String adapterName() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        // Sign out everywhere needs somewhere to note who signed out when: an in-process memory store.
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY)).revocations(b -> b.revocations("memory:"));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) {
        return JavalinReferenceApp.start(sessions, null, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) {
        return JavalinReferenceApp.start(sessions, ctx -> ctx.redirect(LOGIN_PAGE), null);
    }
}
