package dev.cookies;

import java.util.Objects;

/**
 * A setting is invalid or settings contradict each other. Thrown by builders and factories, when the
 * application starts, never while serving a request. The message and {@link #setting()} name the
 * setting to change.
 *
 * @since 0.1
 */
public final class SessionConfigException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    private SessionConfigException(String setting, String problem) {
        super(setting + ": " + problem, null);
        this.setting = setting;
    }

    /**
     * Creates the exception.
     *
     * @param setting the setting at fault, as named in the builder (for example {@code "cookie.secure"})
     * @param problem what is wrong and, where it helps, how to fix it
     * @return the exception, to throw
     * @throws NullPointerException if an argument is null
     */
    public static SessionConfigException of(String setting, String problem) {
        return new SessionConfigException(Objects.requireNonNull(setting, "setting"),
                Objects.requireNonNull(problem, "problem"));
    }

    /**
     * Returns the name of the setting at fault.
     *
     * @return for example {@code "cookie.sameSite"}
     */
    public String setting() {
        return setting;
    }
}
