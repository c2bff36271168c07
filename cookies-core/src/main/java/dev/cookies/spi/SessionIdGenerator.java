package dev.cookies.spi;


/**
 * Makes session ids and recognises well-formed ones.
 *
 * <p>The format check runs on every id a client sends, before any store is asked about it, so garbage
 * never reaches a store. Replace the default through
 * {@link dev.cookies.SessionManager.Builder#idGenerator(SessionIdGenerator)} (the original's SID
 * factory). Implementations are thread-safe; ids must be made of cookie-safe characters.
 *
 * @since 0.1
 */
public interface SessionIdGenerator {

    /**
     * Makes a new, unguessable id.
     *
     * @return the id
     */
    String newId();

    /**
     * Returns whether a string a client sent has the exact form of an id this generator makes.
     *
     * @param candidate the value from the cookie
     * @return {@code true} if well-formed
     */
    boolean isWellFormed(String candidate);

    /**
     * Returns the default generator: 256 bits from {@link java.security.SecureRandom}, base64url
     * without padding (43 characters).
     *
     * @return the shared default generator
     */
    static SessionIdGenerator secureRandom() {
        return SecureIdGenerator.INSTANCE;
    }
}
