package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import java.util.Map;

/** The example app on undertow, cookie store. */
class UndertowCookieStoreExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        // Sign out everywhere needs somewhere to note who signed out when: the memory store, as in the example.
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY)).revocations(b -> b.revocations("memory:"));
    }
}
