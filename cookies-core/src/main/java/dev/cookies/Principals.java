package dev.cookies;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** The default principal name of a user object: the user itself if a string or number, else a name-like field. */
final class Principals {

    private static final String[] NAMES = {"username", "name", "email", "id"};

    private Principals() {
    }

    static String of(Object user) {
        if (user instanceof CharSequence || user instanceof Number) {
            return user.toString();
        }
        if (user instanceof Map) {
            for (String key : NAMES) {
                Object value = ((Map<?, ?>) user).get(key);
                if (value instanceof CharSequence || value instanceof Number) {
                    return value.toString();
                }
            }
            return null;
        }
        if (user != null && user.getClass().isRecord()) {
            for (String key : NAMES) {
                for (RecordComponent c : user.getClass().getRecordComponents()) {
                    if (c.getName().equals(key)) {
                        Object value = invoke(c.getAccessor(), user);
                        if (value instanceof CharSequence || value instanceof Number) {
                            return value.toString();
                        }
                    }
                }
            }
        }
        return null;
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // an accessor we may not call (a record in a closed module): no principal
        }
    }
}
