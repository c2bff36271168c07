package dev.cookies.example;

import dev.cookies.testkit.ContractStore;

/** The example app on javalin, memory store. */
class JavalinMemoryExampleTest extends ExampleContract {
    @Override
    String adapter() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
