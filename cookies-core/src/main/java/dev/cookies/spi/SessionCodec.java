package dev.cookies.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
     * Converts an application value to plain JSON types, as a deep copy. Called by {@code put}. What it
     * returns must be something {@link #decode} reads back when it is saved inside a session: a value
     * that breaks a bound of the decoder (nesting, string, number or key length) is refused here, not
     * discovered when the session no longer loads.
     *
     * @param value any serializable value
     * @return the plain form
     * @throws IllegalArgumentException if the value cannot be written, or breaks a bound, naming it
     */
    Object toPlain(Object value);

    /**
     * Converts a value to be stored under a key, checking the key as well. Called by {@code put}; the
     * default checks nothing more than {@link #toPlain(Object)}.
     *
     * @param key the session key
     * @param value any serializable value
     * @return the plain form
     * @throws IllegalArgumentException if the key or the value breaks a bound of the decoder
     */
    default Object toPlain(String key, Object value) {
        return toPlain(value);
    }

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
     * Returns the default codec: Jackson JSON with Jackson's own java.time and {@code Optional} modules
     * ({@code Instant}, {@code LocalDate}, {@code Duration}, {@code ZonedDateTime}… as ISO-8601 strings,
     * zone ids kept), nesting at most 64 deep, at most 8 MiB decoded.
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

    /**
     * Returns a JSON codec on the application's own {@link ObjectMapper}: its modules, naming and
     * features decide how values are written and read. The codec works on a copy, on which it sets its
     * own bounds (nesting 64 deep, 8 MiB, and the lengths of strings, numbers and keys) and allows no
     * class name in the data; the application's mapper is never changed.
     *
     * @param mapper the application's mapper
     * @return a codec
     * @throws IllegalArgumentException if the mapper has default typing activated
     *     ({@code activateDefaultTyping}): a session that names Java classes is the known route from a
     *     session to running code chosen by whoever controls the data
     * @throws NullPointerException if {@code mapper} is null
     */
    static SessionCodec json(ObjectMapper mapper) {
        return new JsonCodec(Objects.requireNonNull(mapper, "mapper"), 64, 8 * 1024 * 1024);
    }

    /**
     * Returns the default JSON codec with changes to its mapper, for example one more module:
     * {@code SessionCodec.json(b -> b.addModule(new MyModule()))}. The bounds are the default codec's.
     *
     * @param customizer changes the builder of the default mapper
     * @return a codec
     * @throws IllegalArgumentException if the changes activate default typing
     * @throws NullPointerException if {@code customizer} is null
     */
    static SessionCodec json(Consumer<JsonMapper.Builder> customizer) {
        return new JsonCodec(JsonCodec.defaultMapper(Objects.requireNonNull(customizer, "customizer")), 64, 8 * 1024 * 1024);
    }
}
