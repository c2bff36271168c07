package dev.cookies;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core's own form of a session for an in-process store ({@link dev.cookies.spi.ObjectStore}): a
 * compact binary encoding of plain values and bookkeeping that never leaves the process, so it needs
 * neither JSON's text nor a parser's generality. Reading it costs a walk over the bytes, not a JSON
 * parse; it is smaller than the JSON of the same session; its arrays are never changed after they are
 * made, so a store may keep and hand back the same instance.
 *
 * <p>Layout: a magic byte, the owning manager's name, the bookkeeping (times as var-longs), then the
 * data as a map. Values carry a one-byte tag: null, false, true, int and long (zig-zag var-longs),
 * double (8 bytes), big integer and big decimal (as their decimal text), string (var-int length and
 * UTF-8), list and map (var-int size and members).
 */
final class Compact {

    /** Cannot start a JSON text, so a store's bytes of either kind are told apart. */
    static final byte MAGIC = (byte) 0xC5;

    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte BIG_INTEGER = 6;
    private static final byte BIG_DECIMAL = 7;
    private static final byte STRING = 8;
    private static final byte LIST = 9;
    private static final byte MAP = 10;

    private Compact() {
    }

    static boolean isCompact(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == MAGIC;
    }

    // ---- writing

    /** The largest scratch buffer a thread keeps between encodings; larger sessions use their own. */
    private static final int SCRATCH_KEPT = 16 * 1024;

    /** Each thread's scratch buffer, so that an encoding allocates only its exact result. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

    static byte[] encode(String owner, Map<String, Object> data, Meta meta) {
        byte[] scratch = SCRATCH.get();
        Out out = new Out(scratch);
        out.put(MAGIC);
        out.string(owner);
        out.varLong(meta.created());
        out.varLong(meta.refreshed());
        out.varLong(meta.ttlSeconds());
        out.put((byte) meta.persistent());
        out.varLong(meta.absoluteSeconds());
        out.nullableString(meta.principal());
        out.nullableString(meta.nonce());
        out.map(data);
        byte[] result = Arrays.copyOf(out.buf, out.len);
        if (out.buf != scratch && out.buf.length <= SCRATCH_KEPT) {
            SCRATCH.set(out.buf); // it grew: keep the larger one
        }
        return result;
    }

    /** Up to this length a string's characters are tested one by one; longer ones go to the JDK's encoder. */
    private static final int SHORT = 32;

    /** A growable byte buffer with the writes the layout needs. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(byte[] scratch) {
            buf = scratch;
        }

        void put(byte b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.max(16, buf.length * 2));
            }
            buf[len++] = b;
        }

        void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
            }
        }

        void varLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void zigzag(long v) {
            varLong((v << 1) ^ (v >> 63));
        }

        @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the fast copy of ASCII characters
        void string(String s) {
            int n = s.length();
            if (n <= SHORT) {
                // Short strings (keys, small values): test each character, then copy them in place.
                boolean ascii = true;
                for (int i = 0; i < n; i++) {
                    if (s.charAt(i) >= 0x80) {
                        ascii = false;
                        break;
                    }
                }
                if (ascii) {
                    varLong(n);
                    ensure(n);
                    s.getBytes(0, n, buf, len);
                    len += n;
                    return;
                }
            }
            // The JDK's UTF-8 encoder tests and copies a long ASCII string in vectorised loops.
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
        }

        void nullableString(String s) {
            if (s == null) {
                put((byte) 0);
            } else {
                put((byte) 1);
                string(s);
            }
        }

        void map(Map<?, ?> map) {
            varLong(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                string(String.valueOf(e.getKey()));
                value(e.getValue());
            }
        }

        void value(Object v) {
            if (v == null) {
                put(NULL);
            } else if (v instanceof String) {
                put(STRING);
                string((String) v);
            } else if (v instanceof Integer) {
                put(INT);
                zigzag((Integer) v);
            } else if (v instanceof Boolean) {
                put((Boolean) v ? TRUE : FALSE);
            } else if (v instanceof Long) {
                put(LONG);
                zigzag((Long) v);
            } else if (v instanceof Double) {
                put(DOUBLE);
                long bits = Double.doubleToRawLongBits((Double) v);
                ensure(8);
                for (int i = 0; i < 8; i++) {
                    buf[len++] = (byte) (bits >>> (56 - 8 * i));
                }
            } else if (v instanceof BigInteger) {
                put(BIG_INTEGER);
                string(v.toString());
            } else if (v instanceof BigDecimal) {
                put(BIG_DECIMAL);
                string(v.toString());
            } else if (v instanceof Map) {
                put(MAP);
                map((Map<?, ?>) v);
            } else if (v instanceof List) {
                put(LIST);
                List<?> list = (List<?>) v;
                varLong(list.size());
                for (Object o : list) {
                    value(o);
                }
            } else {
                throw new IllegalArgumentException("not a plain JSON value: " + v.getClass().getName());
            }
        }
    }

    // ---- reading

    /** A session read back: its owner, its data (values frozen) and its bookkeeping. */
    record Read(String owner, Map<String, Object> data, Meta meta) {
    }

