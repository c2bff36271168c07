package dev.cookies.example;

import dev.cookies.testkit.ContractStore;

/** The example app on servlet, memory store. */
class ServletMemoryExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
