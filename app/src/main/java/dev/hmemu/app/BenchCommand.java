package dev.hmemu.app;

import dev.hmemu.emulator.bench.EngineBenchmark;
import dev.hmemu.emulator.bench.Spread;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu bench}: engine speed against plain Unicorn, kernel workloads, start-up and {@code hmemu test}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure hmemu in one run, every figure as the median and range (min..max) of "
                + "interleaved repetitions: compute-loop speed against plain Unicorn, cost per TLB miss and per "
                + "hypercall, the page allocator on 2G and 16G, TLB refills with and without the native mirror, "
                + "start-up in a fresh JVM with and without the CDS archive, and `hmemu test` on the shipped "
                + "images on 1, 2 and 4 CPUs.",
            "Exit status: 0 measured; 2 usage error."})
public final class BenchCommand implements Callable<Integer> {
    /** The parts of the benchmark, in the order they run. */
    enum Part { ENGINE, ALLOCATOR, REFILLS, STARTUP, TEST }

    @Spec
    CommandSpec spec;

    @Option(names = "--repeats", paramLabel = "N",
            description = "Interleaved repetitions of every measurement (default: 5, with --quick 3).")
    Integer repeats;

    @Option(names = "--quick", description = "Small sizes (1,000,000 loop iterations, 2 CPUs for the allocator, "
            + "only `hello` for `hmemu test`): every figure in well under a minute, for a smoke test.")
    boolean quick;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Compute-loop iterations, 6 instructions each (default: 10000000, with --quick 1000000).")
    Integer iterations;

    @Option(names = "--parts", split = ",", paramLabel = "PART[,PART...]",
            description = "Which parts to run: engine, allocator, refills, startup, test (default: all).")
    List<Part> parts;

    @Option(names = "--test-filter", paramLabel = "GLOB",
            description = "Only shipped images matching GLOB in the `hmemu test` part (default: all; with --quick: hello).")
    String testFilter;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int n = repeats != null ? repeats : quick ? 3 : 5;
        if (n < 1 || n > 1000) {
            throw new UsageException("--repeats must be 1..1000, got " + n);
        }
        int iters = iterations != null ? iterations : quick ? 1_000_000 : 10_000_000;
        if (iters < 60) {
            throw new UsageException("--iterations must be at least 60, got " + iters);
        }
        EnumSet<Part> which = parts == null || parts.isEmpty() ? EnumSet.allOf(Part.class) : EnumSet.copyOf(parts);
        String filter = testFilter != null ? testFilter : quick ? "hello" : null;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("hmemu bench: median (min..max) of %d interleaved repetitions per figure%s%n", n,
                quick ? " (--quick sizes)" : "");
        out.flush();
        List<BenchSection> sections = new ArrayList<>();
        for (Part p : which) {
            BenchSection s = switch (p) {
                case ENGINE -> engine(quick ? EngineBenchmark.Sizes.quick().withIterations(iters)
                        : EngineBenchmark.Sizes.full(iters), n);
                case ALLOCATOR -> KernelBench.allocator(n, quick ? 2 : 16);
                case REFILLS -> KernelBench.refills(n);
                case STARTUP -> new StartupBench(Images.home()).run(n);
                case TEST -> SuiteBench.run(n, filter);
            };
            print(out, s);
            sections.add(s);
        }
        if (json != null) {
            Files.writeString(json, Json.write(report(n, sections)));
        }
        return 0;
    }

    private static void print(PrintWriter out, BenchSection s) {
        out.println(s.title() + ":");
        for (BenchFigure f : s.figures()) {
            out.println(f.line());
        }
        for (String note : s.notes()) {
            out.println("  (" + note + ")");
        }
        out.flush();
    }

    private Map<String, Object> report(int n, List<BenchSection> sections) {
        Map<String, Object> root = Json.object();
        root.put("repeats", n);
        root.put("quick", quick);
        List<Object> list = Json.array();
        for (BenchSection s : sections) {
            Map<String, Object> o = Json.object();
            o.put("key", s.key());
            o.put("title", s.title());
            List<Object> figs = Json.array();
            for (BenchFigure f : s.figures()) {
                Map<String, Object> fo = Json.object();
                Spread v = f.value();
                fo.put("name", f.name());
                fo.put("unit", f.unit());
                fo.put("median", v.median());
                fo.put("min", v.min());
                fo.put("max", v.max());
                fo.put("samples", v.count());
                fo.put("what", f.what());
                figs.add(fo);
            }
            o.put("figures", figs);
            o.put("notes", new ArrayList<Object>(s.notes()));
            list.add(o);
        }
        root.put("sections", list);
        return root;
    }

    private static BenchSection engine(EngineBenchmark.Sizes sizes, int n) {
        EngineBenchmark.Result r = EngineBenchmark.run(sizes, n);
        return new BenchSection("engine", "engine: hmemu (Java MMU, virtual TLB, exact counting) vs plain Unicorn",
                List.of(new BenchFigure("loop_hmemu_ms", "ms", r.hmemuMs(),
                                "compute loop (6-instruction blocks) on hmemu"),
                        new BenchFigure("loop_plain_ms", "ms", r.plainMs(), "the same loop on plain Unicorn, no hooks"),
                        new BenchFigure("loop_hmemu_mips", "MIPS", r.hmemuMips(), "hmemu's instructions per us"),
                        new BenchFigure("loop_plain_mips", "MIPS", r.plainMips(), "plain Unicorn's"),
                        new BenchFigure("loop_speed_ratio", "ratio", r.speedRatio(),
                                "plain time / hmemu time, per repetition (target >= 0.6)"),
                        new BenchFigure("unrolled_hmemu_ms", "ms", r.unrolledHmemuMs(),
                                "the loop unrolled 6x (26-instruction blocks) on hmemu"),
                        new BenchFigure("unrolled_plain_ms", "ms", r.unrolledPlainMs(), "the same on plain Unicorn"),
                        new BenchFigure("unrolled_speed_ratio", "ratio", r.unrolledSpeedRatio(),
                                "plain time / hmemu time, per repetition"),
                        new BenchFigure("tlb_miss_us", "us", r.microsPerTlbMiss(),
                                "per TLB miss through the Java MMU: (4-way-TLB run - default-TLB run) / extra misses"),
                        new BenchFigure("hypercall_us", "us", r.microsPerHypercall(),
                                "per hypercall (out 0xE9, upcall, return), less a loop without them"),
                        new BenchFigure("refill_loop_mirror_ms", "ms", r.refillMirrorMs(),
                                "refill-heavy loop (32 pages read, then invlpg), refills of held entries "
                                        + "answered by the native mirror"),
                        new BenchFigure("refill_loop_java_ms", "ms", r.refillJavaMs(),
                                "the same loop, every engine refill through Java"),
                        new BenchFigure("refill_loop_speedup", "ratio", r.refillSpeedup(),
                                "Java time / mirror time, per repetition (target >= 2)"),
                        new BenchFigure("refill_mirror_us", "us", r.microsPerMirroredRefill(),
                                "mirror loop time / refills the model answered (all work of the loop included)"),
                        new BenchFigure("refill_java_us", "us", r.microsPerJavaRefill(),
                                "Java loop time / the same refills")),
                List.of(r.loopInstructions() + " instructions in the loop, " + r.unrolledInstructions()
                                + " unrolled",
                        r.tlbMisses() + " extra TLB misses per miss run, " + r.hypercalls() + " hypercalls per run",
                        r.refills() + " engine refills answered from the model's TLB per refill-loop run"));
    }
}
