/**
 * The in-process session store. Start with {@link dev.cookies.store.memory.MemorySessionStore#builder()},
 * or configure the URI {@code memory:} (optionally {@code memory:?maximumBytes=256m&maximumSize=100000}).
 *
 * @since 0.1
 */
package dev.cookies.store.memory;
