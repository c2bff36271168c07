package dev.cookies.javalin;

import dev.cookies.testkit.ContractStore;
import java.util.Map;

/** HttpSession code, unchanged, and Javalin's session methods on the client-side cookie store. */
class HttpSessionCookieStoreTest extends HttpSessionContract {

    /** A fixed Fernet key, so failures reproduce. */
    private static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    @Override
    protected ContractStore store() {
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY));
    }
}
