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
    /** Made on the first change: most sessions of a request are only read, or changed under a lock. */
    private Map<String, Object> changes = Map.of();

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
        writable().put(key, value);
    }

    void remove(String key) {
        writable().put(key, REMOVED);
    }

    void clear() {
        cleared = true;
        changes = Map.of();
    }

    private Map<String, Object> writable() {
        if (!(changes instanceof LinkedHashMap)) {
            changes = new LinkedHashMap<>();
        }
        return changes;
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
        changes = Map.of();
    }
}
