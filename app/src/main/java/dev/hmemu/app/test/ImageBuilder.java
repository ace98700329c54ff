package dev.hmemu.app.test;

import dev.hmemu.app.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds test sources with {@code images/build-image.sh}. The guest runtime is compiled
 * once into a cache folder named by the hash of the runtime's files, the build script and
 * the compiler, and linked from there into every test.
 */
final class ImageBuilder {
    /** The outcome of one build: the ELF bytes, or the compiler's messages. */
    record Built(byte[] elf, String error) {
    }

    /** Tests are built like {@code hmemu build} builds them: with frame pointers, for call traces. */
    private static final String FRAME_POINTER = "--frame-pointer";

    private final Path home;
    private final Path outDir;
    private Path runtimeObjects;

    /**
     * @param home   the hmemu project folder (holds images/)
     * @param outDir where the built images go
     */
    ImageBuilder(Path home, Path outDir) {
        this.home = home;
        this.outDir = outDir;
    }

    private Path script() {
        return home.resolve("images/build-image.sh");
    }

    /** The runtime objects, compiled on first use (once per cache key). */
    synchronized Path runtimeObjects() throws IOException, InterruptedException {
        if (runtimeObjects != null) {
            return runtimeObjects;
        }
        Path cache = cacheRoot().resolve("runtime-" + runtimeKey());
        if (!Files.isDirectory(cache)) {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempDirectory(cache.getParent(), "runtime-build-");
            Path objs = tmp.resolve("objs");
            Result r = exec(List.of("bash", script().toString(), FRAME_POINTER, "--runtime", objs.toString()), null);
            if (r.status != 0) {
                throw new UsageException("building the guest runtime failed:\n" + r.output);
            }
            try {
                Files.move(objs, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another hmemu built it at the same time: use theirs
            } catch (IOException e) {
                if (!Files.isDirectory(cache)) {
                    throw e;
                }
            }
            deleteTree(tmp);
        }
        runtimeObjects = cache;
        return cache;
    }

    /** Builds {@code t} (a C source) into {@code outDir}/name.elf. */
    Built build(TestFile t) {
        try {
            Path objs = runtimeObjects();
            Path out = outDir.resolve(t.name() + ".elf");
            Result r = exec(List.of("bash", script().toString(), FRAME_POINTER, out.toString(), t.path().toString()),
                    objs);
            if (r.status != 0) {
                return new Built(null, r.output.isBlank() ? "build failed (exit " + r.status + ")" : r.output);
            }
            return new Built(Files.readAllBytes(out), null);
        } catch (IOException | UsageException e) {
            return new Built(null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Built(null, "interrupted");
        }
    }

    private record Result(int status, String output) {
    }

    private static Result exec(List<String> cmd, Path runtimeObjs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (runtimeObjs != null) {
            pb.environment().put("HMEMU_RUNTIME_OBJS", runtimeObjs.toString());
        }
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), text);
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = base.resolve("hmemu");
        try {
            Files.createDirectories(dir);
            if (Files.isWritable(dir)) {
                return dir;
            }
        } catch (IOException e) {
            // fall back below
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "hmemu-cache-" + System.getProperty("user.name"));
    }

    /** Hash of everything the runtime objects depend on. */
    private String runtimeKey() throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(home.resolve("images/runtime"))) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            files.add(script());
            for (Path f : files) {
                md.update(home.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Files.readAllBytes(f));
            }
            String cc = System.getenv("CC");
            md.update(("CC=" + (cc == null ? "gcc" : cc) + " " + FRAME_POINTER).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
