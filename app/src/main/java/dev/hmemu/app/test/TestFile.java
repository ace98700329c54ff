package dev.hmemu.app.test;

import java.nio.file.Path;

/**
 * One test: a C source to build or an ELF image to run.
 *
 * @param name   the name in reports: the file name without {@code .c} / {@code .elf}
 * @param path   the file
 * @param source true for a C source
 */
public record TestFile(String name, Path path, boolean source) {
    /** A test for {@code path}: C source when it ends in {@code .c}, else an ELF image. */
    public static TestFile of(Path path) {
        String file = path.getFileName().toString();
        boolean src = file.endsWith(".c");
        String name = src ? file.substring(0, file.length() - 2)
                : file.endsWith(".elf") ? file.substring(0, file.length() - 4) : file;
        return new TestFile(name, path, src);
    }
}
