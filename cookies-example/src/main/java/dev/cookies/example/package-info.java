/**
 * The example app: the reference-app contract of DESIGN.md on any adapter and any store, written the
 * way an application would use the library. Start with {@link dev.cookies.example.Main}; each adapter's
 * server ({@code JavalinServer}, {@code ServletServer}, {@code UndertowServer}) is self-contained code in
 * its framework's idiom, sharing only framework-neutral helpers: the login body's checks
 * ({@code LoginRequest}), who is signed in where ({@code UserSessions}), the answers to refused requests
 * ({@code Problem}), their rate-limited log ({@code ProblemLog}) and the HTML page ({@code Page}).
 *
 * @since 0.1
 */
package dev.cookies.example;
