package dev.cookies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Makes plain JSON values deeply unmodifiable, so values handed out can be shared without copying. */
final class Plain {
    private Plain() {
    }

    static Object freeze(Object value) {
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(String.valueOf(e.getKey()), freeze(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(freeze(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    static void freezeValues(Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) {
                e.setValue(freeze(v));
            }
        }
    }

    /** The length of a plain value's JSON, reckoned without writing it (strings as UTF-8, with escapes). */
    static long jsonLength(Object value) {
        if (value instanceof String) {
            String s = (String) value;
            long n = 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                n += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }
        if (value instanceof Map) {
            long n = 2;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                n += jsonLength(String.valueOf(e.getKey())) + 2 + jsonLength(e.getValue());
            }
            return n;
        }
        if (value instanceof List) {
            long n = 2;
            for (Object o : (List<?>) value) {
                n += jsonLength(o) + 1;
            }
            return n;
        }
        return String.valueOf(value).length();
    }
}
