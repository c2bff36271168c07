package dev.cookies.example;

import dev.cookies.testkit.ContractStore;

/** The example app on javalin, memory store. */
class JavalinMemoryExampleTest extends ExampleContract {
    @Override
    protected String adapterName() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
