/**
 * The in-process session store. Start with {@link dev.cookies.store.memory.MemorySessionStore#builder()},
 * or configure the URI {@code memory:} (optionally {@code memory:?maximumBytes=256m&maximumSize=100000}).
 * The store also keeps the index of sessions by user and reports sessions that expired; both are
 * described on {@link dev.cookies.store.memory.MemorySessionStore}.
 *
 * @since 0.1
 */
package dev.cookies.store.memory;
