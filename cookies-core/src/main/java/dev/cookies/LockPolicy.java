package dev.cookies;

/**
 * What happens when handler code writes to a server-side session without holding its lock.
 *
 * <p>An unlocked write is not lost: it is recorded and applied at commit onto a fresh copy under the
 * lock. But two requests that read, compute and write without a lock can still overwrite each other's
 * result, so the policy says how loudly to point that out.
 *
 * @since 0.1
 */
public enum LockPolicy {
    /** Log a warning on an unlocked write, at most once every 10 seconds per manager. The default. */
    WARN,
    /** Throw {@link IllegalStateException} on any unlocked write. */
    STRICT,
    /** Allow unlocked writes silently. */
    OFF
}
