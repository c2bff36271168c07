package dev.cookies;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code Cookie} request headers leniently and without ever throwing: malformed pairs are
 * skipped, quotes around a value are removed, and only the names asked for are collected, each up to
 * a small number of values.
 *
 * <p>The work is linear in the length of the headers whatever their shape: each character is looked
 * at a bounded number of times (once to find each pair's first {@code =} and its {@code ;}, and at
 * most once more when a pair's name is compared or its value trimmed), and a string is made only for the
 * value of a name asked for.
 */
final class CookieHeaders {

    private CookieHeaders() {
    }

    /**
     * The values of each wanted name, at the name's index, at most {@code maxPerName} of them:
     * {@code null} where the name did not occur, an empty list where it occurred only with empty values
     * or values longer than {@code maxValueLength}.
     */
    static List<String>[] values(List<String> headers, String[] wanted, int maxPerName, int maxValueLength) {
        @SuppressWarnings("unchecked")
        List<String>[] found = new List[wanted.length];
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            // A pair's name is scanned a character at a time up to its '=' or ';' (names are short, and a
            // header of nothing but ';' then costs no call per pair); a value's end is found with
            // indexOf, which the JDK vectorises (values are long: a session id is 43 characters).
            int length = header.length();
            int pos = 0;
            while (pos < length) {
                int eq = pos;
                char c = 0;
                while (eq < length && (c = header.charAt(eq)) != '=' && c != ';') {
                    eq++;
                }
                if (eq == length) {
                    break; // a last pair without '='
                }
                if (c == ';') {
                    pos = eq + 1; // a pair without '='
                    continue;
                }
                int end = header.indexOf(';', eq + 1);
                if (end < 0) {
                    end = length;
                }
                if (eq > pos) {
                    collect(header, pos, eq, end, wanted, found, maxPerName, maxValueLength);
                }
                pos = end + 1;
            }
        }
        return found;
    }

    /** Collects the pair {@code header[from, end)} whose first {@code =} is at {@code eq}, if its name is wanted. */
    private static void collect(String header, int from, int eq, int end, String[] wanted, List<String>[] found,
            int maxPerName, int maxValueLength) {
        int index = match(header, from, eq, wanted);
        if (index < 0) {
            return;
        }
        List<String> list = found[index];
        if (list == null) {
            list = found[index] = new ArrayList<>(2);
        }
        int valueFrom = skipWhitespace(header, eq + 1, end);
        int valueTo = trimEnd(header, valueFrom, end);
        if (valueTo - valueFrom >= 2 && header.charAt(valueFrom) == '"' && header.charAt(valueTo - 1) == '"') {
            valueFrom++;
            valueTo--;
        }
        if (list.size() < maxPerName && valueTo > valueFrom && valueTo - valueFrom <= maxValueLength) {
            list.add(header.substring(valueFrom, valueTo));
        }
    }

    /** Returns the index of the wanted name that {@code header[from, to)} spells, blanks around it ignored, or -1. */
    private static int match(String header, int from, int to, String[] wanted) {
        from = skipWhitespace(header, from, to);
        to = trimEnd(header, from, to);
        int length = to - from;
        for (int i = 0; i < wanted.length; i++) {
            String name = wanted[i];
            if (name.length() == length && header.regionMatches(from, name, 0, length)) {
                return i;
            }
        }
        return -1;
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
