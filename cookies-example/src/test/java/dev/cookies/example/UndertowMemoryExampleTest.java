package dev.cookies.example;

import dev.cookies.testkit.ContractStore;

/** The example app on undertow, memory store. */
class UndertowMemoryExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
