package dev.cookies.example;

import dev.cookies.AuthSession;
import dev.cookies.SessionInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is signed in where: the framework-neutral half of {@code GET /sessions},
 * {@code POST /logout/everywhere} and {@code POST /logout/everywhere-else}. Each server calls these
 * behind its login-required guard, so a caller is always logged in here.
 *
 * <p>A store that keeps no index of sessions by user (the cookie store) cannot list them, and
 * can sign a user out everywhere only as a client-side store with a revocation store. The core says
 * so with {@link IllegalStateException} before it does anything (its documented answer, see
 * {@link AuthSession#sessions()}); the app answers that with a 501 of fixed text, never the message.
 */
final class UserSessions {

    private UserSessions() {
    }

    /**
     * Lists the caller's sessions: {@code {"sessions": [{"handle", "createdAt", "lastUsedAt",
     * "current"}, ...]}}, oldest first, times as ISO-8601 instants; no session data, no ids.
     *
     * @throws ProblemException {@link Problem#SESSIONS_NOT_LISTED} if the store keeps no index
     */
    static Map<String, Object> list(AuthSession auth) {
        List<SessionInfo> infos;
        try {
            infos = auth.sessions();
        } catch (IllegalStateException noIndex) {
            throw Problem.SESSIONS_NOT_LISTED.exception();
        }
        List<Map<String, Object>> list = new ArrayList<>(infos.size());
        for (SessionInfo info : infos) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("handle", info.handle());
            one.put("createdAt", info.created().toString());
            one.put("lastUsedAt", info.lastUsed().toString());
            one.put("current", info.current());
            list.add(one);
        }
        return Map.of("sessions", list);
    }

    /**
     * Ends every session of the caller's user, the caller's too (its cookie is expired):
     * {@code {"user": null}}.
     *
     * @throws ProblemException {@link Problem#SIGN_OUT_EVERYWHERE_UNSUPPORTED} if the store cannot
     */
    static Map<String, Object> signOutEverywhere(AuthSession auth) {
        try {
            auth.signOutEverywhere();
        } catch (IllegalStateException cannot) {
            throw Problem.SIGN_OUT_EVERYWHERE_UNSUPPORTED.exception();
        }
        return Collections.singletonMap("user", null);
    }

    /**
     * Ends every session of the caller's user but the caller's: {@code {"user": ...}}, still logged in.
     *
     * @throws ProblemException {@link Problem#SIGN_OUT_EVERYWHERE_UNSUPPORTED} if the store cannot
     */
    static Map<String, Object> signOutEverywhereElse(AuthSession auth) {
        try {
            auth.signOutEverywhereElse();
        } catch (IllegalStateException cannot) {
            throw Problem.SIGN_OUT_EVERYWHERE_UNSUPPORTED.exception();
        }
        return Collections.singletonMap("user", auth.user().orElse(null));
    }
}
