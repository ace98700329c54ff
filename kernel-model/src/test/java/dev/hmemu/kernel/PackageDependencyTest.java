package dev.hmemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kernel-model's packages form a layered graph: no package cycles, and nothing depends on
 * the root package (where only {@link Kernel}, which wires everything, lives). A small
 * import checker over the main sources: every reference to a {@code dev.hmemu.kernel}
 * type outside comments (imports and qualified names alike) is an edge.
 */
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final String ROOT = "dev.hmemu.kernel";
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.hmemu\\.kernel(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void kernelModelHasNoPackageCycles() {
        Map<String, Set<String>> deps = dependencies(readSources());
        assertTrue(deps.size() > 8, "found the kernel-model packages: " + deps.keySet());
        assertEquals(List.of(), cycles(deps), "package cycles in kernel-model: " + deps);
    }

    @Test
    void onlyTheKernelLivesInTheRootPackageAndNothingDependsOnIt() {
        Map<Path, String> sources = readSources();
        List<String> rootTypes = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (packageOf(text).equals(ROOT)) {
                rootTypes.add(file.getFileName().toString());
            }
        });
        assertEquals(List.of("Kernel.java"), rootTypes);
        dependencies(sources).forEach((pkg, to) -> assertTrue(pkg.equals(ROOT) || !to.contains(ROOT),
                pkg + " depends on the root package"));
    }

    @Test
    void theCheckerFindsACycleThroughQualifiedNamesAndIgnoresComments() {
        Map<Path, String> sources = new TreeMap<>();
        sources.put(Path.of("a/A.java"), "package dev.hmemu.kernel.a;\nimport dev.hmemu.kernel.b.B;\nclass A {}\n");
        sources.put(Path.of("b/B.java"), "package dev.hmemu.kernel.b;\n/** see {@link dev.hmemu.kernel.c.C} */\n"
                + "class B { dev.hmemu.kernel.c.C c; String s = \"// not a comment\"; }\n");
        sources.put(Path.of("c/C.java"), "package dev.hmemu.kernel.c;\n// dev.hmemu.kernel.b.B in a comment\n"
                + "class C { Object o = dev.hmemu.kernel.a.A.class; }\n");
        sources.put(Path.of("d/D.java"), "package dev.hmemu.kernel.d;\n/* dev.hmemu.kernel.a.A */ class D {}\n");
        Map<String, Set<String>> deps = dependencies(sources);
        assertEquals(Set.of(), deps.get("dev.hmemu.kernel.d"));
        assertEquals(List.of(List.of("dev.hmemu.kernel.a", "dev.hmemu.kernel.b", "dev.hmemu.kernel.c")),
                cycles(deps));
    }

    private static Map<Path, String> readSources() {
        Map<Path, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(f, Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    private static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(stripComments(source));
        return m.find() ? m.group(1) : "";
    }

    /** Package -> the other kernel-model packages it references. */
    static Map<String, Set<String>> dependencies(Map<Path, String> sources) {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String source : sources.values()) {
            String code = stripComments(source);
            String pkg = packageOf(code);
            Set<String> to = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code.substring(code.indexOf(';') + 1));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    to.add(m.group(1));
                }
            }
        }
        return deps;
    }

    /** The cycles of the graph, each as its strongly connected component (sorted); empty when acyclic. */
    static List<List<String>> cycles(Map<String, Set<String>> deps) {
        List<List<String>> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : deps.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            Set<String> component = new TreeSet<>();
            for (String other : deps.keySet()) {
                if (reaches(deps, start, other) && reaches(deps, other, start)) {
                    component.add(other);
                }
            }
            done.addAll(component);
            if (component.size() > 1) {
                found.add(List.copyOf(component));
            }
        }
        return found;
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String to) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String p = todo.remove(todo.size() - 1);
            if (p.equals(to)) {
                return true;
            }
            if (seen.add(p)) {
                todo.addAll(deps.getOrDefault(p, Set.of()));
            }
        }
        return false;
    }

    /** The source with comments blanked out (string and char literals kept). */
    static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(s, i, Math.min(j + 1, s.length()));
                i = j + 1;
            } else if (s.startsWith("//", i)) {
                int j = s.indexOf('\n', i);
                i = j < 0 ? s.length() : j;
            } else if (s.startsWith("/*", i)) {
                int j = s.indexOf("*/", i + 2);
                i = j < 0 ? s.length() : j + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
