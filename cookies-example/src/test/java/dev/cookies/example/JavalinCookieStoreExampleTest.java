package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import java.util.Map;

/** The example app on javalin, cookie store. */
class JavalinCookieStoreExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        // Sign out everywhere needs somewhere to note who signed out when: the memory store, as in the example.
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY)).revocations(b -> b.revocations("memory:"));
    }
}
