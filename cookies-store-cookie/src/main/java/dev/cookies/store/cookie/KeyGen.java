package dev.cookies.store.cookie;

import java.io.PrintStream;

/**
 * Prints a fresh Fernet key, for {@code cookies.keys} / {@code COOKIES_KEYS}. It is the jar's main
 * class and needs nothing but the JDK:
 *
 * <pre>{@code
 * java -jar cookies-store-cookie-0.1.0.jar
 * }</pre>
 *
 * <p>The key is 44 characters of url-safe base64 (32 random bytes from
 * {@link java.security.SecureRandom}) followed by a line break, and is also a valid key for Python's
 * {@code cryptography.fernet.Fernet}. Keep it secret: whoever holds it can read and forge sessions.
 *
 * @since 0.1
 */
public final class KeyGen {

    /** How to get a key, for error messages. */
    static final String HINT = "generate a key with: java -jar cookies-store-cookie.jar "
            + "(or java -cp cookies-store-cookie.jar dev.cookies.store.cookie.KeyGen)";

    private KeyGen() {
    }

    /**
     * Prints one fresh key on standard output. Takes no arguments; with any, prints the usage on
     * standard error and exits with status 2.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the entry point without exiting.
     *
     * @param args the arguments
     * @param out where the key goes
     * @param err where the usage goes
     * @return the exit status: 0, or 2 for a usage error
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 0) {
            err.println("usage: java -jar cookies-store-cookie.jar");
            err.println("Prints a fresh Fernet key for cookies.keys / COOKIES_KEYS. Takes no arguments.");
            return 2;
        }
        out.println(Fernet.generateKey());
        out.flush();
        return 0;
    }
}
