package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.WaitQueue;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.tlb.TlbFlush;
import java.util.function.IntFunction;

/**
 * The highmem API the guest calls (include/linux/highmem-internal.h on a CONFIG_HIGHMEM
 * x86-32 kernel, !PREEMPT_RT), over {@link Pkmap} (kmap/kunmap) and {@link KmapLocal}
 * (kmap_local/kmap_atomic), plus page_address() and kmap_to_page() of mm/highmem.c.
 *
 * <p>kmap_prot is PAGE_KERNEL (P|RW|A|D|G|NX, as far as the CPU supports G and NX). kmap()
 * and kunmap() call might_sleep() unconditionally; kmap_atomic() raises preempt_count and
 * pagefault_disabled even for lowmem pages; kmap_local_page() of a lowmem page changes
 * nothing unless FORCE_MAP.
 */
public final class Highmem implements HighmemApi {
    static final String HIGHMEM_INTERNAL_H = LinuxSite.KMAP_MIGHT_SLEEP.file();
    /** Line of might_sleep() in kmap() (v6.1). */
    static final int KMAP_MIGHT_SLEEP_LINE = LinuxSite.KMAP_MIGHT_SLEEP.line();
    /** Line of might_sleep() in kunmap() (v6.1). */
    static final int KUNMAP_MIGHT_SLEEP_LINE = LinuxSite.KUNMAP_MIGHT_SLEEP.line();

    private final MmApi mm;
    private final SchedApi sched;
    private final KernelStats stats;
    private final KmapLocalSlots slots;
    private final Layout layout;
    private final Pkmap pkmap;
    private final KmapLocal local;
    private final long kmapProt;

    /**
     * @param slots the kmap_local slots, built before the scheduler (which switches them)
     * @param ctx   report context (CPU, PID, comm) of whoever runs on a CPU
     */
    public Highmem(Machine machine, KernelConfig config, KernelCosts costs, MmApi mm, TlbFlush tlb,
                   KmapLocalSlots slots, SchedApi sched, KernelStats stats, Reports reports,
                   IntFunction<Reports.Context> ctx) {
        this.mm = mm;
        this.sched = sched;
        this.stats = stats;
        this.slots = slots;
        this.layout = mm.layout();
        this.pkmap = new Pkmap(mm, tlb, sched, stats, reports, ctx, costs);
        this.local = new KmapLocal(machine, config, mm, tlb, slots, sched, stats, reports, ctx);
        this.kmapProt = mm.pageTables().pageKernel();
    }

    @Override
    public void register(HypercallTable t) {
        t.register(Hypercall.KMAP, c -> kmap(c, c.arg(0)));
        t.register(Hypercall.KUNMAP, c -> kunmap(c, c.arg(0)));
        t.register(Hypercall.KMAP_LOCAL_PAGE, c -> kmapLocalPage(c, c.arg(0)));
        t.register(Hypercall.KUNMAP_LOCAL, c -> kunmapLocal(c, c.arg(0)));
        t.register(Hypercall.KMAP_ATOMIC, c -> kmapAtomic(c, c.arg(0)));
        t.register(Hypercall.KUNMAP_ATOMIC, c -> kunmapAtomic(c, c.arg(0)));
        t.register(Hypercall.KMAP_FLUSH_UNUSED, this::kmapFlushUnused);
        t.register(Hypercall.KMAP_TO_PAGE, c -> kmapToPage(c, c.arg(0)));
        t.register(Hypercall.PAGE_ADDRESS, c -> pageAddress(c.arg(0)));
    }

    /**
     * kmap(): might_sleep(); lowmem gives page_address(); highmem kmap_high(), which may
     * put the task to sleep on pkmap_map_wait and return {@link Hypercall#RESTART}. The
     * re-issued call resumes there (no second might_sleep or KMAP_CALLS).
     */
    public long kmap(Hcall call, long page) {
        Task t = current(call);
        boolean spun = pkmap.lockHandedOver(call.cpuId());
        boolean restarted = t != null && pkmap.restartAfterSleep(t) || spun;
        if (!restarted) {
            sched.mightSleep(call, HIGHMEM_INTERNAL_H, KMAP_MIGHT_SLEEP_LINE);
            stats.count(Counter.KMAP_CALLS, call.cpuId());
        }
        if (!mm.pageHighMem(page)) {
            return pageAddress(page);
        }
        return pkmap.kmapHigh(call, t, page, restarted);
    }

