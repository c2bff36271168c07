package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import java.util.Map;

/** The example app on servlet, cookie store. */
class ServletCookieStoreExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY));
    }
}
