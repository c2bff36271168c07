package dev.cookies;

/**
 * What happens when a write to a mirror store fails after the master store accepted it.
 *
 * @since 0.1
 */
public enum MirrorFailurePolicy {
    /** Fail the request with {@link StoreUnavailableException}. The default. */
    FAIL,
    /** Log the failure at warn level and carry on; the master holds the session. */
    LOG
}
