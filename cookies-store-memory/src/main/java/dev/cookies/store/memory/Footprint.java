package dev.cookies.store.memory;

import java.lang.management.ManagementFactory;

/**
 * Weighs a stored session: the heap it keeps reachable, as laid out by a 64-bit HotSpot JVM with
 * compressed pointers (the default for heaps below 32 GiB). The store's byte bound counts these
 * weights, so that the bound is a bound on heap and not only on payload.
 */
final class Footprint {

    /** An array's header: mark word, class pointer, length. */
    private static final int ARRAY_HEADER = 16;

    /** A {@code String} object without its byte array (header, hash, coder, flags, array reference). */
    private static final int STRING = 24;

    /**
     * The store's own bookkeeping for one entry: its node (48 bytes), the {@code LinkedHashMap} entry
     * that orders it by use (40), its share of the hash table (4-byte slots, 1.3 to 2.7 of them per
     * entry at the default load factor; counted as 16) and the {@code TreeMap} entry that orders it by
     * expiry (40).
     */
    static final int PER_ENTRY = 144;

    /**
     * One session's entry in the index by user: its membership record (32 bytes: owner, creation
     * time, last use), the {@code Instant} it was created at (24), the {@code LinkedHashMap} entry in
     * its principal's map (40) and that entry's share of the map's table (16, as for
     * {@link #PER_ENTRY}). The id is the session's own string, not a copy.
     */
    static final int INDEX_ENTRY = 112;

    /**
     * A principal's record in the index by user, without its name: the record (24 bytes), its
     * {@code LinkedHashMap} (56) with the smallest table (80), and its entry in the map of principals
     * (32) with that entry's share of the table (16).
     */
    static final int PRINCIPAL = 208;

    /**
     * G1's region size, or 0 under another collector. G1 gives an array of half a region or more
     * (a "humongous" object) whole regions of its own: with a 1 GiB heap a 600 KB session occupies
     * 1 MiB. Weighing that rounding keeps sessions of awkward sizes from taking twice the bound.
     */
    private static final long G1_REGION = g1RegionBytes();

    private Footprint() {
    }

    /**
     * Returns the weight of an entry: the session's bytes, the id, and the bookkeeping.
     *
     * @param id the session id; made of cookie-safe characters, so stored one byte a character
     * @param dataLength the length of the stored array
     * @return the weight in bytes, at least {@link #PER_ENTRY}
     */
    static long of(String id, int dataLength) {
        return byteArray(dataLength) + STRING + byteArray(id.length()) + PER_ENTRY;
    }

    /**
     * Returns the weight of a principal's record in the index by user, its name included. The record
     * exists while the principal has at least one indexed session.
     *
     * @param principal the principal's name, of any length and characters
     * @return the weight in bytes, more than {@link #PRINCIPAL}
     */
    static long principal(String principal) {
        return PRINCIPAL + STRING + byteArray(latin1(principal) ? principal.length() : 2L * principal.length());
    }

    /**
     * Returns the heap a byte array of this length occupies.
     *
     * @param length the array's length
     * @return its size, rounded up to whole G1 regions where G1 would do so
     */
    static long byteArray(long length) {
        long size = align8(ARRAY_HEADER + length);
        if (G1_REGION > 0 && size >= G1_REGION / 2) {
            size = (size + G1_REGION - 1) / G1_REGION * G1_REGION;
        }
        return size;
    }

    /**
     * Returns the G1 region size this JVM runs with.
     *
     * @return bytes, or 0 when G1 is not in use or the JVM does not say
     */
    static long g1Region() {
        return G1_REGION;
    }

    /** Whether a compact string stores this one a byte a character, as it does when all fit in Latin-1. */
    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static long align8(long size) {
        return (size + 7) & ~7L;
    }

    private static long g1RegionBytes() {
        try {
            var hotSpot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotSpot == null || !Boolean.parseBoolean(hotSpot.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(hotSpot.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or a runtime image without java.management or jdk.management: weigh
            // without the rounding rather than fail to start.
            return 0;
        }
    }
}
