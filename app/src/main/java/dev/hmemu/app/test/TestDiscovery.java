package dev.hmemu.app.test;

import dev.hmemu.app.UsageException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds the tests under the given paths: every {@code *.c} and {@code *.elf} in folders, files as given. */
final class TestDiscovery {
    private TestDiscovery() {
    }

    private static boolean sameFolder(TestFile a, TestFile b) {
        return a.path().toAbsolutePath().getParent().equals(b.path().toAbsolutePath().getParent());
    }

    /**
     * @param filter a glob on test names, or null
     * @return the tests in a stable order (sorted by path within a folder, arguments in order)
     */
    static List<TestFile> find(List<Path> paths, String filter) {
        PathMatcher match = filter == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + filter);
        Map<String, TestFile> byName = new LinkedHashMap<>();
        for (Path p : paths) {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> f.toString().endsWith(".c") || f.toString().endsWith(".elf"))
                            .sorted(Comparator.comparing(Path::toString)).forEach(files::add);
                } catch (IOException e) {
                    throw new UsageException("cannot list " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException(p + ": no such file or folder");
            }
            for (Path f : files) {
                TestFile t = TestFile.of(f);
                if (match != null && !match.matches(Path.of(t.name()))) {
                    continue;
                }
                TestFile prev = byName.putIfAbsent(t.name(), t);
                if (prev != null && prev.source() && !t.source() && sameFolder(prev, t)) {
                    continue; // foo.elf built from foo.c next to it: the source wins
                }
                if (prev != null && !prev.path().equals(t.path())) {
                    throw new UsageException("two tests named " + t.name() + ": " + prev.path() + " and " + t.path());
                }
            }
        }
        return List.copyOf(byName.values());
    }
}