    /**
     * Reads a session back. When its owner is {@code expectedOwner} (given with its UTF-8 bytes), the
     * owner read is that very instance, so the caller's test costs no string.
     */
    static Read decode(byte[] bytes, String expectedOwner, byte[] expectedOwnerUtf8) {
        In in = new In(bytes);
        if (in.get() != MAGIC) {
            throw new IllegalArgumentException("not the core's compact form");
        }
        String owner = in.string(expectedOwner, expectedOwnerUtf8);
        Meta meta = new Meta(in.varLong(), in.varLong(), in.varLong(), in.get(), in.varLong(), in.nullableString(),
                in.nullableString());
        int size = in.size();
        Map<String, Object> data = new LinkedHashMap<>(Math.max(4, size * 2));
        for (int i = 0; i < size; i++) {
            data.put(in.key(), in.value());
        }
        return new Read(owner, data, meta);
    }

    /** The longest key kept in {@link #KEYS}. */
    private static final int KEY_LENGTH = 32;

    /**
     * Keys decoded lately, by a hash of their bytes: one slot each, a newer key replacing an older one.
     * Shared by every thread without a lock: a slot holds a whole immutable string or another, and a
     * reader compares the string it finds before using it, so a race costs at most a string made anew.
     */
    private static final String[] KEYS = new String[256];

    /** A cursor over bytes this class wrote. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        byte get() {
            return buf[pos++];
        }

        long varLong() {
            long v = 0;
            int shift = 0;
            byte b;
            do {
                b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0 && shift < 70);
            return v;
        }

        long zigzag() {
            long v = varLong();
            return (v >>> 1) ^ -(v & 1);
        }

        int size() {
            long n = varLong();
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("bad length in the compact form");
            }
            return (int) n;
        }

        String string() {
            return utf8(size());
        }

        /** The next {@code n} bytes as UTF-8. */
        private String utf8(int n) {
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** {@code known} itself if the next string is its UTF-8 bytes, else the string read. */
        String string(String known, byte[] knownUtf8) {
            int n = size();
            if (n == knownUtf8.length && Arrays.equals(buf, pos, pos + n, knownUtf8, 0, n)) {
                pos += n;
                return known;
            }
            return utf8(n);
        }

        /**
         * A map's key: a short ASCII key seen before is the same instance as then (see {@link #KEYS}),
         * so a session's keys cost no string, and their hash is already known to the map.
         */
        String key() {
            int n = size();
            if (n > KEY_LENGTH) {
                return utf8(n);
            }
            int hash = n;
            for (int i = pos; i < pos + n; i++) {
                byte b = buf[i];
                if (b < 0) {
                    return utf8(n); // not ASCII: decoded, and not kept
                }
                hash = 31 * hash + b;
            }
            int slot = (hash ^ (hash >>> 7)) & (KEYS.length - 1);
            String known = KEYS[slot];
            if (known != null && known.length() == n && sameAscii(known, n)) {
                pos += n;
                return known;
            }
            @SuppressWarnings("deprecation") // String(byte[], int, int, int): ASCII bytes, copied as they are
            String s = new String(buf, 0, pos, n);
            KEYS[slot] = s;
            pos += n;
            return s;
        }

        private boolean sameAscii(String known, int n) {
            for (int i = 0; i < n; i++) {
                if (known.charAt(i) != buf[pos + i]) {
                    return false;
                }
            }
            return true;
        }

        String nullableString() {
            return get() == 0 ? null : string();
        }

        Object value() {
            byte tag = get();
            switch (tag) {
                case NULL:
                    return null;
                case FALSE:
                    return Boolean.FALSE;
                case TRUE:
                    return Boolean.TRUE;
                case INT:
                    return (int) zigzag();
                case LONG:
                    return zigzag();
                case DOUBLE: {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (buf[pos++] & 0xFF);
                    }
                    return Double.longBitsToDouble(bits);
                }
                case BIG_INTEGER:
                    return new BigInteger(string());
                case BIG_DECIMAL:
                    return new BigDecimal(string());
                case STRING:
                    return string();
                case LIST: {
                    int n = size();
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value());
                    }
                    return Collections.unmodifiableList(list);
                }
                case MAP: {
                    int n = size();
                    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
                    for (int i = 0; i < n; i++) {
                        map.put(key(), value());
                    }
                    return Collections.unmodifiableMap(map);
                }
                default:
                    throw new IllegalArgumentException("unknown tag " + tag + " in the compact form");
            }
        }
    }
}
