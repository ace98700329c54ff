package dev.hmemu.emulator.bench;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.unicorn.PlainUnicorn;
import dev.hmemu.mmu.TlbConfig;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The engine benchmarks of {@code hmemu bench}, all in one process and one run:
 * (a) a compute loop with the full MMU and exact counting vs (b) the same code on plain
 * Unicorn; the cost of a TLB miss through the Java MMU; the cost of a hypercall; a
 * refill-heavy loop with and without the native mirror of the model's TLB. Every
 * figure is measured once per repetition, the repetitions interleaved (a, b, a, b, ...),
 * and reported as median and range; ratios are taken within each repetition.
 */
public final class EngineBenchmark {
    /** The 64 pages of the TLB-miss loop, walked round robin. */
    private static final int MISS_PAGES = 64;
    /** Pages of the refill loop: all fit the default model TLB. */
    private static final int REFILL_PAGES = 32;

    /**
     * How much work each measurement does.
     *
     * @param iterations compute-loop iterations (6 instructions each)
     * @param walkRounds rounds of the 64-page walk (64 loads each)
     * @param hypercalls hypercalls in the hypercall loop
     * @param refillRounds rounds of the refill loop (32 loads and an invlpg each)
     */
    public record Sizes(int iterations, int walkRounds, int hypercalls, int refillRounds) {
        public Sizes {
            if (iterations < 6 || walkRounds < 1 || hypercalls < 2 || refillRounds < 1) {
                throw new IllegalArgumentException("benchmark sizes too small: " + this);
            }
        }

        public static Sizes full(int iterations) {
            return new Sizes(iterations, 2000, 200_000, 20_000);
        }

        public static Sizes quick() {
            return new Sizes(1_000_000, 200, 20_000, 2_000);
        }

        public Sizes withIterations(int n) {
            return new Sizes(n, walkRounds, hypercalls, refillRounds);
        }
    }

    /** Each figure's median and range over the repetitions; times in ms. */
    public record Result(int repeats, long loopInstructions, Spread hmemuMs, Spread plainMs, Spread hmemuMips,
                         Spread plainMips, Spread speedRatio, long unrolledInstructions, Spread unrolledHmemuMs,
                         Spread unrolledPlainMs, Spread unrolledSpeedRatio, long tlbMisses, Spread microsPerTlbMiss,
                         long hypercalls, Spread microsPerHypercall, long refills, Spread refillMirrorMs,
                         Spread refillJavaMs, Spread refillSpeedup, Spread microsPerMirroredRefill,
                         Spread microsPerJavaRefill) {
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
        byte[] refill = BenchCode.refillLoop(BareGuest.PAGED_DATA_VA, REFILL_PAGES, sizes.refillRounds());

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
        double[] rMirror = new double[repeats];
        double[] rJava = new double[repeats];
        double[] rSpeedup = new double[repeats];
        double[] rMirrorEach = new double[repeats];
        double[] rJavaEach = new double[repeats];
        long refills = 0;
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

            long[] rm = timeHmemu(refill, base, Machine::create);
            long[] rj = timeHmemu(refill, base, Machine::createWithoutTlbMirror);
            refills = rm[3];
            rMirror[i] = rm[0] / 1e6;
            rJava[i] = rj[0] / 1e6;
            rSpeedup[i] = (double) rj[0] / rm[0];
            // the whole loop's time per engine refill: an upper bound on each path's cost
            rMirrorEach[i] = rm[0] / 1e3 / Math.max(1, rm[3]);
            rJavaEach[i] = rj[0] / 1e3 / Math.max(1, rm[3]);
        }
        long instr = loopInstructions;
        return new Result(repeats, loopInstructions, Spread.of(hMs), Spread.of(pMs), mips(instr, hMs),
                mips(instr, pMs), Spread.of(ratio), unrolledInstructions, Spread.of(huMs), Spread.of(puMs),
                Spread.of(uRatio), misses, Spread.of(miss), sizes.hypercalls(), Spread.of(call), refills,
                Spread.of(rMirror), Spread.of(rJava), Spread.of(rSpeedup), Spread.of(rMirrorEach),
                Spread.of(rJavaEach));
    }

    private static Spread mips(long instructions, double[] ms) {
        return Spread.of(Arrays.stream(ms).map(t -> instructions / 1e3 / t).toArray());
    }

    private static long[] timeHmemu(byte[] code, MachineConfig cfg) {
        return timeHmemu(code, cfg, Machine::create);
    }

    /** @return {nanos, instructions, tlb misses, engine refills the model answered from its TLB} */
    private static long[] timeHmemu(byte[] code, MachineConfig cfg, Function<MachineConfig, Machine> machines) {
        try (Machine m = machines.apply(cfg)) {
            BareGuest g = new BareGuest(code);
            long t0 = System.nanoTime();
            StopReason r = m.run(g, new RunLimits(0, 0, 0));
            long t = System.nanoTime() - t0;
            if (!(r instanceof StopReason.GuestExited)) {
                throw new IllegalStateException("benchmark guest did not finish: " + r);
            }
            TlbStatsSnapshot s = m.cpu(0).tlbStats();
            return new long[] {t, m.cpu(0).instructions(), s.misses(), s.hits()};
        }
    }
}
