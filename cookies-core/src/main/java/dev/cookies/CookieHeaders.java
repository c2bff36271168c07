package dev.cookies;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code Cookie} request headers leniently and without ever throwing: malformed pairs are
 * skipped, quotes around a value are removed, and only the names asked for are collected, each up to
 * a small number of values, so hostile headers cost bounded work and memory.
 */
final class CookieHeaders {

    private CookieHeaders() {
    }

    static Map<String, List<String>> values(List<String> headers, Set<String> names, int maxPerName, int maxValueLength) {
        Map<String, List<String>> found = new HashMap<>();
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            int pos = 0;
            int length = header.length();
            while (pos < length) {
                int end = header.indexOf(';', pos);
                if (end < 0) {
                    end = length;
                }
                int eq = header.indexOf('=', pos);
                if (eq > pos && eq < end) {
                    String name = trim(header, pos, eq);
                    if (names.contains(name)) {
                        List<String> list = found.computeIfAbsent(name, n -> new ArrayList<>(2));
                        String value = trim(header, eq + 1, end);
                        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                            value = value.substring(1, value.length() - 1);
                        }
                        if (list.size() < maxPerName && value.length() <= maxValueLength && !value.isEmpty()) {
                            list.add(value);
                        }
                    }
                }
                pos = end + 1;
            }
        }
        return found;
    }

    private static String trim(String s, int from, int to) {
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
