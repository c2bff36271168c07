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
}
