package dev.cookies;

import java.util.function.Consumer;

/** Runs an action on every item even when some fail, then throws the first failure, the rest suppressed. */
final class Each {
    private Each() {
    }

    /**
     * Runs an action on every item.
     *
     * @param items the items
     * @param action what to do with each
     * @param <T> the item type
     */
    static <T> void run(Iterable<? extends T> items, Consumer<? super T> action) {
        RuntimeException failure = null;
        for (T item : items) {
            try {
                action.accept(item);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
