package dev.hmemu.emulator.bench;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.unicorn.PlainUnicorn;
import dev.hmemu.mmu.TlbConfig;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.Arrays;

/**
 * The engine benchmarks of {@code hmemu bench}, all in one process and one run:
 * (a) a compute loop with the full MMU and exact counting vs (b) the same code on plain
 * Unicorn; the cost of a TLB miss through the Java MMU; the cost of a hypercall. Every
 * figure is measured once per repetition, the repetitions interleaved (a, b, a, b, ...),
 * and reported as median and range; ratios are taken within each repetition.
 */
public final class EngineBenchmark {
    /** The 64 pages of the TLB-miss loop, walked round robin. */
    private static final int MISS_PAGES = 64;

    /**
     * How much work each measurement does.
     *
     * @param iterations compute-loop iterations (6 instructions each)
     * @param walkRounds rounds of the 64-page walk (64 loads each)
     * @param hypercalls hypercalls in the hypercall loop
     */
    public record Sizes(int iterations, int walkRounds, int hypercalls) {
        public Sizes {
            if (iterations < 6 || walkRounds < 1 || hypercalls < 2) {
                throw new IllegalArgumentException("benchmark sizes too small: " + this);
            }
        }

        public static Sizes full(int iterations) {
            return new Sizes(iterations, 2000, 200_000);
        }

        public static Sizes quick() {
            return new Sizes(1_000_000, 200, 20_000);
        }

        public Sizes withIterations(int n) {
            return new Sizes(n, walkRounds, hypercalls);
        }
    }

    /** Each figure's median and range over the repetitions; times in ms. */
    public record Result(int repeats, long loopInstructions, Spread hmemuMs, Spread plainMs, Spread hmemuMips,
                         Spread plainMips, Spread speedRatio, long unrolledInstructions, Spread unrolledHmemuMs,
                         Spread unrolledPlainMs, Spread unrolledSpeedRatio, long tlbMisses, Spread microsPerTlbMiss,
                         long hypercalls, Spread microsPerHypercall) {
    }

    private EngineBenchmark() {
    }

    /** Runs everything, {@code repeats} interleaved repetitions of each measurement. */
    public static Result run(Sizes sizes, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        int n = sizes.iterations();
        MachineConfig base = MachineConfig.defaults().withMemory(64L << 20).withQuantum(10_000_000);
        // one set of 4 ways: every one of the 64 pages misses every time
        MachineConfig tinyTlb = base.withTlb(new TlbConfig(4, 4, 4, 4));
        byte[] loop = BenchCode.computeLoop(BareGuest.DATA_VA, n);
        byte[] plainLoop = BenchCode.computeLoop(0x400000, n);
        byte[] unrolled = BenchCode.computeLoop(BareGuest.DATA_VA, n, 6);
        byte[] plainUnrolled = BenchCode.computeLoop(0x400000, n, 6);
        byte[] walk = BenchCode.pageWalkLoop(BareGuest.PAGED_DATA_VA, MISS_PAGES, sizes.walkRounds());
        byte[] calls = BenchCode.hypercallLoop(BareGuest.DATA_VA, sizes.hypercalls());
        byte[] callsBase = BenchCode.computeLoop(BareGuest.DATA_VA, sizes.hypercalls() / 2);

        // warm up both paths once (JIT; Unicorn's translation cache is new for each engine)
        timeHmemu(BenchCode.computeLoop(BareGuest.DATA_VA, n / 10), base);
        PlainUnicorn.timeRun(BenchCode.computeLoop(0x400000, n / 10), BareGuest.CODE_PA);

        double[] hMs = new double[repeats];
        double[] pMs = new double[repeats];
        double[] ratio = new double[repeats];
        double[] huMs = new double[repeats];
        double[] puMs = new double[repeats];
        double[] uRatio = new double[repeats];
        double[] miss = new double[repeats];
        double[] call = new double[repeats];
        long loopInstructions = 0;
        long unrolledInstructions = 0;
        long misses = 0;
        for (int i = 0; i < repeats; i++) {
            long[] h = timeHmemu(loop, base);
            long p = PlainUnicorn.timeRun(plainLoop, BareGuest.CODE_PA);
            long[] hu = timeHmemu(unrolled, base);
            long pu = PlainUnicorn.timeRun(plainUnrolled, BareGuest.CODE_PA);
            loopInstructions = h[1];
            unrolledInstructions = hu[1];
            hMs[i] = h[0] / 1e6;
            pMs[i] = p / 1e6;
            ratio[i] = (double) p / h[0];
            huMs[i] = hu[0] / 1e6;
            puMs[i] = pu / 1e6;
            uRatio[i] = (double) pu / hu[0];

            long[] walkBase = timeHmemu(walk, base);
            long[] walkMiss = timeHmemu(walk, tinyTlb);
            misses = walkMiss[2] - walkBase[2];
            miss[i] = Math.max(0, walkMiss[0] - walkBase[0]) / 1e3 / Math.max(1, misses);

            long[] hc = timeHmemu(calls, base);
            long[] hcBase = timeHmemu(callsBase, base);
            call[i] = Math.max(0, hc[0] - hcBase[0]) / 1e3 / sizes.hypercalls();
        }
        long instr = loopInstructions;
        return new Result(repeats, loopInstructions, Spread.of(hMs), Spread.of(pMs), mips(instr, hMs),
                mips(instr, pMs), Spread.of(ratio), unrolledInstructions, Spread.of(huMs), Spread.of(puMs),
                Spread.of(uRatio), misses, Spread.of(miss), sizes.hypercalls(), Spread.of(call));
    }

    private static Spread mips(long instructions, double[] ms) {
        return Spread.of(Arrays.stream(ms).map(t -> instructions / 1e3 / t).toArray());
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
