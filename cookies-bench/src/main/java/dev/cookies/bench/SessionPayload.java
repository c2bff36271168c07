package dev.cookies.bench;

import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionData;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.store.memory.MemorySessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * The session every benchmark stores, so that all of them move the same data: a {@code profile}
 * string, sized so that the encoded session (JSON, with the library's {@code __meta}) is an exact
 * number of bytes, and a one-digit {@code count} that each request reads and rewrites. The count
 * wraps at 10 so the encoded size never drifts during a run.
 */
final class SessionPayload {

    /** The session manager's name, and so the cookie {@code SESSION}. */
    static final String NAME = "session";
    static final String PROFILE = "profile";
    static final String COUNT = "count";

    private SessionPayload() {
    }

    /** A deterministic ASCII string of {@code length} characters (no JSON escaping needed). */
    static String filler(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + (i * 7) % 26));
        }
        return b.toString();
    }

    /** What each benchmarked request does to its session data: read both keys, write the count. */
    static void readWrite(SessionData data, String profile) {
        if (data.get(PROFILE).isEmpty()) {
            data.put(PROFILE, profile);
        }
        data.put(COUNT, (data.get(COUNT, Integer.class).orElse(0) + 1) % 10);
    }

    /** Creates a session holding a profile of {@code profileChars} characters and count 0. */
    static void seed(FakeBrowser browser, int profileChars) {
        String profile = filler(profileChars);
        browser.request("POST", open -> open.session(NAME).update(d -> {
            d.put(PROFILE, profile);
            d.put(COUNT, 0);
        }));
    }

    /**
     * Returns the profile string whose session, as our server-side stores encode it, is exactly
     * {@code targetBytes}: what the HTTP and memory benchmarks store, in our stores and in Jetty's.
     */
    static String profileFor(int targetBytes) {
        MemorySessionStore memory = MemorySessionStore.create();
        // Bytes only: the memory store keeps its own compact objects, so size the session as the
        // byte stores (Redis, JDBC) and Jetty's serialised attributes see it, through a store that
        // offers only the byte interface.
        ServerSideStore store = new ServerSideStore() {
            @Override public Optional<byte[]> load(String id, Duration ttl) { return memory.load(id, ttl); }
            @Override public void save(String id, byte[] data, Duration ttl) { memory.save(id, data, ttl); }
            @Override public void delete(String id) { memory.delete(id); }
            @Override public void touch(String id, Duration ttl) { memory.touch(id, ttl); }
            @Override public String description() { return "memory, bytes only"; }
        };
        try (Sessions sessions = Sessions.of(SessionManager.builder(NAME).store(store).build())) {
            return filler(calibrate(targetBytes, length -> {
                FakeBrowser b = new FakeBrowser(sessions);
                seed(b, length);
                return store.load(b.cookie("SESSION").orElseThrow(), Duration.ofMinutes(30)).orElseThrow().length;
            }));
        } finally {
            memory.close();
        }
    }

    /**
     * Finds the profile length whose encoded session is exactly {@code targetBytes}.
     *
     * @param targetBytes the encoded size wanted
     * @param encodedSize seeds a session with the given profile length and returns its encoded size
     * @return the profile length
     */
    static int calibrate(int targetBytes, IntUnaryOperator encodedSize) {
        int length = Math.max(1, targetBytes - 100);
        for (int attempt = 0; attempt < 5; attempt++) {
            int size = encodedSize.applyAsInt(length);
            if (size == targetBytes) {
                return length;
            }
            length = Math.max(1, length + targetBytes - size);
        }
        throw new IllegalStateException("could not size a session to exactly " + targetBytes + " bytes");
    }

    /**
     * One request's whole session work, the benchmarked cycle: open the sessions on a request carrying
     * the cookie, read the profile, a locked read-and-write, and commit.
     *
     * @param sessions the sessions under test
     * @param cookieHeader the request's {@code Cookie} header
     * @return the exchange, holding the response's headers, so the work is not optimised away
     */
    static FakeExchange cycle(Sessions sessions, String cookieHeader) {
        FakeExchange exchange = FakeExchange.request("GET").header("Cookie", cookieHeader);
        OpenSessions open = sessions.open(exchange);
        Session session = open.session(NAME);
        session.get(PROFILE).orElseThrow();
        session.update(d -> readWrite(d, null));
        open.end(null);
        return exchange;
    }
}
