package dev.cookies.undertow;

import dev.cookies.testkit.ContractStore;
import java.util.Map;

/** Undertow's session API on the bridge, with the client-side cookie store. */
class SessionBridgeCookieStoreTest extends SessionApiContract {

    /** A fixed Fernet key, so failures reproduce. */
    private static final String KEY = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";

    @Override
    protected ContractStore store() {
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY));
    }

    @Override
    protected boolean serverSide() {
        return false;
    }
}
