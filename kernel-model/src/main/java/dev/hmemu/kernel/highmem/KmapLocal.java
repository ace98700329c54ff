package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.sched.PerCpu;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.report.CallSite;
import dev.hmemu.kernel.report.CallSites;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.RawSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.tlb.TlbFlush;
import dev.hmemu.mmu.PteBits;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Local kmaps: the CONFIG_KMAP_LOCAL half of mm/highmem.c (x86: linear PTE array,
 * arch_kmap_local_post_unmap = flush_tlb_one_kernel, no kmap_high_get).
 *
 * <p>Each task has a stack of mappings in its kmap_ctrl: {@code idx} counts slot units
 * (KM_INCR per mapping: 1, or 2 with DEBUG_KMAP_LOCAL whose even positions are guard
 * slots) and pteval[i] is the PTE installed at position i. Position i of a task running
 * on CPU c uses fixmap slot FIX_KMAP_BEGIN + i + KM_MAX_IDX*c, whose PTE is
 * {@code __kmap_pte - idx}. Mapping writes the PTE without a flush (the slot was
 * INVLPG'd when last cleared); unmapping clears the top slot's PTE and INVLPGs the
 * passed address locally. Switching out clears the task's live PTEs (INVLPG each),
 * switching in rewrites them without flushing; idx itself never changes on a switch.
 *
 * <p>BUG/WARN sites are v6.1's mm/highmem.c lines ({@link LinuxSite}).
 */
final class KmapLocal {
    static final String PUSH_HARDIRQ_SITE = LinuxSite.KMAP_LOCAL_PUSH_HARDIRQ.where();
    static final String PUSH_OVERFLOW_SITE = LinuxSite.KMAP_LOCAL_PUSH_OVERFLOW.where();
    static final String POP_UNDERFLOW_SITE = LinuxSite.KMAP_LOCAL_POP_UNDERFLOW.where();
    static final String MAP_PTE_BUSY_SITE = LinuxSite.KMAP_LOCAL_PTE_BUSY.where();
    static final String UNMAP_FORCE_MAP_SITE = LinuxSite.KUNMAP_LOCAL_FORCE_MAP.where();
    static final String UNMAP_USER_ADDR_SITE = LinuxSite.KUNMAP_LOCAL_USER_ADDR.where();
    static final String UNMAP_NOT_TOP_SITE = LinuxSite.KUNMAP_LOCAL_NOT_TOP.where();

    private final Machine machine;
    private final MmApi mm;
    private final KernelPageTables pt;
    private final TlbFlush tlb;
    private final KmapLocalSlots slots;
    private final SchedApi sched;
    private final KernelStats stats;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final int KM_MAX_IDX;
    private final int KM_INCR;
    private final boolean forceMap;
    private final HighmemSites sites;

    KmapLocal(Machine machine, KernelConfig config, MmApi mm, TlbFlush tlb, KmapLocalSlots slots, SchedApi sched,
              KernelStats stats, Reports reports, IntFunction<Reports.Context> ctx, HighmemSites sites) {
        this.sites = sites;
        this.machine = machine;
        this.mm = mm;
        this.pt = mm.pageTables();
        this.tlb = tlb;
        this.slots = slots;
        this.sched = sched;
        this.stats = stats;
        this.reports = reports;
        this.ctx = ctx;
        this.KM_MAX_IDX = slots.kmMaxIdx();
        this.KM_INCR = config.kmIncr();
        this.forceMap = config.forceMap();
    }

    /** kmap_local_idx_push(): reserve the next position; BUG past KM_MAX_IDX. */
    private int kmapLocalIdxPush(Task t, int cpu, RawSite site) {
        PerCpu pc = sched.perCpu(cpu);
        if (pc.inHardirq() && !pc.irqsDisabled) {
            reports.warnOnce(ctx.apply(cpu), PUSH_HARDIRQ_SITE, PUSH_HARDIRQ_SITE, "__kmap_local_pfn_prot");
        }
        t.kmapCtrl.idx += KM_INCR;
        if (t.kmapCtrl.idx >= KM_MAX_IDX) {
            List<CallSite> cs = new ArrayList<>();
            cs.add(callSites().resolve("kmap_local", site));
            for (int i = 0; i < t.kmapCtrl.idx - KM_INCR && i < KM_MAX_IDX; i++) {
                if (t.kmapCtrl.site[i] != null) {
                    cs.add(callSites().resolve("mapped #" + i, t.kmapCtrl.site[i]));
                }
            }
            throw reports.bug(ctx.apply(cpu), Finding.Kind.KMAP_LOCAL_OVERFLOW, PUSH_OVERFLOW_SITE, String.format(
                    "BUG_ON(current->kmap_ctrl.idx >= KM_MAX_IDX): idx %d, KM_MAX_IDX %d", t.kmapCtrl.idx,
                    KM_MAX_IDX), new Reports.Detail(cs, String.format("%s already holds %d kmap_local mappings, "
                    + "the most the per-task stack has room for; Linux v6.1 BUGs (the task dies with an oops). "
                    + "Unmap mappings you no longer need before mapping more, or map fewer pages at once.",
                    t, (t.kmapCtrl.idx - KM_INCR) / KM_INCR)));
        }
        return t.kmapCtrl.idx - 1;
    }

    /** kmap_local_idx(): the top position. */
    private static int kmapLocalIdx(Task t) {
        return t.kmapCtrl.idx - 1;
    }

    /** kmap_local_idx_pop(); BUG below zero. */
    private void kmapLocalIdxPop(Task t, int cpu) {
        t.kmapCtrl.idx -= KM_INCR;
        if (t.kmapCtrl.idx < 0) {
            throw reports.bug(ctx.apply(cpu), POP_UNDERFLOW_SITE,
                    "BUG_ON(current->kmap_ctrl.idx < 0): kunmap_local without a mapping");
        }
    }

    /**
     * __kmap_local_pfn_prot(): migrate_disable (kept until unmap), push, write the slot's
     * PTE (BUG if it is not none), no TLB flush, record pteval.
     */
    long kmapLocalPfnProt(Hcall call, Task t, long pfn, long prot) {
        int cpu = call.cpuId();
        RawSite site = callSites().capture(call.cpu());
        sched.migrateDisable(t);
        sched.preemptDisable(cpu);
        int pos = kmapLocalIdxPush(t, cpu, site);
        int idx = slots.kmapLocalCalcIdx(pos, cpu);
        long vaddr = slots.slotAddress(idx);
        long ptep = slots.kmapGetPte(idx);
        if (!KernelPageTables.pteNone(pt.ptepGet(ptep))) {
            throw reports.bug(ctx.apply(cpu), MAP_PTE_BUSY_SITE, String.format(
                    "BUG_ON(!pte_none(*(kmap_pte - idx))): slot %d (%08x) PTE %016x", idx, vaddr, pt.ptepGet(ptep)));
        }
        long pteval = pt.pfnPte(pfn, prot);
        pt.setPte(ptep, pteval); // arch_kmap_local_post_map: nothing on bare metal
        slots.pteWritten(idx);
        t.kmapCtrl.pteval[kmapLocalIdx(t)] = pteval;
        t.kmapCtrl.site[kmapLocalIdx(t)] = site;
        sites.localMapped(vaddr, t.pid, t.comm, cpu, site);
        stats.max(Counter.KMAP_LOCAL_MAX_DEPTH, cpu, t.kmapCtrl.idx / KM_INCR);
        sched.preemptEnable(cpu, call);
        return vaddr;
    }

    /**
     * __kmap_local_page_prot(): lowmem pages are returned from the direct map (no state
     * change) unless CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP; everything else gets a slot.
     */
    long kmapLocalPageProt(Hcall call, Task t, long page, long prot) {
        long pfn = mm.pageToPfn(page);
        if (!forceMap && !mm.pageHighMem(page)) {
            return Layout.va(pfn << Layout.PAGE_SHIFT);
        }
        return kmapLocalPfnProt(call, t, pfn, prot);
    }

    /**
     * kunmap_local_indexed(): addresses outside the kmap_local slots only warn (user
     * addresses, or anything with FORCE_MAP). Inside, the TOP position is unmapped
     * whatever address was passed (WARN_ON_ONCE if it is not the top's): its PTE is
     * cleared, the passed address is INVLPG'd, the position popped, migration re-enabled.
     */
    void kunmapLocalIndexed(Hcall call, Task t, long vaddr) {
        int cpu = call.cpuId();
        long addr = vaddr & -Layout.PAGE_SIZE & 0xFFFFFFFFL;
        if (!slots.inSlots(addr)) {
            if (forceMap) {
                reports.warnOnce(ctx.apply(cpu), UNMAP_FORCE_MAP_SITE, UNMAP_FORCE_MAP_SITE, "kunmap_local_indexed");
                return;
            }
            if (addr < Layout.PAGE_OFFSET) { // kmap_high_unmap_local() is false on x86
                reports.warnOnce(ctx.apply(cpu), UNMAP_USER_ADDR_SITE, UNMAP_USER_ADDR_SITE, "kunmap_local_indexed");
            }
            return;
        }
        sched.preemptDisable(cpu);
        int top = kmapLocalIdx(t);
        int idx = slots.kmapLocalCalcIdx(top, cpu);
        long topAddr = slots.slotAddress(idx);
        RawSite unmapSite = callSites().capture(call.cpu());
        if (addr != topAddr) {
            outOfOrder(call, t, addr, top, topAddr, unmapSite);
        }
        pt.pteClear(slots.kmapGetPte(idx));
        slots.pteWritten(idx);
        sites.localUnmapped(topAddr, unmapSite);
        tlb.flushTlbOneKernel(call.cpu(), addr); // arch_kmap_local_post_unmap(addr)
        if (top >= 0) {
            t.kmapCtrl.pteval[top] = 0;
            t.kmapCtrl.site[top] = null;
        } else {
            t.kmapCtrl.idx = 0; // pteval[-1] overlays kmap_ctrl.idx
        }
        kmapLocalIdxPop(t, cpu);
        sched.preemptEnable(cpu, call);
        sched.migrateEnable(t);
    }

    /** The WARN_ON_ONCE of an unmap that is not the top of the stack, as a kunmap_local_order finding. */
    private void outOfOrder(Hcall call, Task t, long addr, int top, long topAddr, RawSite unmapSite) {
        int cpu = call.cpuId();
        List<CallSite> cs = new ArrayList<>();
        cs.add(callSites().resolve("kunmap_local", unmapSite));
        if (top >= 0 && t.kmapCtrl.site[top] != null) {
            cs.add(callSites().resolve("map (top)", t.kmapCtrl.site[top]));
        }
        int passed = -1;
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            if (slots.slotAddress(slots.kmapLocalCalcIdx(i, cpu)) == addr) {
                passed = i;
                if (t.kmapCtrl.site[i] != null) {
                    cs.add(callSites().resolve("map (passed)", t.kmapCtrl.site[i]));
                }
            }
        }
        String explanation = String.format("kmap_local mappings form a per-task stack and must be undone in reverse "
                + "order. Linux v6.1 warns once, then unmaps the TOP slot anyway: it clears the PTE of %08x (the "
                + "latest mapping) and INVLPGs only %08x, so %08x stays mapped (its slot, position %d, stays in "
                + "use) and %08x keeps a stale TLB entry on CPU %d until it is evicted. Call kunmap_local(%08x) "
                + "before kunmap_local(%08x).", topAddr, addr, addr, passed, topAddr, cpu, topAddr, addr);
        reports.warnOnce(ctx.apply(cpu), Finding.Kind.KUNMAP_LOCAL_ORDER, UNMAP_NOT_TOP_SITE, UNMAP_NOT_TOP_SITE,
                "kunmap_local_indexed", String.format("kunmap_local_indexed: kunmap_local(%08x) is not the top "
                + "of %s's kmap_local stack (%08x)", addr, t, topAddr), new Reports.Detail(cs, explanation));
    }

    private CallSites callSites() {
        return reports.sites();
    }

    /**
     * The kmap_local half of __kmap_to_page(): for an address in the slots (note the
     * strict upper bound, as upstream) the page recorded at the matching position of the
     * current task; -1 when the address is not a live position.
     */
    long kmapToPage(Task t, int cpu, long vaddr) {
        long base = vaddr & -Layout.PAGE_SIZE & 0xFFFFFFFFL;
        if (t == null || !slots.inSlotsBelowBegin(base)) {
            return -1;
        }
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            if (slots.slotAddress(slots.kmapLocalCalcIdx(i, cpu)) == base) {
                return mm.pfnToPage(pt.ptePfn(t.kmapCtrl.pteval[i]));
            }
        }
        return -1;
    }

    /**
     * Each CPU's slots hold exactly its current task's live positions (and nothing when
     * idle); the kmap_local PTEs form one linear array.
     */
    void checkInvariants() {
        long last = pt.virtToKpte(slots.slotAddress(slots.lastIdx()));
        if (last != slots.kmapGetPte(slots.lastIdx())) {
            throw new IllegalStateException("kmap_local PTEs are not one linear array");
        }
        long ad = PteBits._PAGE_ACCESSED | PteBits._PAGE_DIRTY;
        for (Cpu c : machine.cpus()) {
            Task t = sched.current(c.id());
            for (int p = 0; p < KM_MAX_IDX; p++) {
                long want = t != null && p < t.kmapCtrl.idx ? t.kmapCtrl.pteval[p] : 0;
                long have = pt.ptepGet(slots.kmapGetPte(slots.kmapLocalCalcIdx(p, c.id())));
                if ((want | ad) != (have | ad)) {
                    throw new IllegalStateException(String.format(
                            "CPU%d kmap_local position %d: PTE %016x, %s expects %016x", c.id(), p, have,
                            t == null ? "idle CPU" : t.toString(), want));
                }
            }
        }
    }
}
