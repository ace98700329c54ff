package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.KernelConfig;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.KernelServices;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.sched.PerCpu;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.tlb.TlbFlush;

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
    static final String SCHED_OUT_GUARD_SITE = LinuxSite.SCHED_OUT_GUARD.where();
    static final String SCHED_OUT_NONE_SITE = LinuxSite.SCHED_OUT_NONE.where();
    static final String SCHED_IN_GUARD_SITE = LinuxSite.SCHED_IN_GUARD.where();
    static final String SCHED_IN_NONE_SITE = LinuxSite.SCHED_IN_NONE.where();

    private final KernelServices k;
    private final MmApi mm;
    private final KernelPageTables pt;
    private final TlbFlush tlb;
    private final Layout layout;
    private final int KM_MAX_IDX;
    private final int KM_INCR;
    private final boolean debugKmapLocal;
    private final boolean forceMap;
    private final int FIX_KMAP_BEGIN;
    private final int FIX_KMAP_END;
    /** __kmap_pte: PTE of FIX_KMAP_BEGIN (physical), cached on first use; -1 before. */
    private long kmapPte = -1;

    KmapLocal(KernelServices k, MmApi mm, TlbFlush tlb) {
        KernelConfig cfg = k.config();
        this.k = k;
        this.mm = mm;
        this.pt = mm.pageTables();
        this.tlb = tlb;
        this.layout = mm.layout();
        this.KM_MAX_IDX = layout.kmMaxIdx();
        this.KM_INCR = cfg.kmIncr();
        this.debugKmapLocal = cfg.debugKmapLocal();
        this.forceMap = cfg.forceMap();
        this.FIX_KMAP_BEGIN = layout.fixKmapBegin();
        this.FIX_KMAP_END = layout.fixKmapEnd();
    }

    /** kmap_local_idx_push(): reserve the next position; BUG past KM_MAX_IDX. */
    private int kmapLocalIdxPush(Task t, int cpu) {
        PerCpu pc = sched().perCpu(cpu);
        if (pc.inHardirq() && !pc.irqsDisabled) {
            k.reports().warnOnce(k.ctx(cpu), PUSH_HARDIRQ_SITE, PUSH_HARDIRQ_SITE, "__kmap_local_pfn_prot");
        }
        t.kmapCtrl.idx += KM_INCR;
        if (t.kmapCtrl.idx >= KM_MAX_IDX) {
            throw k.reports().bug(k.ctx(cpu), PUSH_OVERFLOW_SITE, String.format(
                    "BUG_ON(current->kmap_ctrl.idx >= KM_MAX_IDX): idx %d, KM_MAX_IDX %d", t.kmapCtrl.idx,
                    KM_MAX_IDX));
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
            throw k.reports().bug(k.ctx(cpu), POP_UNDERFLOW_SITE,
                    "BUG_ON(current->kmap_ctrl.idx < 0): kunmap_local without a mapping");
        }
    }

    /** kmap_local_calc_idx(): fixmap offset of position {@code idx} on {@code cpu}. */
    private int kmapLocalCalcIdx(int idx, int cpu) {
        return idx + KM_MAX_IDX * cpu;
    }

    /** kmap_get_pte(): {@code __kmap_pte - idx}, with __kmap_pte = virt_to_kpte(__fix_to_virt(FIX_KMAP_BEGIN)). */
    long kmapGetPte(int idx) {
        if (kmapPte < 0) {
            kmapPte = pt.virtToKpte(layout.fixToVirt(FIX_KMAP_BEGIN));
            if (kmapPte < 0) {
                throw new IllegalStateException("no PTE page under the kmap_local fixmap slots");
            }
        }
        return kmapPte - (long) idx * pt.pteSize();
    }

    /**
     * __kmap_local_pfn_prot(): migrate_disable (kept until unmap), push, write the slot's
     * PTE (BUG if it is not none), no TLB flush, record pteval.
     */
    long kmapLocalPfnProt(Hcall call, Task t, long pfn, long prot) {
        int cpu = call.cpuId();
        sched().migrateDisable(t);
        sched().preemptDisable(cpu);
        int pos = kmapLocalIdxPush(t, cpu);
        int idx = kmapLocalCalcIdx(pos, cpu);
        long vaddr = layout.fixToVirt(FIX_KMAP_BEGIN + idx);
        long ptep = kmapGetPte(idx);
        if (!KernelPageTables.pteNone(pt.ptepGet(ptep))) {
            throw k.reports().bug(k.ctx(cpu), MAP_PTE_BUSY_SITE, String.format(
                    "BUG_ON(!pte_none(*(kmap_pte - idx))): slot %d (%08x) PTE %016x", idx, vaddr, pt.ptepGet(ptep)));
        }
        long pteval = pt.pfnPte(pfn, prot);
        pt.setPte(ptep, pteval); // arch_kmap_local_post_map: nothing on bare metal
        t.kmapCtrl.pteval[kmapLocalIdx(t)] = pteval;
        k.stats().max(Counter.KMAP_LOCAL_MAX_DEPTH, cpu, t.kmapCtrl.idx / KM_INCR);
        sched().preemptEnable(cpu, call);
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
        if (addr < layout.fixToVirt(FIX_KMAP_END) || addr > layout.fixToVirt(FIX_KMAP_BEGIN)) {
            if (forceMap) {
                k.reports().warnOnce(k.ctx(cpu), UNMAP_FORCE_MAP_SITE, UNMAP_FORCE_MAP_SITE, "kunmap_local_indexed");
                return;
            }
            if (addr < Layout.PAGE_OFFSET) { // kmap_high_unmap_local() is false on x86
                k.reports().warnOnce(k.ctx(cpu), UNMAP_USER_ADDR_SITE, UNMAP_USER_ADDR_SITE, "kunmap_local_indexed");
            }
            return;
        }
        sched().preemptDisable(cpu);
        int top = kmapLocalIdx(t);
        int idx = kmapLocalCalcIdx(top, cpu);
        if (addr != layout.fixToVirt(FIX_KMAP_BEGIN + idx)) {
            k.reports().warnOnce(k.ctx(cpu), UNMAP_NOT_TOP_SITE, UNMAP_NOT_TOP_SITE, "kunmap_local_indexed");
        }
        pt.pteClear(kmapGetPte(idx));
        tlb.flushTlbOneKernel(call.cpu(), addr); // arch_kmap_local_post_unmap(addr)
        if (top >= 0) {
            t.kmapCtrl.pteval[top] = 0;
        } else {
            t.kmapCtrl.idx = 0; // pteval[-1] overlays kmap_ctrl.idx
        }
        kmapLocalIdxPop(t, cpu);
        sched().preemptEnable(cpu, call);
        sched().migrateEnable(t);
    }

    /**
     * __kmap_local_sched_out(): for the outgoing task, clear the PTE of each live position
     * and INVLPG its slot (debug guards are skipped; a none pteval warns and is skipped).
     */
    void schedOut(Task t, int cpu) {
        Cpu c = k.machine().cpu(cpu);
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            long pteval = t.kmapCtrl.pteval[i];
            if (skip(i, pteval, cpu, SCHED_OUT_GUARD_SITE, SCHED_OUT_NONE_SITE, "__kmap_local_sched_out")) {
                continue;
            }
            int idx = kmapLocalCalcIdx(i, cpu);
            long addr = layout.fixToVirt(FIX_KMAP_BEGIN + idx);
            pt.pteClear(kmapGetPte(idx));
            tlb.flushTlbOneKernel(c, addr);
        }
    }

    /** __kmap_local_sched_in(): rewrite the incoming task's live PTEs; no flush. */
    void schedIn(Task t, int cpu) {
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            long pteval = t.kmapCtrl.pteval[i];
            if (skip(i, pteval, cpu, SCHED_IN_GUARD_SITE, SCHED_IN_NONE_SITE, "__kmap_local_sched_in")) {
                continue;
            }
            pt.setPte(kmapGetPte(kmapLocalCalcIdx(i, cpu)), pteval);
        }
    }

    /** The sched_out/in skip rules: debug guard positions, and positions with no pteval. */
    private boolean skip(int i, long pteval, int cpu, String guardSite, String noneSite, String func) {
        if (debugKmapLocal && (i & 1) == 0) {
            if (pteval != 0) {
                k.reports().warnOnce(k.ctx(cpu), guardSite, guardSite, func);
            }
            return true;
        }
        if (KernelPageTables.pteNone(pteval)) {
            k.reports().warnOnce(k.ctx(cpu), noneSite, noneSite, func);
            return true;
        }
        return false;
    }

    /**
     * The kmap_local half of __kmap_to_page(): for an address in the slots (note the
     * strict upper bound, as upstream) the page recorded at the matching position of the
     * current task; -1 when the address is not a live position.
     */
    long kmapToPage(Task t, int cpu, long vaddr) {
        long base = vaddr & -Layout.PAGE_SIZE & 0xFFFFFFFFL;
        if (t == null || base < layout.fixToVirt(FIX_KMAP_END) || base >= layout.fixToVirt(FIX_KMAP_BEGIN)) {
            return -1;
        }
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            if (layout.fixToVirt(FIX_KMAP_BEGIN + kmapLocalCalcIdx(i, cpu)) == base) {
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
        long last = pt.virtToKpte(layout.fixToVirt(FIX_KMAP_END));
        if (last != kmapGetPte(FIX_KMAP_END - FIX_KMAP_BEGIN)) {
            throw new IllegalStateException("kmap_local PTEs are not one linear array");
        }
        long ad = dev.hmemu.mmu.PteBits._PAGE_ACCESSED | dev.hmemu.mmu.PteBits._PAGE_DIRTY;
        for (Cpu c : k.machine().cpus()) {
            Task t = sched().current(c.id());
            for (int p = 0; p < KM_MAX_IDX; p++) {
                long want = t != null && p < t.kmapCtrl.idx ? t.kmapCtrl.pteval[p] : 0;
                long have = pt.ptepGet(kmapGetPte(kmapLocalCalcIdx(p, c.id())));
                if ((want | ad) != (have | ad)) {
                    throw new IllegalStateException(String.format(
                            "CPU%d kmap_local position %d: PTE %016x, %s expects %016x", c.id(), p, have,
                            t == null ? "idle CPU" : t.toString(), want));
                }
            }
        }
    }

    private SchedApi sched() {
        return k.scheduler();
    }
}
