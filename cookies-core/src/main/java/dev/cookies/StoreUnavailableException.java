package dev.cookies;

import java.util.Objects;

/**
 * A store could not be reached, or failed, within its timeout. Nothing was half-written: the
 * operation either happened or it did not. Adapters answer it with 503.
 *
 * @since 0.1
 */
public final class StoreUnavailableException extends SessionUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String store;
    private final String operation;

    private StoreUnavailableException(String store, String operation, Throwable cause) {
        super("session store " + store + " unavailable during " + operation
                + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.store = store;
        this.operation = operation;
    }

    /**
     * Creates the exception for a failed store operation.
     *
     * @param store a short description of the store, without credentials (for example {@code "redis://localhost:6379/0"})
     * @param operation what was being done (for example {@code "load"})
     * @param cause the I/O failure, or {@code null}
     * @return the exception, to throw
     * @throws NullPointerException if {@code store} or {@code operation} is null
     */
    public static StoreUnavailableException of(String store, String operation, Throwable cause) {
        return new StoreUnavailableException(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(operation, "operation"), cause);
    }

    /**
     * Returns the store's description, without credentials.
     *
     * @return the store that failed
     */
    public String store() {
        return store;
    }

    /**
     * Returns the operation that failed.
     *
     * @return for example {@code "load"}, {@code "save"}, {@code "lock"}
     */
    public String operation() {
        return operation;
    }
}
