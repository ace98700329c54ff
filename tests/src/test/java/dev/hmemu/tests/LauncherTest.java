package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hmemu}, the launcher the README's commands run: it finds its own folder however
 * it is called (absolute path, relative path with "..", from another folder, through a
 * symbolic link to it or to its folder, PATH) and starts the same run each time. HMEMU_NO_BUILD keeps it from building
 * (the build under test is the one the reactor just packaged).
 */
class LauncherTest {
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    Path tmp;

    private record Outcome(int exit, String output) {
    }

    private Outcome launch(Path cwd, String... cmd) throws IOException, InterruptedException {
        return launch(cwd, null, cmd);
    }

    /** Runs {@code cmd} in {@code cwd} (with {@code path} first on PATH when not null), output to a file. */
    private Outcome launch(Path cwd, Path path, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("HMEMU_NO_BUILD", "1");
        pb.environment().remove("HMEMU_NO_CDS");
        if (path != null) {
            pb.environment().put("PATH", path + ":" + System.getenv("PATH"));
        }
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("./hmemu did not end within " + TIMEOUT_SECONDS + " s: " + List.of(cmd) + "\n" + Files.readString(out));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The report without what may differ between runs: wall time, and refill-hit (host-side, 4th column). */
    private static String stable(String report) {
        return report.replaceAll("[0-9.]+ s wall", "X s wall").replaceAll("(?m)^(\\d+\\s+\\d+\\s+\\d+\\s+)\\d+", "$1R");
    }

    @Test
    void runsTheSameFromEveryPathItIsCalledBy() throws Exception {
        Path home = HmemuProcess.home();
        Path launcher = home.resolve("hmemu");
        assertTrue(Files.isExecutable(launcher), "the launcher is executable: " + launcher);
        Path link = Files.createSymbolicLink(tmp.resolve("hmemu-link"), launcher);
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("hmemu"), launcher);
        Path linkedHome = Files.createSymbolicLink(tmp.resolve("home-link"), home);
        List<String> outputs = new ArrayList<>();
        for (Outcome o : List.of(
                launch(tmp, launcher.toString(), "run", "hello"),
                launch(home.resolve("app"), "../hmemu", "run", "hello"),
                launch(home, "./hmemu", "run", "hello"),
                launch(home, "././/hmemu", "run", "hello"),
                launch(tmp, link.toString(), "run", "hello"),
                launch(tmp, linkedHome + "/hmemu", "run", "hello"),
                launch(tmp, bin, "bash", "-c", "hmemu run hello"))) {
            assertEquals(0, o.exit(), o.output());
            assertTrue(o.output().contains("hello from hmemu"), o.output());
            assertTrue(o.output().contains("main returned 0; exit status 0"), o.output());
            outputs.add(stable(o.output()));
        }
        assertEquals(1, outputs.stream().distinct().count(), "one report whatever the path:\n" + outputs);
        assertTrue(Files.isRegularFile(home.resolve("app/target/hmemu.jsa")),
                "the launcher records its class-data archive on first use");
        // the helper the launcher names (-Dhmemu.library), so that nothing is copied at start-up
        assertTrue(Files.isRegularFile(home.resolve("app/target/native/linux-x86-64/libhmemu.so")));
    }

    @Test
    void withoutABuildItSaysSoInsteadOfBuilding() throws Exception {
        Path copy = tmp.resolve("hmemu");
        Files.copy(HmemuProcess.home().resolve("hmemu"), copy);
        Outcome o = launch(tmp, copy.toString(), "run", "hello");
        assertEquals(2, o.exit(), o.output());
        assertTrue(o.output().contains("HMEMU_NO_BUILD is set"), o.output());
        assertTrue(!Files.exists(tmp.resolve("app")), "nothing was built");
    }
}
