package dev.cookies.javalin;

import dev.cookies.testkit.ContractStore;

/** HttpSession code, unchanged, and Javalin's session methods on the memory store. */
class HttpSessionMemoryTest extends HttpSessionContract {

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
