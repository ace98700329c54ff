package dev.hmemu.app;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The kernel-model workloads of {@code hmemu bench}, each compared side by side in one
 * run with interleaved repetitions: the page allocator on a small and a large memory,
 * and a TLB-refill-heavy run with and without the native mirror of the model's TLB.
 */
final class KernelBench {
    /** Median and range of one configuration's wall times, in ms. */
    record Timing(double medianMs, double minMs, double maxMs) {
        static Timing of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return new Timing(s[s.length / 2] / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6);
        }

        @Override
        public String toString() {
            return String.format("%8.1f ms (%.1f..%.1f)", medianMs, minMs, maxMs);
        }
    }

    /** Two configurations of one workload; {@code detail*} describe what each run did. */
    record Pair(String workload, String labelA, Timing a, String detailA, String labelB, Timing b, String detailB) {
        double ratio() {
            return b.medianMs() / a.medianMs();
        }
    }

    private KernelBench() {
    }

    /** alloc_stress on 16 CPUs (4,096 pages each): --mem 2G against 16G. */
    static Pair allocator(int repeats) {
        MachineConfig small = MachineConfig.defaults().withCpus(16).withMemory(2L << 30);
        MachineConfig big = MachineConfig.defaults().withCpus(16).withMemory(16L << 30);
        long[] a = new long[repeats];
        long[] b = new long[repeats];
        RunResult ra = null;
        RunResult rb = null;
        for (int i = 0; i < repeats; i++) {
            ra = run("alloc_stress", small, Machine::create);
            a[i] = nanos(ra);
            rb = run("alloc_stress", big, Machine::create);
            b[i] = nanos(rb);
        }
        return new Pair("page allocator: alloc_stress, 16 CPUs x 4096 pages (alloc, kmap, kmap_local, free)",
                "--mem 2G", Timing.of(a), calls(ra), "--mem 16G", Timing.of(b), calls(rb));
    }

    /** kmap_vs_local on 1 CPU: every kunmap_local()'s INVLPG empties the engine's TLB, which then refills. */
    static Pair refills(int repeats) {
        MachineConfig cfg = MachineConfig.defaults().withCpus(1);
        long[] a = new long[repeats];
        long[] b = new long[repeats];
        RunResult ra = null;
        RunResult rb = null;
        for (int i = 0; i < repeats; i++) {
            ra = run("kmap_vs_local", cfg, Machine::create);
            a[i] = nanos(ra);
            rb = run("kmap_vs_local", cfg, Machine::createWithoutTlbMirror);
            b[i] = nanos(rb);
        }
        return new Pair("TLB refills: kmap_vs_local, 1 CPU (refills of entries the model holds)",
                "native mirror", Timing.of(a), tlb(ra), "every fill in Java", Timing.of(b), tlb(rb));
    }

    private static RunResult run(String image, MachineConfig mc, Function<MachineConfig, Machine> machines) {
        RunResult r = Session.run(Images.load(image), mc, KernelConfig.defaults(), new RunLimits(0, 0, 600_000),
                null, machines);
        if (!(r.stop() instanceof StopReason.GuestExited g) || g.status() != 0) {
            throw new IllegalStateException(image + " did not finish cleanly: " + TextReport.describe(r.stop()));
        }
        return r;
    }

    private static long nanos(RunResult r) {
        return (long) (r.wallSeconds() * 1e9);
    }

    private static String calls(RunResult r) {
        long n = r.end().calls()[dev.hmemu.kernel.hcall.Hypercall.ALLOC_PAGES.ordinal()];
        return String.format("%d alloc_pages calls, %.2f us per call (whole run / calls)", n,
                r.wallSeconds() * 1e6 / Math.max(1, n));
    }

    private static String tlb(RunResult r) {
        long hits = 0;
        long misses = 0;
        for (TlbStatsSnapshot t : r.end().tlb()) {
            hits += t.hits();
            misses += t.misses();
        }
        return String.format("%d model misses, %d refills answered from the model, %.2f us per model miss "
                + "(whole run / misses)", misses, hits, r.wallSeconds() * 1e6 / Math.max(1, misses));
    }
}
