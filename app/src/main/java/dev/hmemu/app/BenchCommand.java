package dev.hmemu.app;

import dev.hmemu.emulator.bench.EngineBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu bench}: engine speed against plain Unicorn, TLB-miss and hypercall costs. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure hmemu against plain Unicorn in one run: compute-loop speed ratio (target >= 0.6), "
                + "cost per TLB miss through the Java MMU (target <= 1.5 us) and per hypercall.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--iterations", description = "Compute-loop iterations, 6 instructions each (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000000")
    int iterations;

    @Option(names = "--kernel-repeats", description = "Interleaved repetitions of the kernel workloads "
            + "(page allocator, TLB refills); 0 skips them (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int kernelRepeats;

    private static void print(PrintWriter out, KernelBench.Pair p, String ratioMeaning) {
        out.println(p.workload() + ":");
        out.printf("  (a) %-20s %s  %s%n", p.labelA(), p.a(), p.detailA());
        out.printf("  (b) %-20s %s  %s%n", p.labelB(), p.b(), p.detailB());
        out.printf("  (b)/(a) time: %.2f  (%s)%n", p.ratio(), ratioMeaning);
        out.flush();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EngineBenchmark.Result r = EngineBenchmark.run(iterations);
        out.println("(median of 5 interleaved runs each)");
        out.printf("compute loop (6-instruction blocks), %d instructions:%n", r.loopInstructions());
        out.printf("  (a) hmemu (Java MMU, virtual TLB, exact counting): %8.1f ms  %7.0f MIPS%n",
                r.hmemuNanos() / 1e6, r.hmemuMips());
        out.printf("  (b) plain Unicorn, no hooks:                       %8.1f ms  %7.0f MIPS%n",
                r.plainNanos() / 1e6, r.plainMips());
        out.printf("  ratio (a)/(b) speed: %.2f  (target >= 0.6)%n", r.speedRatio());
        out.printf("same loop unrolled 6x (26-instruction blocks), %d instructions:%n", r.unrolledInstructions());
        out.printf("  (a) hmemu %8.1f ms, (b) plain %8.1f ms, ratio (a)/(b) speed: %.2f%n",
                r.unrolledHmemuNanos() / 1e6, r.unrolledPlainNanos() / 1e6, r.unrolledSpeedRatio());
        out.printf("TLB miss through the Java MMU (fill upcall + walk + engine flush on eviction): %.2f us/miss "
                        + "(%d misses; target <= 1.5 us)%n", r.microsPerTlbMiss(), r.missRunMisses() - r.baseRunMisses());
        out.printf("hypercall (out to port 0xE9, upcall, return): %.2f us/call (%d calls)%n", r.microsPerHypercall(),
                r.hypercalls());
        out.flush();
        if (kernelRepeats > 0) {
            out.printf("kernel workloads (median and range of %d interleaved runs each):%n", kernelRepeats);
            print(out, KernelBench.allocator(kernelRepeats), "16G/2G time (target <= 1.2)");
            print(out, KernelBench.refills(kernelRepeats), "speed-up of the mirror (target >= 2)");
        }
        return 0;
    }
}
