package dev.cookies.store.cookie;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Fernet key and the token format of the Fernet specification (github.com/fernet/spec), with the
 * JDK's crypto only, so that tokens are exchanged byte for byte with Python's
 * {@code cryptography.fernet.Fernet} and sanic_cookies.
 *
 * <pre>
 * token = base64url(0x80 | timestamp (8 bytes, big-endian, unsigned) | IV (16) | AES-128-CBC ciphertext | HMAC-SHA256 (32))
 * key   = base64url(signing key (16) | encryption key (16))
 * </pre>
 *
 * <p>Opening never throws on bad input: every malformed, tampered or undecryptable token is simply
 * empty. The HMAC is checked, in constant time, before anything is decrypted. Time rules (clock skew,
 * TTL) are left to the caller, except in {@link #decrypt(String, long, long)}, which applies the
 * specification's rules for the conformance vectors.
 *
 * <p>This class uses only {@code java.*} and {@code javax.*}, so that {@link KeyGen} runs from the
 * jar alone. Thread-safe: each thread reuses one {@link Cipher}, and one {@link Mac} per key.
 */
final class Fernet {

    /** The only version byte the specification defines. */
    static final int VERSION = 0x80;
    /** How far in the future a token's timestamp may be before it is rejected, as in the specification. */
    static final long MAX_CLOCK_SKEW_SECONDS = 60;
    /**
     * The longest token opened. A cookie's name and value together cannot exceed 4096 bytes in a
     * browser, so a longer value was not written by us; refusing it bounds the work done on hostile input.
     */
    static final int MAX_TOKEN_CHARS = 4096;

    private static final int KEY_BYTES = 32;
    private static final int BLOCK = 16;
    private static final int HMAC_BYTES = 32;
    private static final int HEADER_BYTES = 1 + 8 + BLOCK;
    /** Version, timestamp, IV, one block of ciphertext (the padding of an empty plaintext), HMAC. */
    private static final int MIN_TOKEN_BYTES = HEADER_BYTES + BLOCK + HMAC_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Cipher.getInstance costs several times the AES work on a short session; reuse one per thread. */
    private static final ThreadLocal<Cipher> AES_CBC = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException e) {
            // AES-128-CBC is required of every Java platform.
            throw new IllegalStateException("the JDK cannot do AES-128-CBC", e);
        }
    });

    private final SecretKeySpec signingKey;
    private final SecretKeySpec encryptionKey;
    /** A Mac already initialised with this key, per thread; doFinal leaves it ready for the next token. */
    private final ThreadLocal<Mac> hmacSha256;

    private Fernet(byte[] key) {
        this.signingKey = new SecretKeySpec(key, 0, BLOCK, "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(key, BLOCK, BLOCK, "AES");
        this.hmacSha256 = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(signingKey);
                return mac;
            } catch (GeneralSecurityException e) {
                // HmacSHA256 is required of every Java platform.
                throw new IllegalStateException("the JDK cannot do HMAC-SHA256", e);
            }
        });
    }

    /**
     * Parses a Fernet key: url-safe base64, with its padding, of 32 bytes.
     *
     * @param key the key text
     * @return the key
     * @throws IllegalArgumentException if the text is not such a key; the message never repeats it
     * @throws NullPointerException if {@code key} is null
     */
    static Fernet fromKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.indexOf('+') >= 0 || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("is standard base64 ('+' or '/'); a Fernet key is url-safe base64 "
                    + "('-' and '_')");
        }
        Optional<byte[]> bytes = decodeStrict(key);
        if (bytes.isEmpty()) {
            throw new IllegalArgumentException("is not url-safe base64 with padding (" + key.length()
                    + " characters; a Fernet key is 44, ending in '=')");
        }
        if (bytes.get().length != KEY_BYTES) {
            throw new IllegalArgumentException("decodes to " + bytes.get().length
                    + " bytes; a Fernet key is 32 bytes (44 characters of url-safe base64)");
        }
        byte[] raw = bytes.get();
        try {
            return new Fernet(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Makes a fresh key from {@link SecureRandom}, as Python's {@code Fernet.generate_key()} does.
     *
     * @return 44 characters of url-safe base64
     */
    static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            return ENCODER.encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Encrypts with a fresh random IV.
     *
     * @param plaintext the bytes to seal
     * @param timestamp seconds since the epoch, unsigned
     * @return the token
     */
    String encrypt(byte[] plaintext, long timestamp) {
        byte[] iv = new byte[BLOCK];
        RANDOM.nextBytes(iv);
        return encrypt(plaintext, timestamp, iv);
    }

    /**
     * Encrypts with a given IV. Only the conformance vectors choose the IV; everything else uses
     * {@link #encrypt(byte[], long)}.
     *
     * @param plaintext the bytes to seal
     * @param timestamp seconds since the epoch, unsigned
     * @param iv 16 bytes
     * @return the token
     */
    String encrypt(byte[] plaintext, long timestamp, byte[] iv) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (iv.length != BLOCK) {
            throw new IllegalArgumentException("the IV must be 16 bytes, was " + iv.length);
        }
        // PKCS#7 always adds 1 to 16 bytes. The ciphertext and then the HMAC are written straight into
        // the token, with no array of their own to copy from.
        int signedLength = HEADER_BYTES + (plaintext.length / BLOCK + 1) * BLOCK;
        byte[] token = new byte[signedLength + HMAC_BYTES];
        ByteBuffer.wrap(token).put((byte) VERSION).putLong(timestamp).put(iv);
        try {
            Cipher cipher = AES_CBC.get();
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            int written = cipher.doFinal(plaintext, 0, plaintext.length, token, HEADER_BYTES);
            if (written != signedLength - HEADER_BYTES) {
                throw new IllegalStateException("AES-128-CBC wrote " + written + " bytes for " + plaintext.length);
            }
            Mac mac = hmacSha256.get();
            mac.update(token, 0, signedLength);
            mac.doFinal(token, signedLength);
        } catch (GeneralSecurityException e) {
            // AES-128-CBC and HmacSHA256 are required of every Java platform.
            throw new IllegalStateException("the JDK cannot do AES-128-CBC or HMAC-SHA256", e);
        }
        return ENCODER.encodeToString(token);
    }

    /**
     * Decodes a token's base64 without any key: url-safe alphabet, padding required, canonical
     * encoding (the unused low bits of the last character are zero), no whitespace, at most
     * {@link #MAX_TOKEN_CHARS} characters and at least the shortest well-formed token.
     *
     * @param token what the client sent
     * @return the token's bytes, or empty
     */
    static Optional<byte[]> decodeToken(String token) {
        // The version byte 0x80 makes every token start with 'g': most garbage stops here, before the
        // decoder would throw on it.
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS || token.charAt(0) != 'g') {
            return Optional.empty();
        }
        return decodeStrict(token).filter(b -> b.length >= MIN_TOKEN_BYTES && b[0] == (byte) VERSION);
    }

    /**
     * Returns a token's timestamp, unverified.
     *
     * @param raw bytes from {@link #decodeToken}
     * @return seconds since the epoch, unsigned
     */
    static long timestamp(byte[] raw) {
        return ByteBuffer.wrap(raw, 1, 8).getLong();
    }

    /**
     * Verifies and decrypts a token's bytes under this key. The HMAC is compared in constant time
     * before anything is decrypted; the ciphertext is then checked for whole blocks and its padding.
     *
     * @param raw bytes from {@link #decodeToken}
     * @return the plaintext, or empty if this key does not open the token
     */
    Optional<byte[]> open(byte[] raw) {
        if (raw.length < MIN_TOKEN_BYTES || raw[0] != (byte) VERSION) {
            return Optional.empty();
        }
        int signedLength = raw.length - HMAC_BYTES;
        try {
            byte[] expected = hmac(raw, signedLength);
            byte[] actual = Arrays.copyOfRange(raw, signedLength, raw.length);
            if (!MessageDigest.isEqual(expected, actual)) {
                return Optional.empty();
            }
            int ciphertextLength = signedLength - HEADER_BYTES;
            if (ciphertextLength % BLOCK != 0) {
                return Optional.empty();
            }
            Cipher cipher = AES_CBC.get();
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(raw, 9, BLOCK));
            return Optional.of(cipher.doFinal(raw, HEADER_BYTES, ciphertextLength));
        } catch (GeneralSecurityException e) {
            // A bad padding after a good HMAC still means only "invalid".
            return Optional.empty();
        }
    }

    /**
     * Decrypts a token as the specification's verifier does: rejected if more than
     * {@link #MAX_CLOCK_SKEW_SECONDS} in the future or, with a TTL, older than the TTL.
     *
     * @param token the token text
     * @param now seconds since the epoch
     * @param ttlSeconds the TTL, or a negative number for none
     * @return the plaintext, or empty
     */
    Optional<byte[]> decrypt(String token, long now, long ttlSeconds) {
        Optional<byte[]> raw = decodeToken(token);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        long timestamp = timestamp(raw.get());
        if (isTooFarAhead(timestamp, now)) {
            return Optional.empty();
        }
        if (ttlSeconds >= 0 && Long.compareUnsigned(timestamp, now) < 0 && now - timestamp > ttlSeconds) {
            return Optional.empty();
        }
        return open(raw.get());
    }

    /**
     * Returns whether a timestamp is beyond the allowed clock skew, comparing it as unsigned.
     *
     * @param timestamp the token's timestamp, unsigned
     * @param now seconds since the epoch
     * @return {@code true} if the token must be rejected
     */
    static boolean isTooFarAhead(long timestamp, long now) {
        if (now < 0) {
            // A clock before 1970 cannot be compared with an unsigned timestamp; accept nothing.
            return true;
        }
        long limit = now + MAX_CLOCK_SKEW_SECONDS;
        return Long.compareUnsigned(timestamp, limit) > 0;
    }

    private byte[] hmac(byte[] data, int length) {
        Mac mac = hmacSha256.get();
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /** The 6-bit value of a character the url-safe decoder has accepted. */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    /**
     * Decodes url-safe base64 that must carry its padding and be the one canonical encoding of its bytes:
     * accepted exactly when {@link Base64#getUrlEncoder()} would write {@code text} for the result.
     *
     * @param text the text
     * @return the bytes, or empty
     */
    static Optional<byte[]> decodeStrict(String text) {
        // The JDK's url decoder (not the MIME one) refuses every character outside the url-safe alphabet
        // and any '=' that is not one or two final padding characters, at a fraction of the cost of
        // checking each character here first. What it lets through is checked around it: missing
        // padding, and non-zero unused bits in the last character.
        int length = text.length();
        if (length % 4 != 0) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Base64 leaves 4 bits (before "==") or 2 bits (before "=") unused; a decoder ignores them, so
        // different texts would open as the same token. Only the canonical one, with those bits zero,
        // is accepted.
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        if (padding > 0) {
            int unusedBits = padding == 2 ? 4 : 2;
            if ((sextet(text.charAt(length - padding - 1)) & ((1 << unusedBits) - 1)) != 0) {
                return Optional.empty();
            }
        }
        return Optional.of(bytes);
    }
}
