package dev.cookies.spi;

import dev.cookies.SessionUnavailableException;
import dev.cookies.internal.RateLimitedLog;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The answers every adapter gives the same way, so that no adapter invents its own: the status for a
 * failure, and short JSON bodies for the library's own error responses.
 *
 * @since 0.1
 */
public final class AdapterSupport {

    /** Content type of the bodies below. */
    public static final String JSON = "application/json";

    /** Body of a 503 answered because a session store or lock was unavailable. */
    public static final String UNAVAILABLE_BODY = "{\"error\":\"session store unavailable\"}";

    /** Body of the login-required guard's default 401. */
    public static final String LOGIN_REQUIRED_BODY = "{\"error\":\"login required\"}";

    private static final RateLimitedLog UNAVAILABLE_LOG = new RateLimitedLog(LoggerFactory.getLogger(AdapterSupport.class));

    private AdapterSupport() {
    }

    /**
     * Logs that a request is answered 503: at warn level at most every 10 seconds, at debug level
     * otherwise, so an outage under load does not flood the logs. Adapters call it for every 503
     * they answer because a session was unavailable.
     *
     * @param failure what was thrown
     * @throws NullPointerException if {@code failure} is null
     */
    public static void logUnavailable(Throwable failure) {
        UNAVAILABLE_LOG.warn("Cookies: session store unavailable, answering 503: " + Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Returns the status to answer a failure with: 503 when a {@link SessionUnavailableException} is
     * anywhere in the cause chain (store down, lock wait exceeded), otherwise 500.
     *
     * @param failure what the handler or the commit threw
     * @return 503 or 500
     * @throws NullPointerException if {@code failure} is null
     */
    public static int statusFor(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        return SessionUnavailableException.find(failure).isPresent() ? 503 : 500;
    }
}
