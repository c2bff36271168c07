package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build fails on a package cycle: the compiled classes' package dependencies, as the JDK's
 * {@code jdeps} reads them from the bytecode, must form no cycle, and the SPI must not depend on the
 * API (the API uses the SPI, never the other way round).
 */
class PackageCyclesTest {

    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    @DisplayName("the core's packages form no cycle, and dev.cookies.spi depends on nothing else of the library")
    void noCycles(@TempDir Path work) throws IOException {
        Map<String, Set<String>> graph = dependencies(Path.of("target/classes"), work, "dev.cookies");
        assertEquals(Set.of("dev.cookies", "dev.cookies.spi"), graph.keySet(), "the core's packages");
        assertEquals(List.of(), cycles(graph), "package cycles");
        assertEquals(Set.of(), graph.get("dev.cookies.spi"), "what dev.cookies.spi depends on");
        assertEquals(Set.of("dev.cookies.spi"), graph.get("dev.cookies"));
    }

    @Test
    @DisplayName("the check finds a cycle when there is one, and none in a chain")
    void finderWorks() {
        Map<String, Set<String>> cyclic = new TreeMap<>();
        cyclic.put("a", Set.of("b"));
        cyclic.put("b", Set.of("c"));
        cyclic.put("c", Set.of("a"));
        cyclic.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(cyclic));
        Map<String, Set<String>> chain = new TreeMap<>();
        chain.put("a", Set.of("b"));
        chain.put("b", Set.of("c"));
        chain.put("c", Set.of());
        assertEquals(List.of(), cycles(chain));
    }

    /**
     * Reads the package dependencies among packages under {@code prefix} from compiled classes, with
     * {@code jdeps} (run on a copy without {@code module-info.class}, so that it needs no module path).
     * Each package maps to the other packages it uses; a package's use of itself is left out.
     */
    static Map<String, Set<String>> dependencies(Path classes, Path work, String prefix) throws IOException {
        assertTrue(Files.isDirectory(classes), classes + " is not compiled");
        Path copy = work.resolve("classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class")) {
                    Path target = copy.resolve(classes.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", copy.toString());
        assertEquals(0, status, "jdeps failed: " + err);
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && under(m.group(1), prefix)) {
                Set<String> uses = graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (under(m.group(2), prefix) && !m.group(2).equals(m.group(1))) {
                    uses.add(m.group(2));
                }
            }
        }
        return graph;
    }

    private static boolean under(String pkg, String prefix) {
        return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
    }

    /** Returns every group of packages that depend on each other (Tarjan's strongly connected components), sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> found = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, found);
            }
        }
        found.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return found;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            TreeSet<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(new ArrayList<>(component));
            }
        }
    }
}
