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
        return ContractStore.uri("cookie:", Map.of("cookies.keys", KEY));
    }
}
