package dev.cookies;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unlocked changes, recorded key by key so that committing them onto a fresh copy changes only those
 * keys and never wipes a key another request wrote meanwhile.
 */
final class Delta {
    static final Object REMOVED = new Object();

    private boolean cleared;
    /** Something other than a key changed (the session's own idle timeout): the session must be saved. */
    private boolean metaChanged;
    private final Map<String, Object> changes = new LinkedHashMap<>();

    boolean isEmpty() {
        return !cleared && !metaChanged && changes.isEmpty();
    }

    void markMetaChanged() {
        metaChanged = true;
    }

    boolean cleared() {
        return cleared;
    }

    void put(String key, Object value) {
        changes.put(key, value);
    }

    void remove(String key) {
        changes.put(key, REMOVED);
    }

    void clear() {
        cleared = true;
        changes.clear();
    }

    /** Returns the change for a key: a value, {@link #REMOVED}, or {@code null} if unchanged. */
    Object change(String key) {
        return changes.get(key);
    }

    void applyTo(Map<String, Object> target) {
        if (cleared) {
            target.clear();
        }
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            if (e.getValue() == REMOVED) {
                target.remove(e.getKey());
            } else {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    void reset() {
        cleared = false;
        metaChanged = false;
        changes.clear();
    }
}
