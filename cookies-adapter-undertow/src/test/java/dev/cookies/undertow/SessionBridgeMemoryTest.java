package dev.cookies.undertow;

import dev.cookies.testkit.ContractStore;

/** Undertow's session API on the bridge, with the memory store. */
class SessionBridgeMemoryTest extends SessionApiContract {

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }
}
