package dev.hmemu.kernel.debug;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.debug.KernelDebugViews;
import dev.hmemu.emulator.debug.KernelEventSink;
import dev.hmemu.kernel.highmem.Highmem;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.Scheduler;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.tlb.TlbFlush;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel model's views for a debugger ({@code monitor kmap}, {@code monitor vmstat},
 * what each CPU runs) and its events ({@code monitor break-on EVENT}): shootdown (the
 * model is about to flush the other CPUs' TLBs by IPI), wrap (the pkmap cursor wrapped),
 * warn, bug, oops, and finding (any report). Read-only: nothing here changes the model.
 */
public final class KernelViews implements KernelDebugViews {
    private static final List<String> EVENTS = List.of("shootdown", "wrap", "warn", "bug", "oops", "finding");

    private final Machine machine;
    private final Scheduler sched;
    private final Highmem highmem;
    private final Layout layout;
    private final KernelStats stats;
    private final Reports reports;
    private final TlbFlush tlb;

    public KernelViews(Machine machine, Scheduler sched, Highmem highmem, Layout layout, KernelStats stats,
                       Reports reports, TlbFlush tlb) {
        this.tlb = tlb;
        this.machine = machine;
        this.sched = sched;
        this.highmem = highmem;
        this.layout = layout;
        this.stats = stats;
        this.reports = reports;
    }

    @Override
    public Map<String, String> commands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kmap", "pkmap_count summary (free / mapped / needs flush), last_pkmap_nr, waiters; every task's"
                + " kmap_local stack");
        m.put("vmstat", "the nr_tlb_* counters per CPU");
        return m;
    }

    @Override
    public String run(String name, String args) {
        return switch (name) {
            case "kmap" -> kmap();
            case "vmstat" -> vmstat();
            default -> throw new IllegalArgumentException("no kernel command " + name);
        };
    }

    private String kmap() {
        int[] count = highmem.pkmapCounts();
        int free = 0;
        int mapped = 0;
        int needFlush = 0;
        for (int c : count) {
            if (c == 0) {
                free++;
            } else if (c == 1) {
                needFlush++;
            } else {
                mapped++;
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("pkmap: LAST_PKMAP %d: %d free (count 0), %d mapped (count > 1), %d need a flush"
                        + " (count 1); last_pkmap_nr %d; %d waiting in pkmap_map_wait%n", count.length, free, mapped,
                needFlush, highmem.lastPkmapNr(), highmem.pkmapWaiters()));
        for (int i = 0; i < count.length; i++) {
            if (count[i] > 1) {
                b.append(String.format("  slot %3d  %08x  count %d%n", i, layout.pkmapAddr(i), count[i]));
            }
        }
        b.append("kmap_local stacks:\n");
        boolean any = false;
        for (Task t : sched.tasks()) {
            int depth = t.kmapCtrl.idx;
            if (depth <= 0) {
                continue;
            }
            any = true;
            b.append(String.format("  %s (pid %d) on CPU %d: %d slot%s%n", t.comm, t.pid, t.cpu, depth,
                    depth == 1 ? "" : "s"));
            for (int i = 0; i < depth && i < t.kmapCtrl.pteval.length; i++) {
                long pte = t.kmapCtrl.pteval[i];
                b.append(String.format("    slot %2d  %08x  %s%n", i, layout.kmapLocalSlotAddr(t.cpu, i),
                        pte == 0 ? "(guard)" : String.format("pfn %x", (pte & 0x000f_ffff_ffff_f000L) >>> 12)));
            }
        }
        if (!any) {
            b.append("  (none)\n");
        }
        return b.toString();
    }

    private String vmstat() {
        StringBuilder b = new StringBuilder("cpu  nr_tlb_remote_flush  nr_tlb_remote_flush_received  nr_tlb_local_flush_all"
                + "  nr_tlb_local_flush_one\n");
        for (int c = 0; c < machine.cpus().size(); c++) {
            b.append(String.format("%3d  %19d  %28d  %22d  %22d%n", c, stats.get(Counter.NR_TLB_REMOTE_FLUSH, c),
                    stats.get(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c), stats.get(Counter.NR_TLB_LOCAL_FLUSH_ALL, c),
                    stats.get(Counter.NR_TLB_LOCAL_FLUSH_ONE, c)));
        }
        return b.toString();
    }

    @Override
    public String cpuActivity(int cpu) {
        Task t = sched.current(cpu);
        if (t == null || t.isIdle()) {
            return "idle";
        }
        return String.format("task %s (pid %d)", t.comm, t.pid);
    }

    @Override
    public List<String> events() {
        return EVENTS;
    }

    @Override
    public void setEventSink(KernelEventSink sink) {
        tlb.setShootdownListener(cpu -> sink.event(cpu, "shootdown", "flushing the TLBs of the other CPUs"));
        stats.setCountListener((counter, cpu) -> {
            if (counter == Counter.PKMAP_WRAPS) {
                sink.event(cpu, "wrap", "the pkmap cursor wrapped: flush_all_zero_pkmaps()");
            }
        });
        reports.setFindingListener(f -> {
            String kind = switch (f.kind()) {
                case WARN -> "warn";
                case BUG -> "bug";
                case OOPS -> "oops";
                default -> null;
            };
            if (kind != null) {
                sink.event(f.cpu(), kind, f.title());
            }
            sink.event(f.cpu(), "finding", f.kind().name().toLowerCase(Locale.ROOT) + ": " + f.title());
        });
    }

    /** For tests: the findings so far. */
    List<Finding> findings() {
        return reports.findings();
    }
}