    /** kunmap(): might_sleep(); nothing for lowmem; kunmap_high() for highmem. */
    public long kunmap(Hcall call, long page) {
        if (!pkmap.lockHandedOver(call.cpuId())) { // not the re-issue after spinning on kmap_lock
            sched.mightSleep(call, HIGHMEM_INTERNAL_H, KUNMAP_MIGHT_SLEEP_LINE);
            stats.count(Counter.KUNMAP_CALLS, call.cpuId());
        }
        if (mm.pageHighMem(page)) {
            return pkmap.kunmapHigh(call, page);
        }
        return 0;
    }

    /** kmap_to_page() = __kmap_to_page(): pkmap PTE, then the current task's kmap_local stack, else virt_to_page. */
    public long kmapToPage(Hcall call, long vaddr) {
        vaddr &= 0xFFFFFFFFL;
        if (layout.inPkmap(vaddr)) {
            return pkmap.kmapToPage(vaddr);
        }
        long page = local.kmapToPage(current(call), call.cpuId(), vaddr);
        if (page >= 0) {
            return page;
        }
        return (mm.memMap() + ((Layout.pa(vaddr) >>> Layout.PAGE_SHIFT) & 0xFFFFF) * mm.structPageSize())
                & 0xFFFFFFFFL; // virt_to_page(), meaningful for the direct map only
    }

    /** kmap_flush_unused() = __kmap_flush_unused(). */
    public long kmapFlushUnused(Hcall call) {
        return pkmap.kmapFlushUnused(call.cpu());
    }

    /** kmap_local_page() = __kmap_local_page_prot(page, kmap_prot). */
    public long kmapLocalPage(Hcall call, long page) {
        stats.count(Counter.KMAP_LOCAL_CALLS, call.cpuId());
        return local.kmapLocalPageProt(call, current(call), page, kmapProt);
    }

    /** kunmap_local(addr) = kunmap_local_indexed(addr). */
    public long kunmapLocal(Hcall call, long vaddr) {
        stats.count(Counter.KUNMAP_LOCAL_CALLS, call.cpuId());
        local.kunmapLocalIndexed(call, current(call), vaddr);
        return 0;
    }

    /** kmap_atomic() = kmap_atomic_prot(page, kmap_prot): preempt_disable, pagefault_disable, then kmap_local. */
    public long kmapAtomic(Hcall call, long page) {
        stats.count(Counter.KMAP_ATOMIC_CALLS, call.cpuId());
        Task t = current(call);
        sched.preemptDisable(call.cpuId());
        sched.pagefaultDisable(t);
        return local.kmapLocalPageProt(call, t, page, kmapProt);
    }

    /** kunmap_atomic(): kunmap_local_indexed, pagefault_enable, preempt_enable (may reschedule). */
    public long kunmapAtomic(Hcall call, long vaddr) {
        stats.count(Counter.KUNMAP_ATOMIC_CALLS, call.cpuId());
        Task t = current(call);
        local.kunmapLocalIndexed(call, t, vaddr);
        sched.pagefaultEnable(t);
        sched.preemptEnable(call.cpuId(), call);
        return 0;
    }

    // ---- read-only views for a debugger (monitor kmap) ----

    /** A copy of pkmap_count[]. */
    public int[] pkmapCounts() {
        return pkmap.counts();
    }

    /** Tasks sleeping in pkmap_map_wait. */
    public int pkmapWaiters() {
        return pkmap.waiters();
    }

    /** page_address(): the direct map for lowmem; the pkmap address or 0 (NULL) for highmem. */
    public long pageAddress(long page) {
        long pfn = mm.pageToPfn(page);
        if (pfn < layout.maxLowPfn()) {
            return Layout.va(pfn << Layout.PAGE_SHIFT); // lowmem_page_address()
        }
        return pkmap.pageAddress(page);
    }

    @Override
    public void kmapLocalSchedOut(Task t, int cpu) {
        slots.kmapLocalSchedOut(t, cpu);
    }

    @Override
    public void kmapLocalSchedIn(Task t, int cpu) {
        slots.kmapLocalSchedIn(t, cpu);
    }

    @Override
    public void checkInvariants() {
        pkmap.checkInvariants();
        local.checkInvariants();
    }

    @Override
    public int pkmapMappedCount() {
        return pkmap.mappedCount();
    }

    /** pkmap_count[nr] (for tests and reports). */
    public int pkmapCount(int nr) {
        return pkmap.count(nr);
    }

    /** last_pkmap_nr, the allocation cursor. */
    public int lastPkmapNr() {
        return pkmap.lastPkmapNr();
    }

    /** pkmap_map_wait. */
    public WaitQueue pkmapMapWait() {
        return pkmap.pkmapMapWait();
    }

    /** kmap_prot (PAGE_KERNEL as the CPU supports it). */
    public long kmapProt() {
        return kmapProt;
    }

    private Task current(Hcall call) {
        return sched.current(call.cpuId());
    }
}
