package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet in README.md and docs/*.md compiles against the library as built, or is a verbatim
 * cut of a compiled source file.
 *
 * <p>Each {@code ```java} block is, by the HTML comment on the line before it (invisible on GitHub):
 * <ul>
 *   <li>{@code <!-- from: path/to/File.java -->}: its lines must appear, in order and together, in that
 *       file (leading and trailing blanks of each line ignored);</li>
 *   <li>{@code <!-- java: Type name; Type other -->}: statements, compiled as a method body given those
 *       parameters;</li>
 *   <li>{@code <!-- java: members -->}: fields, methods or nested types, compiled as a class body;</li>
 *   <li>no comment: statements with no parameters.</li>
 * </ul>
 * Every snippet sees the imports in {@link #IMPORTS}: the library's packages, the frameworks', java.time
 * and java.util. Only what is on this module's test class path can be compiled: cookies-store-jdbc,
 * cookies-micrometer and undertow-servlet are not, so a snippet that uses them is a cut of a file in
 * their own modules, which their builds compile.
 */
class DocsSnippetsTest {

    static final String IMPORTS = String.join("\n",
            "import dev.cookies.*;",
            "import dev.cookies.spi.*;",
            "import dev.cookies.Sessions;",
            "import dev.cookies.SessionManager;",
            "import dev.cookies.Session;",
            "import dev.cookies.store.memory.*;",
            "import dev.cookies.store.redis.*;",
            "import dev.cookies.store.cookie.*;",
            "import dev.cookies.servlet.*;",
            "import dev.cookies.javalin.*;",
            "import dev.cookies.undertow.*;",
            // Jetty's ee10 package has a SessionHandler too: the Undertow adapter's is the one snippets mean.
            "import dev.cookies.undertow.SessionHandler;",
            "import dev.cookies.testkit.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.function.*;",
            "import java.io.IOException;",
            "import jakarta.servlet.*;",
            "import jakarta.servlet.http.*;",
            "import io.javalin.Javalin;",
            "import io.javalin.http.Context;",
            "import io.javalin.http.Handler;",
            "import io.undertow.Undertow;",
            "import io.undertow.Handlers;",
            "import io.undertow.server.HttpHandler;",
            "import io.undertow.server.HttpServerExchange;",
            "import io.undertow.server.RoutingHandler;",
            "import io.undertow.server.handlers.RedirectHandler;",
            "import io.undertow.util.Headers;",
            "import org.eclipse.jetty.ee10.servlet.*;",
            "import com.fasterxml.jackson.core.type.TypeReference;",
            "import com.fasterxml.jackson.databind.ObjectMapper;",
            "import com.fasterxml.jackson.databind.SerializationFeature;",
            "import com.fasterxml.jackson.databind.json.JsonMapper;",
            "import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;");

    private static final Pattern DIRECTIVE = Pattern.compile("^<!--\\s*(from|java):\\s*(.*?)\\s*-->\\s*$");

    /** An opening code fence as CommonMark has it: three or more backticks or tildes, then the info string. */
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*([^\\s`]*).*$");

    /** A Java block of a markdown file: where it is, what the line before it says, and its text. */
    record Snippet(Path file, int line, String kind, String argument, String code) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(root().resolve("README.md")));
        try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
            files.addAll(docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
        }
        List<Snippet> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                // Every fenced block is walked to its end, whatever its language, so that a fence inside
                // another block is not taken for one; "```Java", "``` java" and "~~~java" are Java too.
                Matcher fence = FENCE.matcher(lines.get(i));
                if (!fence.matches()) {
                    continue;
                }
                String marker = fence.group(1);
                boolean java = fence.group(2).equalsIgnoreCase("java");
                Matcher d = i > 0 ? DIRECTIVE.matcher(lines.get(i - 1).trim()) : DIRECTIVE.matcher("");
                String kind = d.matches() ? d.group(1) : "java";
                String argument = d.matches() ? d.group(2) : "";
                StringBuilder code = new StringBuilder();
                int start = i + 1;
                for (i = start; i < lines.size() && !closes(lines.get(i), marker); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                if (java) {
                    found.add(new Snippet(file, start, kind, argument, i < lines.size() ? code.toString() : null));
                }
            }
        }
        return found;
    }

    /** Whether a line closes a block opened by {@code marker}: the same character, at least as many, nothing else. */
    private static boolean closes(String line, String marker) {
        String t = line.strip();
        return t.length() >= marker.length() && t.chars().allMatch(c -> c == marker.charAt(0));
    }

    @Test
    @DisplayName("every Java snippet in the README and docs compiles against the library, or is cut from a compiled source")
    void snippetsCompile(@TempDir Path out) throws IOException {
        List<Snippet> all = snippets();
        assertTrue(all.size() > 20, "found only " + all.size() + " snippets: is the parser still finding them?");
        List<String> failures = new ArrayList<>();
        List<JavaFileObject> units = new ArrayList<>();
        List<Snippet> compiled = new ArrayList<>();
        for (Snippet s : all) {
            if (s.code() == null) {
                failures.add(s.where() + ": the block has no closing fence");
            } else if (s.code().isBlank()) {
                failures.add(s.where() + ": the block is empty");
            } else if (s.kind().equals("from")) {
                checkCut(s, failures);
            } else {
                units.add(source("Snippet" + compiled.size(), wrap("Snippet" + compiled.size(), s)));
                compiled.add(s);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        // Attribute every snippet even when one does not parse, and report every error, not the first 100.
        javac.getTask(log, null, diagnostics, List.of("-proc:none", "-XDshould-stop.ifError=FLOW", "-Xmaxerrs",
                "100000", "-d", out.toString(), "-classpath", System.getProperty("java.class.path")), null, units).call();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() == null) {
                failures.add("javac: " + d.getMessage(Locale.ROOT));
            } else if (d.getKind() == Diagnostic.Kind.ERROR) {
                String name = d.getSource().getName();
                int index = Integer.parseInt(name.replaceAll(".*Snippet(\\d+)\\.java$", "$1"));
                failures.add(compiled.get(index).where() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertEquals(List.of(), failures, "snippets that do not compile or do not match their source");
    }

    private static void checkCut(Snippet s, List<String> failures) throws IOException {
        Path source = root().resolve(s.argument());
        if (!Files.exists(source)) {
            failures.add(s.where() + ": cut from " + s.argument() + ", which does not exist");
            return;
        }
        String file = normalize(Files.readString(source, StandardCharsets.UTF_8));
        if (!file.contains(normalize(s.code()))) {
            failures.add(s.where() + ": no longer matches " + s.argument());
        }
    }

    private static String normalize(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n", "\n", "\n"));
    }

    private static String wrap(String name, Snippet s) {
        String header = "package snippets;\n" + IMPORTS + "\n@SuppressWarnings(\"all\")\nclass " + name + " {\n";
        if (s.argument().equals("members")) {
            return header + s.code() + "\n}\n";
        }
        String parameters = s.argument().isBlank() ? "" : String.join(", ", s.argument().split("\\s*;\\s*"));
        return header + "void snippet(" + parameters + ") throws Exception {\n" + s.code() + "\n}\n}\n";
    }

    private static JavaFileObject source(String name, String code) {
        return new SimpleJavaFileObject(URI.create("string:///snippets/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
