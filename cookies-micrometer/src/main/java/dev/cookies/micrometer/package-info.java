/**
 * Micrometer meters for Cookies sessions. Start with {@link dev.cookies.micrometer.SessionMetrics}:
 * make one with {@code SessionMetrics.of(registry)} and give it to each session manager's builder as
 * its {@code observer} and a {@code listener}. The core knows nothing of Micrometer; this module is
 * the only one that depends on it.
 *
 * @since 0.2
 */
package dev.cookies.micrometer;
