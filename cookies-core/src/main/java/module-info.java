/**
 * Cookies: HTTP sessions and cookies for any Java web framework. The API ({@code dev.cookies}) and the
 * SPI ({@code dev.cookies.spi}) are exported; the session engine is package-private inside the API
 * package. Store modules provide {@link dev.cookies.spi.SessionStoreProvider}s, found through
 * {@link java.util.ServiceLoader}.
 */
module dev.cookies {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.slf4j;

    exports dev.cookies;
    exports dev.cookies.spi;

    uses dev.cookies.spi.SessionStoreProvider;
}
