package dev.hmemu.emulator.engine.unicorn;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        folders.addAll(configured(Path.of("/etc/ld.so.conf"), 0));
        List<String> present = new ArrayList<>();
        for (String f : folders) {
            if (new File(f).isDirectory()) {
                present.add(f);
            }
        }
        System.setProperty(PROPERTY, String.join(File.pathSeparator, present));
    }

    /** The folders a linker configuration file names, following its include lines. */
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
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.startsWith("include ")) {
                out.addAll(included(line.substring("include ".length()).trim(), file.getParent(), depth));
            } else if (line.startsWith("/")) {
                out.add(line.split("\\s+")[0]);
            }
        }
        return out;
    }

    /** The files an include line's pattern (e.g. /etc/ld.so.conf.d/*.conf) matches, in name order. */
    private static List<String> included(String pattern, Path base, int depth) {
        List<String> out = new ArrayList<>();
        Path p = base == null ? Path.of(pattern) : base.resolve(pattern);
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p.getFileName().toString())) {
            ds.forEach(files::add);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        files.sort(null);
        for (Path f : files) {
            out.addAll(configured(f, depth + 1));
        }
        return out;
    }
}
