package dev.cookies;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code Cookie} request headers leniently and without ever throwing: malformed pairs are
 * skipped, quotes around a value are removed, and only the names asked for are collected, each up to
 * a small number of values.
 *
 * <p>The work is linear in the length of the headers whatever their shape: each character is looked
 * at a bounded number of times (the search for a pair's {@code =} stops at its {@code ;}), and a
 * string is made only for the value of a name asked for.
 */
final class CookieHeaders {

    private CookieHeaders() {
    }

    static Map<String, List<String>> values(List<String> headers, Set<String> names, int maxPerName, int maxValueLength) {
        Map<String, List<String>> found = new HashMap<>();
        String[] wanted = names.toArray(new String[0]);
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            int length = header.length();
            int pos = 0;
            while (pos < length) {
                int end = header.indexOf(';', pos);
                if (end < 0) {
                    end = length;
                }
                int eq = pos;
                while (eq < end && header.charAt(eq) != '=') {
                    eq++;
                }
                if (eq > pos && eq < end) {
                    String name = match(header, pos, eq, wanted);
                    if (name != null) {
                        List<String> list = found.computeIfAbsent(name, n -> new ArrayList<>(2));
                        int from = skipWhitespace(header, eq + 1, end);
                        int to = trimEnd(header, from, end);
                        if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
                            from++;
                            to--;
                        }
                        if (list.size() < maxPerName && to > from && to - from <= maxValueLength) {
                            list.add(header.substring(from, to));
                        }
                    }
                }
                pos = end + 1;
            }
        }
        return found;
    }

    /** Returns the wanted name that {@code header[from, to)} spells, blanks around it ignored, or null. */
    private static String match(String header, int from, int to, String[] wanted) {
        from = skipWhitespace(header, from, to);
        to = trimEnd(header, from, to);
        int length = to - from;
        for (String name : wanted) {
            if (name.length() == length && header.regionMatches(from, name, 0, length)) {
                return name;
            }
        }
        return null;
    }

    private static int skipWhitespace(String s, int from, int to) {
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
