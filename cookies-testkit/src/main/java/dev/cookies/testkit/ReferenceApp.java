package dev.cookies.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cookies.AuthSession;
import dev.cookies.LoginOptions;
import dev.cookies.Session;
import dev.cookies.SessionInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The framework-neutral half of the reference app (DESIGN.md "The reference app contract"): what each
 * route does with the sessions and what it answers. Each adapter's test (and the example app) wires
 * these to its framework's routes, so that only the wiring differs between adapters.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>request</th><th>handler</th></tr>
 *   <tr><td>{@code GET /counter}</td><td>{@link #counter}</td></tr>
 *   <tr><td>{@code POST /counter/increment}</td><td>{@link #increment}</td></tr>
 *   <tr><td>{@code POST /counter/clear}</td><td>{@link #clear}</td></tr>
 *   <tr><td>{@code POST /login}</td><td>{@link #login}</td></tr>
 *   <tr><td>{@code POST /logout}</td><td>{@link #logout}</td></tr>
 *   <tr><td>{@code GET /me} (behind the login-required guard)</td><td>{@link #me}</td></tr>
 *   <tr><td>{@code GET /}</td><td>{@link #page}</td></tr>
 *   <tr><td>{@code GET /sessions} (behind the guard)</td><td>{@link #sessions}</td></tr>
 *   <tr><td>{@code POST /logout/everywhere} (behind the guard)</td><td>{@link #signOutEverywhere}</td></tr>
 *   <tr><td>{@code POST /logout/everywhere-else} (behind the guard)</td><td>{@link #signOutEverywhereElse}</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class ReferenceApp {

    /** The name (and request-attribute key) of the counter session; its cookie is {@code SESSION}. */
    public static final String SESSION = "session";
    /** The name of the auth session; its cookie is {@code AUTH}. */
    public static final String AUTH = "auth";

    /** The count {@link #fail} writes before it throws. */
    public static final int FAIL_COUNT = 41;

    /** How many characters {@link #big} stores: more than fits in a cookie, and over the default 1 MiB a session may hold. */
    public static final int BIG_CHARS = 1_200_000;

    private static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceApp() {
    }

    /**
     * A response: status, content type and body.
     *
     * @param status the HTTP status
     * @param contentType the content type
     * @param body the body
     * @since 0.1
     */
    public record Reply(int status, String contentType, String body) {
        static Reply json(Object value) {
            try {
                return new Reply(200, JSON_TYPE, JSON.writeValueAsString(value));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code GET /counter}: read-only; {@code {"count": n}}, 0 for a new session.
     *
     * @param session the {@code session} session
     * @return the reply
     */
    public static Reply counter(Session session) {
        return count(session.get("count", Integer.class).orElse(0));
    }

    /**
     * {@code POST /counter/increment}: a locked increment; {@code {"count": n+1}}.
     *
     * @param session the {@code session} session
     * @return the reply
     */
    public static Reply increment(Session session) {
        AtomicInteger result = new AtomicInteger();
        session.update(s -> {
            int next = s.get("count", Integer.class).orElse(0) + 1;
            s.put("count", next);
            result.set(next);
        });
        return count(result.get());
    }

    /**
     * {@code POST /counter/clear}: empties the session, which deletes it and expires its cookie;
     * {@code {"count": 0}}.
     *
     * @param session the {@code session} session
     * @return the reply
     */
    public static Reply clear(Session session) {
        session.update(s -> s.clear());
        return count(0);
    }

    /**
     * {@code POST /fail}: writes {@code count} = {@value #FAIL_COUNT} without the lock, then throws
     * {@link IllegalStateException}; the framework answers its own 500, and the write is kept.
     *
     * @param session the {@code session} session
     * @return never
     * @throws IllegalStateException always
     */
    public static Reply fail(Session session) {
        session.put("count", FAIL_COUNT);
        throw new IllegalStateException("the reference app's /fail route failed on purpose");
    }

    /**
     * {@code POST /big}: writes {@value #BIG_CHARS} characters under {@code big} without the lock,
     * more than a session may hold; the core answers 500 and keeps the previous session.
     *
     * @param session the {@code session} session
     * @return {@code {"count": n}}, which the client never sees
     */
    public static Reply big(Session session) {
        session.put("big", "x".repeat(BIG_CHARS));
        return counter(session);
    }

    /**
     * {@code POST /login} with {@code {"user": "alice"}}, and optionally {@code "rememberMe": true},
     * {@code "durationSeconds": n}, {@code "reset": true}; answers {@code {"user": "alice"}}, or 400
     * for a body without a user.
     *
     * @param auth the {@code auth} session
     * @param body the request body
     * @return the reply
     */
    public static Reply login(Session auth, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return new Reply(400, JSON_TYPE, "{\"error\":\"body is not JSON\"}");
        }
        JsonNode user = json.get("user");
        if (user == null || user.isNull() || user.isMissingNode()) {
            return new Reply(400, JSON_TYPE, "{\"error\":\"user is required\"}");
        }
        Duration duration = json.has("durationSeconds") ? Duration.ofSeconds(json.get("durationSeconds").asLong()) : Duration.ZERO;
        LoginOptions options = new LoginOptions(json.path("rememberMe").asBoolean(false), duration,
                json.path("reset").asBoolean(false));
        AuthSession.of(auth).login(JSON.convertValue(user, Object.class), options);
        ObjectNode reply = JSON.createObjectNode();
        reply.set("user", user);
        return Reply.json(reply);
    }

    /**
     * {@code POST /logout}: deletes the auth session and expires its cookie; {@code {"user": null}}.
     *
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply logout(Session auth) {
        AuthSession.of(auth).logout();
        ObjectNode reply = JSON.createObjectNode();
        reply.putNull("user");
        return Reply.json(reply);
    }

    /**
     * {@code GET /me}: {@code {"user": ...}}. The adapter's login-required guard stands in front of it
     * and answers 401 when nobody is logged in.
     *
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply me(Session auth) {
        ObjectNode reply = JSON.createObjectNode();
        reply.set("user", JSON.valueToTree(AuthSession.of(auth).user().orElse(null)));
        return Reply.json(reply);
    }

    /**
     * {@code GET /sessions}, behind the login-required guard: the logged-in user's sessions,
     * {@code {"sessions": [{"handle": "...", "createdAt": "2026-...Z", "lastUsedAt": "...", "current": true}, ...]}},
     * oldest first, with no session data and no ids; 501 with {@code {"error": "..."}} when the store
     * keeps no index of sessions by user (the core's {@link IllegalStateException}, whose message is not
     * repeated).
     *
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply sessions(Session auth) {
        List<SessionInfo> infos;
        try {
            infos = AuthSession.of(auth).sessions();
        } catch (IllegalStateException noIndex) {
            return new Reply(501, JSON_TYPE, "{\"error\":\"this session store cannot list a user's sessions\"}");
        }
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode list = reply.putArray("sessions");
        for (SessionInfo info : infos) {
            list.addObject().put("handle", info.handle()).put("createdAt", info.created().toString())
                    .put("lastUsedAt", info.lastUsed().toString()).put("current", info.current());
        }
        return Reply.json(reply);
    }

    /**
     * {@code POST /logout/everywhere}, behind the login-required guard: ends every session of the
     * logged-in user, this one too (its cookie is expired); {@code {"user": null}}. 501 with
     * {@code {"error": "..."}} when the store cannot (no index of sessions by user, or a client-side
     * store without a revocation store).
     *
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply signOutEverywhere(Session auth) {
        try {
            AuthSession.of(auth).signOutEverywhere();
        } catch (IllegalStateException cannot) {
            return cannotSignOutEverywhere();
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.putNull("user");
        return Reply.json(reply);
    }

    /**
     * {@code POST /logout/everywhere-else}, behind the login-required guard: ends every other session of
     * the logged-in user and keeps this one; {@code {"user": ...}}. 501 as for {@link #signOutEverywhere}.
     *
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply signOutEverywhereElse(Session auth) {
        AuthSession user = AuthSession.of(auth);
        try {
            user.signOutEverywhereElse();
        } catch (IllegalStateException cannot) {
            return cannotSignOutEverywhere();
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.set("user", JSON.valueToTree(user.user().orElse(null)));
        return Reply.json(reply);
    }

    private static Reply cannotSignOutEverywhere() {
        return new Reply(501, JSON_TYPE, "{\"error\":\"this session store cannot sign a user out everywhere\"}");
    }

    /**
     * {@code GET /}: an HTML page with the counter, the login state and a form for each action.
     *
     * @param session the {@code session} session
     * @param auth the {@code auth} session
     * @return the reply
     */
    public static Reply page(Session session, Session auth) {
        int count = session.get("count", Integer.class).orElse(0);
        String user = AuthSession.of(auth).user().map(String::valueOf).orElse(null);
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cookies</title></head><body>\n")
                .append("<h1>Cookies</h1>\n")
                .append("<p>Count: <span id=\"count\">").append(count).append("</span></p>\n")
                .append("<button id=\"increment\" type=\"button\">Increment</button>\n");
        if (user == null) {
            html.append("<p id=\"login-state\">Not logged in</p>\n")
                    .append("<form id=\"login-form\"><input id=\"user\" name=\"user\" placeholder=\"name\" required>")
                    .append("<button id=\"login\" type=\"submit\">Log in</button></form>\n");
        } else {
            html.append("<p id=\"login-state\">Logged in as <span id=\"user-name\">").append(escape(user)).append("</span></p>\n")
                    .append("<button id=\"logout\" type=\"button\">Log out</button>\n");
        }
        html.append("<script>\n")
                .append("async function post(path, body) {\n")
                .append("  const r = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},\n")
                .append("      body: body === undefined ? undefined : JSON.stringify(body)});\n")
                .append("  return r.json();\n}\n")
                .append("document.getElementById('increment').onclick = async () => {\n")
                .append("  const r = await post('/counter/increment');\n")
                .append("  document.getElementById('count').textContent = r.count;\n};\n")
                .append("const form = document.getElementById('login-form');\n")
                .append("if (form) form.onsubmit = async (e) => { e.preventDefault();\n")
                .append("  await post('/login', {user: document.getElementById('user').value}); location.reload(); };\n")
                .append("const out = document.getElementById('logout');\n")
                .append("if (out) out.onclick = async () => { await post('/logout'); location.reload(); };\n")
                .append("</script>\n</body></html>\n");
        return new Reply(200, "text/html; charset=utf-8", html.toString());
    }

    private static Reply count(int n) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("count", n);
        return Reply.json(reply);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
