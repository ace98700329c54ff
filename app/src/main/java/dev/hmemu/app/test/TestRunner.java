package dev.hmemu.app.test;

import dev.hmemu.app.RunResult;
import dev.hmemu.app.Session;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.Snapshot;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs every test on every CPU count, up to {@code jobs} runs at a time, each run on its
 * own machine (engines, memory and kernel model are per run, so runs share nothing).
 * Results are handed to the listener in matrix order whatever order they finish in.
 */
final class TestRunner {
    /** The machine, kernel and limits for one CPU count. */
    record Setup(MachineConfig machine, KernelConfig kernel, RunLimits limits) {
    }

    /** Lines of console shown for a failed run without KUnit output. */
    static final int CONSOLE_TAIL = 20;

    private final int jobs;
    private final List<Integer> cpuCounts;
    private final IntFunction<Setup> setups;
    private final ImageBuilder builder;
    private final AtomicInteger finished = new AtomicInteger();
    private final List<String> running = new ArrayList<>();

    TestRunner(int jobs, List<Integer> cpuCounts, IntFunction<Setup> setups, ImageBuilder builder) {
        this.jobs = jobs;
        this.cpuCounts = cpuCounts;
        this.setups = setups;
        this.builder = builder;
    }

    /** Runs finished so far. */
    int finished() {
        return finished.get();
    }

    /** Names of the runs in progress, for the progress line. */
    synchronized List<String> running() {
        return List.copyOf(running);
    }

    /** Runs the matrix; {@code listener} gets each outcome in order, from the calling thread. */
    List<RunOutcome> run(List<TestFile> tests, Consumer<RunOutcome> listener) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "hmemu-test");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ImageBuilder.Built>> builds = new ArrayList<>();
            for (TestFile t : tests) {
                builds.add(pool.submit(() -> prepare(t)));
            }
            List<Future<RunOutcome>> runs = new ArrayList<>();
            for (int i = 0; i < tests.size(); i++) {
                TestFile t = tests.get(i);
                Future<ImageBuilder.Built> build = builds.get(i);
                for (int cpus : cpuCounts) {
                    runs.add(pool.submit(() -> runOne(t, build.get(), cpus)));
                }
            }
            List<RunOutcome> out = new ArrayList<>();
            for (Future<RunOutcome> f : runs) {
                RunOutcome o = get(f);
                out.add(o);
                listener.accept(o);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static RunOutcome get(Future<RunOutcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("test runner failed: " + e.getCause(), e.getCause());
        }
    }

    private ImageBuilder.Built prepare(TestFile t) {
        if (t.source()) {
            return builder.build(t);
        }
        try {
            return new ImageBuilder.Built(Files.readAllBytes(t.path()), null);
        } catch (java.io.IOException e) {
            return new ImageBuilder.Built(null, "cannot read " + t.path() + ": " + e.getMessage());
        }
    }

    private RunOutcome runOne(TestFile t, ImageBuilder.Built built, int cpus) {
        String label = t.name() + " cpus=" + cpus;
        synchronized (this) {
            running.add(label);
        }
        try {
            return judge(t, built, cpus);
        } finally {
            synchronized (this) {
                running.remove(label);
            }
            finished.incrementAndGet();
        }
    }

    private RunOutcome judge(TestFile t, ImageBuilder.Built built, int cpus) {
        long t0 = System.nanoTime();
        if (built.elf() == null) {
            List<String> diag = new ArrayList<>();
            built.error().lines().forEach(l -> diag.add("build: " + l));
            return failed(t, cpus, "build failed", "not built", diag, t0);
        }
        Expectations expect = ElfSections.section(built.elf(), Expectations.SECTION).map(Expectations::parse)
                .orElse(Expectations.none());
        RunResult r;
        try {
            ElfImage elf = ElfImage.parse(t.name() + ".elf", built.elf());
            Setup s = setups.apply(cpus);
            RunLimits limits = s.limits();
            if (expect.maxInstructions() > 0 && (limits.maxInstructions() <= 0
                    || expect.maxInstructions() < limits.maxInstructions())) {
                limits = new RunLimits(expect.maxInstructions(), limits.maxCycles(), limits.maxWallMillis());
            }
            r = Session.run(elf, s.machine(), s.kernel(), limits, null);
        } catch (RuntimeException | dev.hmemu.emulator.elf.ElfFormatException e) {
            return failed(t, cpus, "cannot run: " + e.getMessage(), "not run", List.of(), t0);
        }
        List<String> console = r.console().lines().toList();
        KunitLog kunit = KunitLog.parse(console);
        String reason = Verdict.judge(r, expect, kunit);
        String stop = dev.hmemu.app.TextReport.describe(r.stop());
        List<String> diag = new ArrayList<>();
        diag.add(t.name() + " cpus=" + cpus + ": " + stop);
        if (!expect.isDefault()) {
            diag.add("expected: " + expect);
        }
        for (Finding f : r.findings()) {
            diag.add("finding " + FindingNames.of(f) + ": " + f);
        }
        Map<String, Long> counters = counters(r);
        StringBuilder c = new StringBuilder("counters:");
        counters.forEach((k, v) -> c.append(' ').append(k).append('=').append(v));
        diag.add(c.toString());
        if (reason != null) {
            diag.add("FAIL: " + reason);
            if (!kunit.present()) {
                int from = Math.max(0, console.size() - CONSOLE_TAIL);
                for (String l : console.subList(from, console.size())) {
                    diag.add("console: " + l);
                }
            }
        }
        return new RunOutcome(t.name(), cpus, reason == null, reason, stop, List.copyOf(diag), counters, kunit,
                r.console(), (System.nanoTime() - t0) / 1e9);
    }

    private static RunOutcome failed(TestFile t, int cpus, String reason, String stop, List<String> extra, long t0) {
        List<String> diag = new ArrayList<>();
        diag.add(t.name() + " cpus=" + cpus + ": " + stop);
        diag.add("FAIL: " + reason);
        diag.addAll(extra);
        return new RunOutcome(t.name(), cpus, false, reason, stop, List.copyOf(diag), Map.of(),
                new KunitLog(List.of(), List.of()), "", (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Long> counters(RunResult r) {
        Map<String, Long> m = new LinkedHashMap<>();
        Snapshot e = r.end();
        if (e == null) {
            return m;
        }
        long misses = 0;
        long walks = 0;
        for (TlbStatsSnapshot s : e.tlb()) {
            misses += s.misses();
            walks += s.walks();
        }
        m.put("instructions", Snapshot.sum(e.instructions()));
        m.put("elapsed_cycles", e.elapsedCycles());
        m.put("busy_cycles", e.busyCycles());
        m.put("tlb_misses", misses);
        m.put("walks", walks);
        m.put("ipis", Snapshot.sum(e.ipisSent()));
        m.put("findings", (long) r.findings().size());
        return m;
    }
}
