/**
 * The Undertow adapter for Cookies sessions: {@link dev.cookies.undertow.SessionHandler} and its guards.
 * Undertow's own module is an automatic one ({@code undertow.core}, named after its jar: undertow-core
 * 2.4 declares no {@code Automatic-Module-Name}); both it and the core are required transitively, since
 * the handlers' signatures use their types.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cookies.undertow {
    requires transitive dev.cookies;
    requires transitive undertow.core;

    exports dev.cookies.undertow;
}
