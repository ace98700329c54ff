package dev.hmemu.emulator.engine.unicorn;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JNA's default library search path, set before JNA computes it. On Linux JNA otherwise
 * runs {@code /sbin/ldconfig -p} in a child process on first use to collect the paths of
 * the linker cache (some tens of milliseconds of every start-up). The standard library
 * folders are listed instead; a library elsewhere is still found, since JNA then asks the
 * dynamic linker for it by name, which consults the same cache.
 */
final class JnaSearchPath {
    private static final String PROPERTY = "jna.platform.library.path";
    private static final List<String> FOLDERS = List.of("/usr/local/lib", "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib");

    private JnaSearchPath() {
    }

    /** Sets the property unless the user did; call before the first use of JNA's NativeLibrary. */
    static synchronized void setDefault() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, FOLDERS.stream().filter(f -> new File(f).isDirectory())
                    .collect(Collectors.joining(File.pathSeparator)));
        }
    }
}
