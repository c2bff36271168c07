package dev.cookies.internal;

import dev.cookies.AuthSession;
import dev.cookies.LoginOptions;
import dev.cookies.Session;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Login as one locked step: change the data, apply the options, move to a new id. */
public final class Logins {
    private Logins() {
    }

    /**
     * Logs a user in.
     *
     * @param session the request's session, as opened by the core
     * @param user the user
     * @param options the options
     */
    public static void login(Session session, Object user, LoginOptions options) {
        if (!(session instanceof AbstractSession)) {
            throw new IllegalArgumentException("login needs a session opened by the Cookies core");
        }
        AbstractSession s = (AbstractSession) session;
        Object plain = s.manager.toPlain(user);
        Consumer<Map<String, Object>> change = data -> {
            if (options.resetSession()) {
                data.clear();
            }
            data.put(AuthSession.USER_KEY, plain);
        };
        Duration ttl = options.duration().isZero() ? null : options.duration();
        s.rotate(change, ttl, options.rememberMe(), true);
    }
}
