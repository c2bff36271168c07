/**
 * Contract tests that every store and adapter runs, and in-memory stand-ins for a request and its
 * response, so the core's rules can be tested without a server.
 *
 * <p>For a store, extend {@link dev.cookies.testkit.SessionStoreContract} in about ten lines. To drive
 * the core, use {@link dev.cookies.testkit.FakeBrowser}, which keeps cookies between requests as a
 * browser would, or {@link dev.cookies.testkit.FakeExchange} directly.
 *
 * @since 0.1
 */
package dev.cookies.testkit;
