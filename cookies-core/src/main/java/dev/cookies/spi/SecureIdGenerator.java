package dev.cookies.spi;

import java.security.SecureRandom;
import java.util.Base64;

/** 256-bit ids from {@link SecureRandom}, base64url without padding: 43 characters. */
final class SecureIdGenerator implements SessionIdGenerator {

    /** The shared instance. */
    static final SecureIdGenerator INSTANCE = new SecureIdGenerator();

    private static final int BYTES = 32;
    private static final int LENGTH = 43;
    // 256 bits fill 42 characters and 4 bits of the 43rd, whose 2 low bits are therefore zero.
    private static final String LAST_CHARS = "AEIMQUYcgkosw048";
    /** The base64url alphabet, by character: one look-up per character of every id a request carries. */
    private static final boolean[] ALPHABET = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            ALPHABET[c] = true;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

    private SecureIdGenerator() {
    }

    @Override
    public String newId() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return encoder.encodeToString(bytes);
    }

    @Override
    public boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH - 1; i++) {
            char c = candidate.charAt(i);
            if (c >= ALPHABET.length || !ALPHABET[c]) {
                return false;
            }
        }
        return LAST_CHARS.indexOf(candidate.charAt(LENGTH - 1)) >= 0;
    }
}
