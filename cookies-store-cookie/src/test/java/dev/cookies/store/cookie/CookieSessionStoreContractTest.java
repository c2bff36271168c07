package dev.cookies.store.cookie;

import dev.cookies.spi.ClientSideStore;
import dev.cookies.testkit.ClientSideStoreContract;
import dev.cookies.testkit.MutableClock;

class CookieSessionStoreContractTest extends ClientSideStoreContract {

    @Override
    protected ClientSideStore createStore(MutableClock clock) {
        return CookieSessionStore.builder().keys(Fixtures.KEY1, Fixtures.KEY2).clock(clock).build();
    }

    @Override
    protected ClientSideStore createStoreWithOtherKeys(MutableClock clock) {
        return CookieSessionStore.builder().keys(Fixtures.KEY3).clock(clock).build();
    }
}
