package dev.hmemu.app.test;

import dev.hmemu.app.Images;
import dev.hmemu.app.MachineOptions;
import dev.hmemu.app.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu test [PATH...]}: builds and runs guest tests on a CPU-count matrix, prints KTAP. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Build every *.c test under PATH (or take ELF files), run each on every CPU count, "
                + "in parallel in one JVM, and print KTAP version 1.",
            "Without PATH: the shipped images (images/src).",
            "A run passes when main returns 0 and nothing was reported, unless the test declares otherwise "
                    + "with HMEMU_EXPECT_FINDING/EXIT/STOP (<hmemu/test.h>).",
            "Exit status: 0 every run passed; 1 a run failed; 2 usage error."})
public final class TestCommand implements Callable<Integer> {
    /** Per-run instruction limit of a test run unless --max-instructions says otherwise. */
    static final long TEST_MAX_INSTRUCTIONS = 200_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Test folders, C sources or ELF images.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--cpus", split = ",", paramLabel = "N[,N...]",
            description = "CPU counts to run each test on (default: ${DEFAULT-VALUE}).", defaultValue = "1,2,4")
    List<Integer> cpus;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Runs at a time (default: host cores).")
    Integer jobs;

    @Option(names = "--filter", paramLabel = "GLOB", description = "Only tests whose name matches GLOB.")
    String filter;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML.")
    Path junit;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    /** The machine, kernel and limit options of {@code run}; only the instruction limit's default differs. */
    @Mixin
    MachineOptions options = MachineOptions.withMaxInstructions(TEST_MAX_INSTRUCTIONS);

    @Option(names = "--progress", negatable = true,
            description = "Progress line on stderr (default: when the console is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int nJobs = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (nJobs < 1 || nJobs > 256) {
            throw new UsageException("--jobs must be 1..256, got " + nJobs);
        }
        List<Integer> counts = cpus.stream().distinct().toList();
        List<TestRunner.Setup> setups = new ArrayList<>();
        for (int n : counts) {
            setups.add(setup(n));
        }
        Path home = Images.home();
        List<Path> where = paths.isEmpty() ? List.of(home.resolve("images/src")) : paths;
        List<TestFile> tests = TestDiscovery.find(where, filter);
        if (tests.isEmpty()) {
            throw new UsageException("no tests (*.c or *.elf) found in " + where
                    + (filter == null ? "" : " matching " + filter));
        }
        Path tmp = Files.createTempDirectory("hmemu-test-");
        long t0 = System.nanoTime();
        try {
            TestRunner runner = new TestRunner(nJobs, counts, n -> setups.get(counts.indexOf(n)),
                    new ImageBuilder(home, tmp));
            KtapWriter ktap = new KtapWriter(out);
            int total = tests.size() * counts.size();
            ktap.header(total);
            boolean showProgress = progress != null ? progress : System.console() != null;
            List<RunOutcome> results;
            try (ProgressLine p = showProgress
                    ? new ProgressLine(System.err, total, runner::finished, runner::running) : null) {
                results = runner.run(tests, ktap::result);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            int passed = (int) results.stream().filter(RunOutcome::passed).count();
            ktap.totals(passed, results.size() - passed);
            if (junit != null) {
                Files.writeString(junit, JunitWriter.render(results));
            }
            if (json != null) {
                Files.writeString(json, JsonWriter.render(results, wall));
            }
            spec.commandLine().getErr().printf("hmemu test: %d run(s), %d passed, %d failed in %.2f s (%.1f runs/s, "
                    + "%d job(s))%n", results.size(), passed, results.size() - passed, wall, results.size() / wall, nJobs);
            return passed == results.size() ? 0 : 1;
        } finally {
            ImageBuilder.deleteTree(tmp);
        }
    }

    private TestRunner.Setup setup(int n) {
        try {
            return new TestRunner.Setup(options.machineConfig(n), options.kernelConfig(), options.limits());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--cpus " + n + ": " + e.getMessage(), e);
        }
    }
}
