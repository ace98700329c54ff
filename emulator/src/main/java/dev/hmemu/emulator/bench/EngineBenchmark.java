package dev.hmemu.emulator.bench;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.unicorn.PlainUnicorn;
import dev.hmemu.mmu.TlbConfig;
import dev.hmemu.mmu.TlbStatsSnapshot;

/**
 * The engine benchmarks of {@code hmemu bench}, all in one process and one run:
 * (a) a compute loop with the full MMU and exact counting vs (b) the same code on plain
 * Unicorn; the cost of a TLB miss through the Java MMU; the cost of a hypercall.
 */
public final class EngineBenchmark {

    /** Results; times in nanoseconds. */
    public record Result(long loopInstructions, long hmemuNanos, long plainNanos, long unrolledInstructions,
                         long unrolledHmemuNanos, long unrolledPlainNanos, long missRunMisses,
                         long missRunNanos, long baseRunMisses, long baseRunNanos, long hypercalls,
                         long hypercallNanos, long hypercallBaseNanos) {

        public double hmemuMips() {
            return loopInstructions * 1e3 / hmemuNanos;
        }

        public double plainMips() {
            return loopInstructions * 1e3 / plainNanos;
        }

        /** (a)/(b): hmemu's speed as a fraction of plain Unicorn's. */
        public double speedRatio() {
            return (double) plainNanos / hmemuNanos;
        }

        /** The same ratio for the loop unrolled to 26-instruction blocks. */
        public double unrolledSpeedRatio() {
            return (double) unrolledPlainNanos / unrolledHmemuNanos;
        }

        public double microsPerTlbMiss() {
            return (missRunNanos - baseRunNanos) / 1e3 / Math.max(1, missRunMisses - baseRunMisses);
        }

        public double microsPerHypercall() {
            return (hypercallNanos - hypercallBaseNanos) / 1e3 / Math.max(1, hypercalls);
        }
    }

    private EngineBenchmark() {
    }

    /** Runs everything; {@code iterations} of the compute loop (6 instructions each). */
    public static Result run(int iterations) {
        MachineConfig base = MachineConfig.defaults().withMemory(64L << 20).withQuantum(10_000_000);
        // warm up both paths once (JIT, Unicorn's translation cache per engine is new each run)
        timeHmemu(BenchCode.computeLoop(BareGuest.DATA_VA, iterations / 10), base);
        PlainUnicorn.timeRun(BenchCode.computeLoop(0x400000, iterations / 10), BareGuest.CODE_PA);

        // interleaved repetitions, median of each: the machine's speed drifts between phases
        long[][] h = new long[REPEATS][];
        long[] plain = new long[REPEATS];
        long[][] hu = new long[REPEATS][];
        long[] plainU = new long[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            h[i] = timeHmemu(BenchCode.computeLoop(BareGuest.DATA_VA, iterations), base);
            plain[i] = PlainUnicorn.timeRun(BenchCode.computeLoop(0x400000, iterations), BareGuest.CODE_PA);
            hu[i] = timeHmemu(BenchCode.computeLoop(BareGuest.DATA_VA, iterations, 6), base);
            plainU[i] = PlainUnicorn.timeRun(BenchCode.computeLoop(0x400000, iterations, 6), BareGuest.CODE_PA);
        }
        int pages = 64;
        int rounds = 2000;
        byte[] walk = BenchCode.pageWalkLoop(BareGuest.PAGED_DATA_VA, pages, rounds);
        long[] baseRun = timeHmemu(walk, base);
        // one set of 4 ways: every one of the 64 pages misses every time
        long[] missRun = timeHmemu(walk, base.withTlb(new TlbConfig(4, 4, 4, 4)));

        int calls = 200_000;
        long[] hc = timeHmemu(BenchCode.hypercallLoop(BareGuest.DATA_VA, calls), base);
        long[] hcBase = timeHmemu(BenchCode.computeLoop(BareGuest.DATA_VA, calls / 2), base);
        return new Result(h[0][1], medianOf(h), median(plain), hu[0][1], medianOf(hu), median(plainU), missRun[2], missRun[0], baseRun[2], baseRun[0], calls, hc[0], hcBase[0]);
    }

    private static final int REPEATS = 5;

    private static long median(long[] v) {
        long[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Median of the nanosecond figures ({@code [i][0]}). */
    private static long medianOf(long[][] runs) {
        long[] t = new long[runs.length];
        for (int i = 0; i < runs.length; i++) {
            t[i] = runs[i][0];
        }
        return median(t);
    }

    /** @return {nanos, instructions, tlb misses} */
    private static long[] timeHmemu(byte[] code, MachineConfig cfg) {
        try (Machine m = Machine.create(cfg)) {
            BareGuest g = new BareGuest(code);
            long t0 = System.nanoTime();
            StopReason r = m.run(g, new RunLimits(0, 0, 0));
            long t = System.nanoTime() - t0;
            if (!(r instanceof StopReason.GuestExited)) {
                throw new IllegalStateException("benchmark guest did not finish: " + r);
            }
            TlbStatsSnapshot s = m.cpu(0).tlbStats();
            return new long[] {t, m.cpu(0).instructions(), s.misses()};
        }
    }
}
