package dev.cookies;

import java.time.Duration;
import java.util.Objects;

/**
 * How a login behaves ({@link AuthSession#login(Object, LoginOptions)}).
 *
 * @param rememberMe {@code true} for a persistent cookie ({@code Max-Age} and {@code Expires}),
 *     {@code false} for a browser-session cookie the browser drops when it closes
 * @param duration this login's idle timeout, used for both the store's TTL and the cookie's
 *     {@code Max-Age}; {@link Duration#ZERO} means the session manager's idle timeout
 * @param resetSession {@code true} to drop the anonymous session's data at login, {@code false} to
 *     keep it
 * @since 0.1
 */
public record LoginOptions(boolean rememberMe, Duration duration, boolean resetSession) {

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if {@code duration} is negative, under a second (and not zero)
     *     or over 400 days
     * @throws NullPointerException if {@code duration} is null
     */
    public LoginOptions {
        Objects.requireNonNull(duration, "duration");
        if (!duration.isZero() && (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(CookieSettings.MAX_LIFETIME) > 0)) {
            throw new IllegalArgumentException("login duration must be between 1 second and "
                    + CookieSettings.MAX_LIFETIME.toDays() + " days, was " + duration);
        }
    }

    /**
     * Returns the defaults: a browser-session cookie, the manager's idle timeout, anonymous data kept.
     *
     * @return the default options
     */
    public static LoginOptions defaults() {
        return new LoginOptions(false, Duration.ZERO, false);
    }

    /**
     * Returns options for a remembered login: a persistent cookie lasting {@code duration}.
     *
     * @param duration how long the login lasts without use, at most 400 days
     * @return the options
     */
    public static LoginOptions rememberMe(Duration duration) {
        return new LoginOptions(true, duration, false);
    }

    /**
     * Returns these options with the anonymous data dropped at login.
     *
     * @return the changed options
     */
    public LoginOptions resettingSession() {
        return new LoginOptions(rememberMe, duration, true);
    }
}
