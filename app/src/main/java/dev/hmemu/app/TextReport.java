package dev.hmemu.app;

import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.smp.SmpReport;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.stats.Snapshot;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The human-readable summary printed after {@code hmemu run}. */
public final class TextReport {
    /** The counters shown per CPU and per phase, in this order. */
    static final List<Counter> TLB_COUNTERS = List.of(Counter.NR_TLB_REMOTE_FLUSH,
            Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, Counter.NR_TLB_LOCAL_FLUSH_ALL, Counter.NR_TLB_LOCAL_FLUSH_ONE);

    private TextReport() {
    }

    public static String describe(StopReason s) {
        if (s instanceof StopReason.GuestExited g) {
            return "main returned " + g.status();
        } else if (s instanceof StopReason.Oops o) {
            return "oops: " + o.report().lines().findFirst().orElse("");
        } else if (s instanceof StopReason.KernelBug b) {
            return "kernel BUG: " + b.report().lines().filter(l -> l.startsWith("kernel BUG")).findFirst()
                    .orElse(b.report().lines().findFirst().orElse(""));
        } else if (s instanceof StopReason.LimitReached l) {
            return l.limit() + " limit reached (" + l.value() + ")";
        } else if (s instanceof StopReason.Deadlock d) {
            return "deadlock: " + d.detail();
        } else if (s instanceof StopReason.MachineError e) {
            return "machine error: " + e.message();
        } else if (s instanceof StopReason.Killed k) {
            return "killed by " + k.by();
        }
        return s.toString();
    }

