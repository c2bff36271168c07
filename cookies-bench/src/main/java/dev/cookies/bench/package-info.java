/**
 * Benchmarks of Cookies; not published. Start at {@code docs/benchmarks.md}, which gives the command
 * for each section and the figures they produced.
 *
 * <ul>
 *   <li>JMH, the whole session cycle per store beside its limit: {@link dev.cookies.bench.MemoryStoreCycle},
 *       {@link dev.cookies.bench.CookieStoreCycle}, {@link dev.cookies.bench.RedisStoreCycle}.</li>
 *   <li>HTTP load and heap per session: {@link dev.cookies.bench.BenchServer} (the server, one mode per
 *       JVM; its Spring Session mode is {@link dev.cookies.bench.SpringSessionMode}, its count of 200s
 *       {@link dev.cookies.bench.OkCounter}), {@link dev.cookies.bench.SeedCookies} and
 *       {@link dev.cookies.bench.HeapProbe} (its clients), driven by {@code run-http.sh} (whose
 *       tables {@link dev.cookies.bench.HttpReport} computes) and {@code run-memory.sh}.</li>
 *   <li>Redis commands per request: {@link dev.cookies.bench.RedisCommandCounts}.</li>
 * </ul>
 */
package dev.cookies.bench;
