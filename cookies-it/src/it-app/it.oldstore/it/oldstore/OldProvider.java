package it.oldstore;

import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.util.Set;

/** Serves the scheme {@code old:}, built for store SPI version 1. */
public final class OldProvider implements SessionStoreProvider {
    @Override
    public int apiVersion() {
        return 1;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("old");
    }

    @Override
    public SessionStore create(StoreContext context) {
        throw new AssertionError("a provider the core cannot serve must never be asked to create a store");
    }
}
