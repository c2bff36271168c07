/** A store provider built for an SPI version the core no longer serves. */
module it.oldstore {
    requires dev.cookies;

    provides dev.cookies.spi.SessionStoreProvider with it.oldstore.OldProvider;
}
