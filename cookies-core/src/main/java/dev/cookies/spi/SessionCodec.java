package dev.cookies.spi;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Turns session data into bytes and back, and converts values between application types and the plain
 * JSON types sessions hold ({@code Map}, {@code List}, {@code String}, numbers, {@code Boolean}).
 *
 * <p>The default, {@link #json()}, is Jackson JSON with no polymorphic typing and bounded nesting
 * depth and size. Replace it through {@link dev.cookies.SessionManager.Builder#codec(SessionCodec)}
 * (the original's encoder and decoder). Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface SessionCodec {

    /**
     * Encodes session data. Called when a session is saved or sealed.
     *
     * @param data plain JSON types only
     * @return the encoded bytes
     * @throws IllegalArgumentException if the data cannot be encoded
     */
    byte[] encode(Map<String, Object> data);

    /**
     * Decodes session data. Called with bytes from a store or an opened cookie, which may be hostile:
     * anything that is not a valid, bounded encoding of an object must throw, never hang or exhaust
     * memory.
     *
     * @param bytes the encoded session
     * @return a mutable map of plain JSON types
     * @throws IllegalArgumentException if the bytes are not a valid encoding of an object
     */
    Map<String, Object> decode(byte[] bytes);

    /**
     * Converts an application value to plain JSON types, as a deep copy. Called by {@code put}.
     *
     * @param value any serializable value
     * @return the plain form
     * @throws IllegalArgumentException if the value cannot be serialized within the codec's bounds
     */
    Object toPlain(Object value);

    /**
     * Converts a plain value to an application type. Called by typed reads.
     *
     * @param plain a plain JSON value
     * @param type the target type
     * @param <T> the target type
     * @return the converted value
     * @throws IllegalArgumentException if the value does not convert
     */
    <T> T fromPlain(Object plain, Type type);

    /**
     * Returns the default codec: Jackson JSON, nesting at most 64 deep, at most 8 MiB decoded.
     *
     * @return the shared default codec
     */
    static SessionCodec json() {
        return JsonCodec.DEFAULT;
    }

    /**
     * Returns a Jackson JSON codec with other bounds.
     *
     * @param maxDepth the deepest nesting of objects and arrays accepted, at least 2
     * @param maxBytes the largest encoded session accepted by {@link #decode}, at least 1024
     * @return a codec
     * @throws IllegalArgumentException if a bound is out of range
     */
    static SessionCodec json(int maxDepth, int maxBytes) {
        return new JsonCodec(maxDepth, maxBytes);
    }
}
