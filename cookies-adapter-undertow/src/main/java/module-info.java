/**
 * The Undertow adapter for Cookies sessions: {@link dev.cookies.undertow.SessionHandler}, its guards, and
 * {@link dev.cookies.undertow.SessionBridge}, Undertow's own session API on a Cookies session.
 * Undertow's own module is an automatic one ({@code undertow.core}, named after its jar: undertow-core
 * 2.4 declares no {@code Automatic-Module-Name}); both it and the core are required transitively, since
 * the handlers' signatures use their types.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cookies.undertow {
    requires transitive dev.cookies;
    requires transitive undertow.core;
    requires org.slf4j;

    exports dev.cookies.undertow;
}
