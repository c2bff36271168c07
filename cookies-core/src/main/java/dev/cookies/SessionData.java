package dev.cookies;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data of a session: a map from string keys to JSON values.
 *
 * <p>Values are stored as plain JSON types ({@code Map}, {@code List}, {@code String}, numbers,
 * {@code Boolean}). {@link #put(String, Object)} converts any JSON-serializable value (a record, a
 * bean, a map) to that form at once, so changing the object afterwards does not change the session;
 * the typed {@link #get(String, Class)} converts back through the session's codec (Jackson by default).
 * No polymorphic typing: a stored value never names a Java class.
 *
 * <p>The key {@value #RESERVED_KEY} is reserved for the library's own bookkeeping.
 *
 * @since 0.1
 */
public sealed interface SessionData permits Session, LockedSession {

    /** The key the library keeps its own metadata under; {@link #put(String, Object)} refuses it. */
    String RESERVED_KEY = "__meta";

    /**
     * Returns the value stored under a key, as a plain JSON type.
     *
     * @param key the key
     * @return the value, or empty if the key is absent
     * @throws NullPointerException if {@code key} is null
     */
    Optional<Object> get(String key);

    /**
     * Returns the value stored under a key, converted to a type.
     *
     * @param key the key
     * @param type the type to convert to, for example {@code Integer.class} or a record
     * @param <T> the type
     * @return the converted value, or empty if the key is absent
     * @throws IllegalArgumentException if the stored value cannot be converted to {@code type}
     * @throws NullPointerException if an argument is null
     */
    <T> Optional<T> get(String key, Class<T> type);

    /**
     * Returns the value stored under a key, converted to a generic type.
     *
     * @param key the key
     * @param type the type, for example {@code new TypeReference<List<String>>() {}}
     * @param <T> the type
     * @return the converted value, or empty if the key is absent
     * @throws IllegalArgumentException if the stored value cannot be converted to {@code type}
     * @throws NullPointerException if an argument is null
     */
    <T> Optional<T> get(String key, TypeReference<T> type);

    /**
     * Stores a value under a key, converting it to plain JSON types now.
     *
     * @param key the key; not {@value #RESERVED_KEY}
     * @param value any JSON-serializable value; use {@link #remove(String)} to remove a key
     * @throws IllegalArgumentException if the value cannot be serialized to JSON, is too deep or too
     *     large for the codec, or the key is reserved
     * @throws NullPointerException if an argument is null
     */
    void put(String key, Object value);

    /**
     * Removes a key. Removing an absent key does nothing.
     *
     * @param key the key
     * @throws NullPointerException if {@code key} is null
     */
    void remove(String key);

    /** Removes every key. A session left empty is deleted when it is saved. */
    void clear();

    /**
     * Returns the keys present, in a snapshot that later changes do not affect.
     *
     * @return the keys
     */
    Set<String> keys();

    /**
     * Returns whether the session holds no key.
     *
     * @return {@code true} if empty
     */
    boolean isEmpty();

    /**
     * Returns a read-only snapshot of the data, as plain JSON types.
     *
     * @return the data
     */
    Map<String, Object> asMap();
}
