package dev.hmemu.emulator.engine.unicorn;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JNA's default library search path, set before JNA computes it. On Linux JNA otherwise
 * runs {@code /sbin/ldconfig -p} in a child process on first use to collect the folders of
 * the linker cache (some tens of milliseconds of every start-up). The same folders are
 * read here from the linker's configuration ({@code /etc/ld.so.conf} and the files it
 * includes), after the standard ones; none of it starts a process.
 */
final class JnaSearchPath {
    private static final String PROPERTY = "jna.platform.library.path";
    private static final List<String> STANDARD = List.of("/usr/local/lib", "/usr/local/lib/x86_64-linux-gnu",
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/local/lib64", "/usr/lib64", "/lib64",
            "/usr/lib", "/lib");
    /** How deep include lines are followed (a loop in the configuration stops there). */
    private static final int MAX_INCLUDE_DEPTH = 4;

    private JnaSearchPath() {
    }

    /** Sets the property unless the user did; call before the first use of JNA's NativeLibrary. */
    static synchronized void setDefault() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        Set<String> folders = new LinkedHashSet<>(STANDARD);
        folders.addAll(configured(Path.of("/etc/ld.so.conf")));
        List<String> present = new ArrayList<>();
        for (String f : folders) {
            if (new File(f).isDirectory()) {
                present.add(f);
            }
        }
        System.setProperty(PROPERTY, String.join(File.pathSeparator, present));
    }

    /** The folders a linker configuration file names, following its include lines. */
    static List<String> configured(Path file) {
        return configured(file, 0);
    }

    private static List<String> configured(Path file, int depth) {
        List<String> out = new ArrayList<>();
        if (depth > MAX_INCLUDE_DEPTH || !Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return out; // unreadable: the standard folders and the linker's own search remain
        }
        for (String raw : lines) {
            // plain string work, no regular expressions: this runs at every start-up, before the JIT
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).trim();
            if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7))) {
                out.addAll(included(line.substring(7).trim(), file.getParent(), depth));
            } else if (line.startsWith("/")) {
                out.add(firstWord(line));
            }
        }
        return out;
    }

    private static String firstWord(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** The files an include line's pattern (e.g. /etc/ld.so.conf.d/*.conf) matches, in name order. */
    private static List<String> included(String pattern, Path base, int depth) {
        List<String> out = new ArrayList<>();
        Path p = base == null ? Path.of(pattern) : base.resolve(pattern);
        Path dir = p.getParent();
        String[] names = dir == null ? null : dir.toFile().list();
        if (names == null || p.getFileName() == null) {
            return out;
        }
        String glob = p.getFileName().toString();
        // bracket classes are rare in linker configurations: the JDK's glob matcher for those
        PathMatcher classes = glob.indexOf('[') >= 0 ? FileSystems.getDefault().getPathMatcher("glob:" + glob) : null;
        Arrays.sort(names);
        for (String name : names) {
            if (name.startsWith(".") && !glob.startsWith(".")) {
                continue; // as glob(3) without GLOB_PERIOD: a wildcard does not match a leading dot
            }
            if (classes != null ? classes.matches(Path.of(name)) : matches(glob, 0, name, 0)) {
                out.addAll(configured(dir.resolve(name), depth + 1));
            }
        }
        return out;
    }

    /** Whether {@code name} from {@code n} matches {@code glob} from {@code g} ('*' and '?' wildcards). */
    static boolean matches(String glob, int g, String name, int n) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int k = n; k <= name.length(); k++) {
                    if (matches(glob, g + 1, name, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length() || (c != '?' && c != name.charAt(n))) {
                return false;
            }
            g++;
            n++;
        }
        return n == name.length();
    }
}
