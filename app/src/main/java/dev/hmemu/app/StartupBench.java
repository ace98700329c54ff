package dev.hmemu.app;

import dev.hmemu.emulator.bench.Spread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of {@code hmemu run hello} in a fresh JVM, as the {@code ./hmemu} launcher
 * starts it, with and without an AppCDS archive recorded the way the launcher records
 * one. Measured from just before the process is started to the guest's first console
 * line ({@code hello}'s first statement is that printk) and to the process's exit.
 */
final class StartupBench {
    private static final String FIRST_LINE = "hello from hmemu";
    private static final Path THP_SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path home;
    private final Path java;
    /** The launcher's JVM options, chosen once for every timed process. */
    private final List<String> launcherOptions;

    StartupBench(Path home) {
        this.home = home;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.launcherOptions = launcherOptions(home);
    }

    BenchSection run(int repeats) throws IOException, InterruptedException {
        Path jar = home.resolve("app/target/hmemu.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UsageException("the start-up figures need the packaged jar " + jar + " (run through ./hmemu)");
        }
        Path dir = Files.createTempDirectory("hmemu-bench-cds-");
        try {
            Path archive = dir.resolve("hmemu.jsa");
            Path classList = dir.resolve("hmemu.classlist");
            // recorded as ./hmemu records its archive: the classes a 2-CPU run of hello loads,
            // then a static archive of them
            timed(List.of("-XX:DumpLoadedClassList=" + classList), List.of("run", "hello", "--cpus", "2", "-q"),
                    false);
            timed(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
                    "-Xlog:cds=off"), List.of(), false);
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("the JVM did not write a CDS archive to " + archive);
            }
            List<String> withCds = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off");
            List<String> hello = List.of("run", "hello");
            double[] firstPlain = new double[repeats];
            double[] firstCds = new double[repeats];
            double[] exitPlain = new double[repeats];
            double[] exitCds = new double[repeats];
            double[] gain = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                double[] p = timed(List.of(), hello, true);
                double[] c = timed(withCds, hello, true);
                firstPlain[i] = p[0];
                exitPlain[i] = p[1];
                firstCds[i] = c[0];
                exitCds[i] = c[1];
                gain[i] = p[0] / c[0];
            }
            return new BenchSection("startup", "start-up: `hmemu run hello` in a fresh JVM",
                    List.of(new BenchFigure("startup_first_line_ms", "ms", Spread.of(firstPlain),
                                    "process start to the guest's first console line, no CDS archive"),
                            new BenchFigure("startup_first_line_cds_ms", "ms", Spread.of(firstCds),
                                    "the same with the AppCDS archive"),
                            new BenchFigure("startup_cds_speedup", "ratio", Spread.of(gain),
                                    "no-archive time / archive time to the first line, per repetition"),
                            new BenchFigure("startup_exit_ms", "ms", Spread.of(exitPlain),
                                    "process start to exit (whole run of hello), no CDS archive"),
                            new BenchFigure("startup_exit_cds_ms", "ms", Spread.of(exitCds),
                                    "the same with the AppCDS archive")),
                    List.of(java + " " + String.join(" ", launcherOptions) + " -cp " + classPath()
                            + " dev.hmemu.app.Main " + String.join(" ", hello)));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The JVM options ./hmemu passes besides -Dhmemu.home and the CDS archive, chosen the way
     * the launcher chooses them: the serial collector; libhmemu from the copy the build
     * unpacked, when it is there; the heap on transparent huge pages when the kernel
     * offers them on request.
     */
    private static List<String> launcherOptions(Path home) {
        List<String> o = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        Path helper = home.resolve("app/target/native/linux-x86-64/libhmemu.so");
        if (Files.isRegularFile(helper)) {
            o.add("-Dhmemu.library=" + helper);
        }
        String thp = "";
        try {
            thp = Files.readString(THP_SETTING);
        } catch (IOException | RuntimeException e) {
            // no such setting: no huge pages
        }
        if (thp.contains("[always]") || thp.contains("[madvise]")) {
            o.add("-XX:+UseTransparentHugePages");
        }
        return o;
    }

    /** The class path ./hmemu runs with: the jar and every library beside it. */
    private String classPath() {
        return home.resolve("app/target/hmemu.jar") + ":" + home.resolve("app/target/lib") + "/*";
    }

    /** @return {ms to the first console line (or NaN when not awaited), ms to exit} */
    private double[] timed(List<String> jvmOptions, List<String> args, boolean awaitFirstLine)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Dhmemu.home=" + home);
        cmd.addAll(launcherOptions);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath());
        if (!args.isEmpty()) { // none: a JVM-only step (the archive dump)
            cmd.add("dev.hmemu.app.Main");
            cmd.addAll(args);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        long first = -1;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (first < 0 && line.contains(FIRST_LINE)) {
                    first = System.nanoTime();
                }
                if (out.length() < 4000) {
                    out.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("start-up run did not end within " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        long end = System.nanoTime();
        if (p.exitValue() != 0 || (awaitFirstLine && first < 0)) {
            throw new IllegalStateException("start-up run failed (exit " + p.exitValue() + "): " + cmd + "\n" + out);
        }
        return new double[] {awaitFirstLine ? (first - t0) / 1e6 : Double.NaN, (end - t0) / 1e6};
    }
}
