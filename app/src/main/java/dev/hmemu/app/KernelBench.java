package dev.hmemu.app;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.bench.Spread;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.List;
import java.util.function.Function;

/**
 * The kernel-model workloads of {@code hmemu bench}, each compared side by side in one
 * run with interleaved repetitions: the page allocator on a small and a large memory,
 * and a TLB-refill-heavy run with and without the native mirror of the model's TLB.
 */
final class KernelBench {
    private KernelBench() {
    }

    /** alloc_stress on {@code cpus} CPUs (4,096 pages each): --mem 2G against 16G. */
    static BenchSection allocator(int repeats, int cpus) {
        MachineConfig small = MachineConfig.defaults().withCpus(cpus).withMemory(2L << 30);
        MachineConfig big = MachineConfig.defaults().withCpus(cpus).withMemory(16L << 30);
        double[] a = new double[repeats];
        double[] b = new double[repeats];
        double[] ratio = new double[repeats];
        double[] perCall = new double[repeats];
        long calls = 0;
        for (int i = 0; i < repeats; i++) {
            RunResult ra = run("alloc_stress", small, Machine::create);
            RunResult rb = run("alloc_stress", big, Machine::create);
            calls = ra.end().calls()[Hypercall.ALLOC_PAGES.ordinal()];
            a[i] = ra.wallSeconds() * 1e3;
            b[i] = rb.wallSeconds() * 1e3;
            ratio[i] = b[i] / a[i];
            perCall[i] = a[i] * 1e3 / Math.max(1, calls);
        }
        return new BenchSection("allocator",
                "page allocator: alloc_stress, " + cpus + " CPUs x 4096 pages (alloc, kmap, kmap_local, free)",
                List.of(new BenchFigure("alloc_2g_ms", "ms", Spread.of(a), "whole run, --mem 2G"),
                        new BenchFigure("alloc_16g_ms", "ms", Spread.of(b), "whole run, --mem 16G"),
                        new BenchFigure("alloc_16g_over_2g", "ratio", Spread.of(ratio),
                                "16G time / 2G time, per repetition (target <= 1.2)"),
                        new BenchFigure("alloc_us_per_call", "us", Spread.of(perCall),
                                "2G run's wall time / its alloc_pages calls")),
                List.of(calls + " alloc_pages calls per run"));
    }

    /** kmap_vs_local on 1 CPU: every kunmap_local()'s INVLPG empties the engine's TLB, which then refills. */
    static BenchSection refills(int repeats) {
        MachineConfig cfg = MachineConfig.defaults().withCpus(1);
        double[] mirror = new double[repeats];
        double[] java = new double[repeats];
        double[] speedup = new double[repeats];
        double[] perRefill = new double[repeats];
        long misses = 0;
        long hits = 0;
        for (int i = 0; i < repeats; i++) {
            RunResult ra = run("kmap_vs_local", cfg, Machine::create);
            RunResult rb = run("kmap_vs_local", cfg, Machine::createWithoutTlbMirror);
            misses = 0;
            hits = 0;
            for (TlbStatsSnapshot t : ra.end().tlb()) {
                hits += t.hits();
                misses += t.misses();
            }
            mirror[i] = ra.wallSeconds() * 1e3;
            java[i] = rb.wallSeconds() * 1e3;
            speedup[i] = java[i] / mirror[i];
            perRefill[i] = (java[i] - mirror[i]) * 1e3 / Math.max(1, hits);
        }
        return new BenchSection("refills",
                "TLB refills: kmap_vs_local, 1 CPU (refills of entries the model holds)",
                List.of(new BenchFigure("refill_mirror_ms", "ms", Spread.of(mirror),
                                "whole run, refills of held entries answered by the native mirror"),
                        new BenchFigure("refill_java_ms", "ms", Spread.of(java),
                                "whole run, every engine refill through Java"),
                        new BenchFigure("refill_mirror_speedup", "ratio", Spread.of(speedup),
                                "Java time / mirror time, per repetition (target >= 2)"),
                        new BenchFigure("refill_saved_us", "us", Spread.of(perRefill),
                                "(Java time - mirror time) / refills answered from the model, per repetition")),
                List.of(misses + " model TLB misses and " + hits + " refills answered from the model per run"));
    }

    private static RunResult run(String image, MachineConfig mc, Function<MachineConfig, Machine> machines) {
        RunResult r = Session.run(Images.load(image), mc, KernelConfig.defaults(), new RunLimits(0, 0, 600_000),
                null, machines);
        if (!(r.stop() instanceof StopReason.GuestExited g) || g.status() != 0) {
            throw new IllegalStateException(image + " did not finish cleanly: " + TextReport.describe(r.stop()));
        }
        return r;
    }
}
