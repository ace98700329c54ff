package dev.hmemu.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that a file an option names can be written. */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * @param option the option's name for the message, e.g. {@code --json}
     * @throws UsageException naming the reason when {@code file} cannot be written
     */
    static void checkWritable(Path file, String option) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UsageException(option + " " + file + ": is a directory");
        }
        if (Files.exists(abs)) {
            if (!Files.isRegularFile(abs)) {
                throw new UsageException(option + " " + file + ": not a regular file");
            }
            if (!Files.isWritable(abs)) {
                throw new UsageException(option + " " + file + ": not writable (permission denied)");
            }
            return;
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException(option + " " + file + ": no such directory " + dir);
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException(option + " " + file + ": cannot create a file in " + dir + " (permission denied)");
        }
    }
}