    static void print(RunResult r, PrintStream out) {
        out.printf("%n== hmemu: %s on %d CPU%s (%s, %d MiB) ==%n", r.image(), r.machine().cpus(),
                r.machine().cpus() == 1 ? "" : "s", r.machine().paging(), r.machine().memoryBytes() >> 20);
        out.printf("result: %s; exit status %d; %.3f s wall%n", describe(r.stop()), r.exitStatus(), r.wallSeconds());
        Snapshot e = r.end();
        if (e == null) {
            return;
        }
        out.println();
        out.printf("%-4s %14s %14s %10s %10s %8s %9s %9s %12s %14s %12s %12s%n", "cpu", "instructions", "cycles",
                "refill-hit", "tlb-misses", "walks", "ipi-sent", "ipi-recv", "remote_flush", "flush_received",
                "flush_all", "flush_one");
        for (int c = 0; c < e.cpus(); c++) {
            TlbStatsSnapshot t = e.tlb()[c];
            out.printf("%-4d %14d %14d %10d %10d %8d %9d %9d %12d %14d %12d %12d%n", c, e.instructions()[c],
                    e.cycles()[c], t.hits(), t.misses(), t.walks(), e.ipisSent()[c], e.ipisReceived()[c],
                    e.counter(Counter.NR_TLB_REMOTE_FLUSH, c), e.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c),
                    e.counter(Counter.NR_TLB_LOCAL_FLUSH_ALL, c), e.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, c));
        }
        out.println("(refill-hit: the engine's own TLB refills that the modelled TLB answered, a host-side figure that"
                + " can differ between runs; misses and walks are the modelled TLB's)");
        out.println();
        out.print("cycles by kind (all CPUs):");
        for (CycleCategory cat : CycleCategory.values()) {
            long sum = 0;
            for (long[] perCpu : r.cyclesByCategory()) {
                sum += perCpu[cat.ordinal()];
            }
            if (sum != 0) {
                out.printf("  %s %d;", cat.label(), sum);
            }
        }
        out.println();
        out.printf("highmem: pkmap flushes %d, pkmap wraps %d, kmap waits %d, kmap_lock contended %d (%d cycles), "
                        + "kmap_local max depth %d, context switches %d, preemptions %d%n",
                e.total(Counter.PKMAP_FLUSHES), e.total(Counter.PKMAP_WRAPS), e.total(Counter.KMAP_WAITS),
                e.total(Counter.KMAP_LOCK_CONTENDED), e.total(Counter.KMAP_LOCK_SPIN_CYCLES),
                e.total(Counter.KMAP_LOCAL_MAX_DEPTH), e.total(Counter.CONTEXT_SWITCHES),
                e.total(Counter.PREEMPTIONS));
        printSmp(r, out);
        printCalls(e, out);
        printPhases(r, out);
        if (!r.findings().isEmpty()) {
            out.println();
            out.println("findings:");
            for (Finding f : r.findings()) {
                out.printf("  %s on CPU %d PID %d: %s%n", f.kind().id(), f.cpu(), f.pid(), f.message());
            }
        }
    }

    /** {@code --findings-only}: each finding's full report (Linux's text, then hmemu's lines), in order. */
    static void printFindings(RunResult r, PrintStream out) {
        for (Finding f : r.findings()) {
            out.print(f.text().endsWith("\n") ? f.text() : f.text() + "\n");
        }
        out.printf("hmemu: %d finding(s), exit status %d%n", r.findings().size(), r.exitStatus());
    }

    /** Per CPU: IPI wait, IPI handler and lock spin cycles; shootdown latency (more than one CPU). */
    private static void printSmp(RunResult r, PrintStream out) {
        SmpReport s = r.smp();
        if (s == null || r.machine().cpus() < 2) {
            return;
        }
        out.println();
        StringBuilder head = new StringBuilder(String.format("%-4s %12s %12s", "cpu", "ipi_wait", "ipi_handler"));
        for (String lock : s.lockSpin().keySet()) {
            head.append(String.format(" %20s", "spin:" + lock));
        }
        out.println(head);
        for (int c = 0; c < r.machine().cpus(); c++) {
            StringBuilder row = new StringBuilder(String.format("%-4d %12d %12d", c, s.ipiWait()[c], s.ipiHandler()[c]));
            for (Map.Entry<String, long[]> l : s.lockSpin().entrySet()) {
                row.append(String.format(" %20s", l.getValue()[c] + " (" + s.lockContended().get(l.getKey())[c] + "x)"));
            }
            out.println(row);
        }
        long[] lat = s.latencyMinMedianMax();
        out.printf("shootdowns %d: latency (first IPI sent to last target done) min %d, median %d, max %d cycles%n",
                s.shootdowns(), lat[0], lat[1], lat[2]);
    }

    private static void printCalls(Snapshot e, PrintStream out) {
        out.println();
        out.printf("%-28s %10s %14s %12s%n", "kernel call", "count", "cycles", "cycles/call");
        for (Hypercall h : Hypercall.values()) {
            long n = e.calls()[h.ordinal()];
            if (n > 0) {
                long cy = e.callCycles()[h.ordinal()];
                out.printf("%-28s %10d %14d %12d%n", h.linuxName(), n, cy, cy / n);
            }
        }
    }

    private static void printPhases(RunResult r, PrintStream out) {
        List<PhaseLog.Mark> marks = r.marks();
        if (marks.size() < 2) {
            return;
        }
        out.println();
        out.println("phases (between hmemu_mark() calls; sums over all CPUs):");
        out.printf("%-16s %14s %14s %6s %14s %10s %8s %8s %10s %10s%n", "phase", "instructions", "busy_cycles", "ipis",
                "flush_received", "flush_one", "pkmap_fl", "kmaps", "kmap_local", "kmap_atom");
        for (int i = 1; i < marks.size(); i++) {
            Snapshot d = r.phaseAt(i);
            out.printf("%-16s %14d %14d %6d %14d %10d %8d %8d %10d %10d%n", marks.get(i).label(),
                    Snapshot.sum(d.instructions()), d.busyCycles(), Snapshot.sum(d.ipisSent()),
                    d.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED), d.total(Counter.NR_TLB_LOCAL_FLUSH_ONE),
                    d.total(Counter.PKMAP_FLUSHES), d.total(Counter.KMAP_CALLS), d.total(Counter.KMAP_LOCAL_CALLS),
                    d.total(Counter.KMAP_ATOMIC_CALLS));
        }
    }
}
