package dev.hmemu.app;

import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.Snapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hmemu demo}: the same work through kmap() and kmap_local_page() on 1, 2 and 4
 * CPUs, side by side: shootdowns, flushes and cycles.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the shipped kmap_vs_local workload on 1, 2 and 4 CPUs and compare kmap with kmap_local.")
public final class DemoCommand implements Callable<Integer> {
    static final String DEMO_IMAGE = "kmap_vs_local";
    static final List<String> PHASES = List.of("kmap", "kmap_local");

    @Spec
    CommandSpec spec;

    @Option(names = "--image", description = "Image to run (default: the shipped ${DEFAULT-VALUE}).",
            defaultValue = DEMO_IMAGE)
    String image;

    @Option(names = "--cpu-counts", split = ",", description = "CPU counts to compare (default: ${DEFAULT-VALUE}).",
            defaultValue = "1,2,4")
    List<Integer> cpuCounts;

    @Mixin
    MachineOptions options = new MachineOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ElfImage elf = Images.load(image);
        out.printf("hmemu demo: %s — the same highmem work through kmap() and kmap_local_page()%n", elf.name());
        List<RunResult> results = new ArrayList<>();
        int worst = 0;
        for (int n : cpuCounts) {
            RunResult r = Session.run(elf, options.machineConfig(n), options.kernelConfig(), options.limits(), null);
            out.printf("  %d CPU%s: %s (exit status %d, %.2f s)%n", n, n == 1 ? " " : "s", TextReport.describe(r.stop()),
                    r.exitStatus(), r.wallSeconds());
            if (r.exitStatus() != 0) {
                out.print(r.console());
            }
            worst = Math.max(worst, r.exitStatus());
            results.add(r);
        }
        out.println();
        out.printf("%-5s %-11s %7s %6s %14s %10s %9s %8s %10s %14s %12s %10s%n", "cpus", "api", "maps", "ipis",
                "flush_received", "flush_one", "pkmap_fl", "walks", "lock_spin", "busy_cycles", "elapsed", "cyc/map");
        for (RunResult r : results) {
            for (String phase : PHASES) {
                if (r.marks().stream().noneMatch(m -> m.label().equals(phase))) {
                    continue;
                }
                Snapshot d = r.phase(phase);
                long maps = d.total(Counter.KMAP_CALLS) + d.total(Counter.KMAP_LOCAL_CALLS)
                        + d.total(Counter.KMAP_ATOMIC_CALLS);
                long cycles = d.busyCycles();
                long walks = 0;
                for (var t : d.tlb()) {
                    walks += t.walks();
                }
                out.printf("%-5d %-11s %7d %6d %14d %10d %9d %8d %10d %14d %12d %10d%n", r.machine().cpus(), phase,
                        maps, Snapshot.sum(d.ipisSent()), d.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED),
                        d.total(Counter.NR_TLB_LOCAL_FLUSH_ONE), d.total(Counter.PKMAP_FLUSHES), walks,
                        d.total(Counter.KMAP_LOCK_SPIN_CYCLES), cycles,
                        d.elapsedCycles(), maps == 0 ? 0 : cycles / maps);
            }
        }
        out.println();
        out.println("shootdown latency (each wrap's on_each_cpu: first IPI sent to last CPU done), cycles:");
        for (RunResult r : results) {
            if (r.smp() != null && r.smp().shootdowns() > 0) {
                long[] lat = r.smp().latencyMinMedianMax();
                out.printf("  %2d CPUs: %d shootdowns, min %d, median %d, max %d%n", r.machine().cpus(),
                        r.smp().shootdowns(), lat[0], lat[1], lat[2]);
            }
        }
        out.println();
        out.println("ipis = IPIs sent (pkmap wrap shootdowns); flush_received = nr_tlb_remote_flush_received;");
        out.println("flush_one = nr_tlb_local_flush_one; walks = page walks after TLB misses, all CPUs;");
        out.println("lock_spin = cycles spent spinning on kmap_lock while another CPU held it (e.g. for a wrap flush);");
        out.println("busy_cycles = cycles worked, summed over CPUs (idle excluded);");
        out.println("elapsed = the phase's length on the slowest CPU's clock; cyc/map = busy_cycles / maps.");
        out.flush();
        return worst;
    }
}
