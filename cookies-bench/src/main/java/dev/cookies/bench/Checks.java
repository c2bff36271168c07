package dev.cookies.bench;

import dev.cookies.OpenSessions;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeExchange;

/**
 * Checks each benchmark makes once in its set-up, so that a benchmark never times a path that fails
 * or does less than it claims (a cycle that silently writes nothing would look very fast).
 */
final class Checks {

    private Checks() {
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up check failed: " + message);
        }
    }

    /** Reads the session's count in a request of its own. */
    static int count(Sessions sessions, String cookieHeader) {
        OpenSessions open = sessions.open(FakeExchange.request("GET").header("Cookie", cookieHeader));
        int count = open.session(SessionPayload.NAME).get(SessionPayload.COUNT, Integer.class).orElse(-1);
        open.end(null);
        return count;
    }
}
