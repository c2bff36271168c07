package dev.cookies.store.memory;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.SessionStoreContract;

class MemorySessionStoreContractTest extends SessionStoreContract {
    // One store shared by the "instances" a test asks for, as two managers in one process would share it.
    private MemorySessionStore shared;

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        if (shared == null) {
            shared = MemorySessionStore.builder().clock(clock).build();
        }
        return shared;
    }
}
